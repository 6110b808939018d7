import type { Hono } from 'hono';
import { can } from '../../auth/index.ts';
import { deliveryNoteDocuments } from '../../reports/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { getDeliveryNote } from '../../warehouse/index.ts';
import { deliveryNoteScreen } from './screens/delivery-note-screen.ts';
import { ctxOf, gate } from './ui-kit.ts';
import type { UiEnv } from './web-session.ts';

/** A delivery note's detail: lines, reservations, status in words, and links to what it led to. */
export function deliveryNoteDetailRoutes(ui: Hono<UiEnv>, deps: Deps): void {
  ui.get('/delivery-notes/:id', async (c) => {
    const s = gate(c, 'delivery_note.view');
    const note = await getDeliveryNote(deps.sql, s.tenantId, c.req.param('id'));
    const docs = await deliveryNoteDocuments(deps.sql, s.tenantId, note.id);
    return c.html(deliveryNoteScreen(ctxOf(c), note, docs, { canPickLists: can(s.role, 'pick_list.view'), canPacking: can(s.role, 'packing_list.view') }));
  });
}
