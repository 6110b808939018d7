import { parseShopifyJson, parseShopifyJsonWithReviver } from '../../core/src/channels/index.ts';
import { shopifyOrderStream } from '../support/shopify-orders.ts';

/**
 * The big-int-safe parse of a Shopify webhook body, before (JSON.parse with a source-text reviver)
 * and after (one pass over the text that quotes unsafe integers, then the native parse), on
 * the bodies bench/ingest sends. Alternated A/B for ROUNDS rounds; the last line compares medians.
 *
 *   ROUNDS=5 N=20000 node bench/json-parse/run.ts
 */
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const N = Number(process.env.N ?? 20_000);
const next = shopifyOrderStream({ skus: ['B-001', 'B-002', 'B-003'], idBase: 8_209_829_119_461_545_080_000n, customerBase: 7_000_000_000_000_000, prefix: 'J' });
const bodies = Array.from({ length: 200 }, () => next().bytes.toString('utf8'));
console.log(`bench/json-parse: ${bodies.length} distinct orders/create bodies of ~${Math.round(bodies[0]!.length / 1024)} KiB, ${N} parses per phase, ${ROUNDS} rounds`);

function phase(parse: (raw: string) => unknown): number {
  let sink = 0;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) sink += (parse(bodies[i % bodies.length]!) as { line_items: unknown[] }).line_items.length;
  const us = ((performance.now() - t0) * 1000) / N;
  if (sink !== N * 3) throw new Error('the parse lost lines');
  return us;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const before: number[] = [];
const after: number[] = [];
const plain = (raw: string) => JSON.parse(raw) as unknown; // the floor: what the native parse alone costs (ids rounded)
phase(parseShopifyJsonWithReviver);
phase(parseShopifyJson); // warm both
const floor = phase(plain);
for (let r = 1; r <= ROUNDS; r++) {
  before.push(phase(parseShopifyJsonWithReviver));
  after.push(phase(parseShopifyJson));
  console.log(`round ${r}: reviver ${before.at(-1)!.toFixed(1)} µs/body | scan + native ${after.at(-1)!.toFixed(1)} µs/body`);
}
console.log(`json-parse: ${(median(before) / median(after)).toFixed(2)}× faster (reviver ${median(before).toFixed(1)} µs, scan + native ${median(after).toFixed(1)} µs per body, median of ${ROUNDS}; plain JSON.parse ${floor.toFixed(1)} µs)`);
