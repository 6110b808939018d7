import { html } from 'hono/html';
import type { SessionUser } from '../../../auth/index.ts';
import { BASE, csrfField, type Markup, type PageContext, page } from '../layout.ts';
import { statusWord } from '../status-words.ts';

export interface DeliveryNoteRow {
  id: string;
  orderId: string;
  orderNumber: string | null;
  type: 'total' | 'partial';
  status: string;
  blocked: boolean;
  missing: Array<{ sku: string | null; missing: number }>;
  lines: number;
  units: number;
  createdAt: string;
}

export function deliveryNotesScreen(ctx: PageContext, user: SessionUser, rows: DeliveryNoteRow[], o: { blocked: boolean; canCreatePickList: boolean }): Markup {
  const { t } = ctx;
  const selectable = o.canCreatePickList;
  const list = html`<ul class="list" data-delivery-notes>
${rows.map(
  (r) => html`<li data-delivery-note-id="${r.id}" data-blocked="${r.blocked ? '1' : '0'}"><div class="row">
  ${selectable && !r.blocked && r.status === 'ready_for_packing' ? html`<input type="checkbox" name="orderIds" value="${r.orderId}" aria-label="${t('order')} ${r.orderId}" class="check">` : ''}
  <span><a href="${BASE}/delivery-notes/${r.id}" data-note-link="${r.id}"><strong>${t('deliveryNote')} #${r.id}</strong></a> · ${t('order')} ${r.orderNumber ?? `#${r.orderId}`}<br>
  <span class="muted">${r.lines} ${t('lines')} · ${r.units} ${t('units')} · ${statusWord(t, 'type', r.type)}</span>
  ${r.blocked && r.missing.length > 0 ? html`<br><span class="muted">${t('missing')}: ${r.missing.map((m) => `${m.sku ?? '?'} ×${m.missing}`).join(', ')}</span>` : ''}</span>
  <span class="pill ${r.blocked ? 'blocked' : r.status === 'packed' ? 'packed' : ''}">${r.blocked ? t('blocked') : statusWord(t, 'delivery_note', r.status)}</span>
</div></li>`,
)}
</ul>`;
  return page(
    { ...ctx, active: 'notes' },
    t('deliveryNotes'),
    html`<h1>${t('deliveryNotes')}</h1>
<nav class="filters"><a href="${BASE}/delivery-notes" class="${o.blocked ? '' : 'on'}">${t('all')}</a><a href="${BASE}/delivery-notes?blocked=1" class="${o.blocked ? 'on' : ''}" id="filter-blocked">${t('blockedOnly')}</a></nav>
${rows.length === 0 ? html`<p class="card muted">${t('noDeliveryNotes')}</p>` : ''}
${
  selectable && rows.length > 0
    ? html`<form method="post" action="${BASE}/pick-lists">${csrfField(user)}${list}<div class="actions"><button class="btn block" type="submit">${t('createPickList')}</button></div></form>`
    : list
}`,
    { scripts: ['scanner.js'] },
  );
}
