import { PDFDocument } from 'pdf-lib';
import { mergeLabels, renderOwnLabel } from '../../core/src/shipping/index.ts';

// Merge 500 distinct labels into one PDF; baseline in the same run: copying one label's page 500 times.
const N = Number(process.argv[2] ?? 500);
const addr = { phone: '+40 700 000 000', countryCode: 'RO', county: 'Cluj', locality: 'Cluj-Napoca', addressLine: 'Str. Exemplu 1' };
const t0 = performance.now();
const labels: Uint8Array[] = [];
for (let i = 0; i < N; i++)
  labels.push(
    await renderOwnLabel({
      awb: `EXP${String(100000 + i)}`,
      courierName: 'Bosta',
      service: 'Deliver',
      sender: { ...addr, name: 'Depozit CLJ1' },
      recipient: { ...addr, name: `Destinatar ${i} Ștefan` },
      weightKg: 1 + (i % 7),
      cod: { amount: '150.00', currency: 'RON' },
      reference: `PL-${i}`,
    }),
  );
const tGen = (performance.now() - t0) / 1000;

const t1 = performance.now();
let last = 0;
const merged = await mergeLabels(labels, (p) => {
  last = p.done;
});
const tMerge = (performance.now() - t1) / 1000;
const pages = (await PDFDocument.load(merged)).getPageCount();

const t2 = performance.now();
const base = await PDFDocument.create();
const src = await PDFDocument.load(labels[0]!);
for (let i = 0; i < N; i++) {
  const [p] = await base.copyPages(src, [0]);
  base.addPage(p!);
}
const baseBytes = await base.save({ useObjectStreams: true });
const tBase = (performance.now() - t2) / 1000;

console.log(`generate ${N} own labels: ${tGen.toFixed(2)} s (not part of the merge figure)`);
console.log(`merge ${N} labels → ${pages} pages, ${(merged.length / 1e6).toFixed(1)} MB: ${tMerge.toFixed(2)} s, ${(pages / tMerge).toFixed(0)} pages/s (progress reached ${last}/${N})`);
console.log(`baseline copy one label ×${N}: ${tBase.toFixed(2)} s, ${(N / tBase).toFixed(0)} pages/s, ${(baseBytes.length / 1e6).toFixed(1)} MB`);
console.log(`ratio merge/baseline: ${(tMerge / tBase).toFixed(2)}× · goal < 3 s: ${tMerge < 3 ? 'met' : 'NOT met'}`);
