import { describe, expect, it } from 'vitest';
import { isDomainError } from '../shared/domain-error.ts';
import * as dn from './delivery-note-status.ts';
import * as pk from './packing-list-status.ts';
import * as pl from './pick-list-status.ts';

/** Every (status, event) pair of each warehouse document, legal ones with their target. */
function table<S extends string, E extends string>(statuses: readonly S[], events: readonly E[], legal: Record<string, S>) {
  return statuses.flatMap((s) => events.map((e) => ({ from: s, event: e, to: legal[`${s}:${e}`] ?? null })));
}

const cases = [
  {
    name: 'delivery note',
    transition: dn.transition as (s: string, e: string) => string,
    rows: table(dn.DELIVERY_NOTE_STATUSES, dn.DELIVERY_NOTE_EVENTS, { 'ready_for_packing:pack': 'packed' }),
  },
  {
    name: 'pick list',
    transition: pl.transition as (s: string, e: string) => string,
    rows: table(pl.PICK_LIST_STATUSES, pl.PICK_LIST_EVENTS, { 'open:start': 'picking', 'picking:complete': 'picked' }),
  },
  {
    name: 'packing list',
    transition: pk.transition as (s: string, e: string) => string,
    rows: table(pk.PACKING_LIST_STATUSES, pk.PACKING_LIST_EVENTS, { 'ready_to_deliver:dispatch': 'in_transit', 'in_transit:deliver': 'delivered', 'in_transit:recall': 'ready_to_deliver' }),
  },
];

for (const c of cases) {
  describe(`${c.name} state machine`, () => {
    for (const row of c.rows) {
      if (row.to) {
        it(`${row.from} --${row.event}--> ${row.to}`, () => expect(c.transition(row.from, row.event)).toBe(row.to));
      } else {
        it(`refuses ${row.event} from ${row.from}, naming the current status`, () => {
          try {
            c.transition(row.from, row.event);
            expect.unreachable();
          } catch (e) {
            expect(isDomainError(e) && e.code).toBe('INVALID_STATE');
            expect((e as Error).message).toContain(`is ${row.from}`);
          }
        });
      }
    }
  });
}
