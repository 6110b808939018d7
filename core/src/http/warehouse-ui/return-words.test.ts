import { describe, expect, it } from 'vitest';
import { returnReason } from './return-words.ts';

/** The returns area's refusal reasons (return-eligibility.ts), as the Romanian screens show them; English stays the API's words. */
describe('returnReason', () => {
  it.each([
    ['line 1 (A-1): 3 asked, at most 2 (delivered 2 less 0 already returned)', 'linia 1 (A-1): cerute 3, cel mult 2 (livrate 2 minus 0 deja returnate)'],
    ['line 2 (A-2): the product is not returnable', 'linia 2 (A-2): produsul nu se poate returna'],
    ['line 2 (A-2): all 1 delivered unit(s) are already returned', 'linia 2 (A-2): toate cele 1 bucăți livrate sunt deja returnate'],
    ['the order has no line 9', 'comanda nu are linia 9'],
    ['line 3 is given twice', 'linia 3 apare de două ori'],
    ['nothing of this line was delivered', 'nimic din această linie nu a fost livrat'],
    ['outside the return window: 30 days from delivery ended 2026-01-31', 'în afara ferestrei de retur: cele 30 de zile de la livrare s-au încheiat pe 2026-01-31'],
    ['outside the return window: 14 days from delivery ended 2026-01-15', 'în afara ferestrei de retur: cele 14 zile de la livrare s-au încheiat pe 2026-01-15'],
    ['the product is not returnable; nothing of this line was delivered', 'produsul nu se poate returna; nimic din această linie nu a fost livrat'],
    ['a reason the screens do not know', 'a reason the screens do not know'],
  ])('%s', (en, ro) => {
    expect(returnReason('ro', en)).toBe(ro);
    expect(returnReason('en', en)).toBe(en);
  });
});
