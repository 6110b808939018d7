// Invoices per second generated in memory from one realistic invoice (12 lines, two VAT rates,
// discounts, shipping, Bucharest buyer): PDF + UBL together, each alone, against a JSON.stringify
// baseline of the same document measured in the same run. Single thread.
import { renderInvoicePdf, renderUbl } from '../../core/src/invoicing/index.ts';
import { BUYERS, makeDocument } from '../../test/invoicing/scenarios.ts';

const doc = makeDocument({
  number: 'EXP1042',
  buyer: BUYERS.roBucharest,
  lines: [
    ...Array.from({ length: 11 }, (_, i) => ({ kind: 'item' as const, sku: `SKU-${100 + i}`, name: `Produs de test ${i} — ăâîșț`, quantity: (i % 3) + 1, unitPrice: `${(19.9 + i * 7.35).toFixed(2)}`, discount: i % 4 === 0 ? '2.50' : '0', vatRate: i % 5 === 0 ? '11' : '21' })),
    { kind: 'shipping' as const, sku: null, name: 'Transport', quantity: 1, unitPrice: '19.99', discount: '0', vatRate: '21' },
  ],
});

// Measured with 16 renders in flight (as the worker drains a batch) and one at a time: with the
// whole pre-subsetted font embedded there is no per-document subsetting to overlap, so both agree.
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

async function rate(name: string, fn: (i: number) => unknown | Promise<unknown>, concurrency = CONCURRENCY, seconds = 3): Promise<number> {
  for (let i = 0; i < 20; i++) await fn(i); // warm-up (font parse, JIT)
  let n = 0;
  const start = performance.now();
  const until = start + seconds * 1000;
  const lane = async () => {
    // each iteration a different number, so no result is reused whole
    while (performance.now() < until) await fn(n++);
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const perSec = n / ((performance.now() - start) / 1000);
  console.log(`${`${name} (x${concurrency})`.padEnd(26)} ${perSec.toFixed(0).padStart(9)} /s`);
  return perSec;
}

const variant = (i: number) => ({ ...doc, number: `EXP${1000 + i}` });
const baseline = await rate('baseline JSON', (i) => JSON.stringify(variant(i)));
const ubl = await rate('UBL only', (i) => renderUbl(variant(i)));
const pdf = await rate('PDF only', (i) => renderInvoicePdf(variant(i)));
const both = await rate('PDF + UBL', async (i) => {
  const d = variant(i);
  renderUbl(d);
  await renderInvoicePdf(d);
});
const sequential = await rate('PDF + UBL', async (i) => {
  const d = variant(i);
  renderUbl(d);
  await renderInvoicePdf(d);
}, 1);
console.log('');
console.log(`ratio to baseline: UBL ${(baseline / ubl).toFixed(0)}x slower, PDF ${(baseline / pdf).toFixed(0)}x slower, PDF+UBL ${(baseline / both).toFixed(0)}x slower`);
console.log(`goal ≥ 200 invoices/s (PDF + UBL): ${both >= 200 ? 'met' : 'NOT met'} (${both.toFixed(0)}/s on one thread, ${CONCURRENCY} in flight; one at a time ${sequential.toFixed(0)}/s)`);
