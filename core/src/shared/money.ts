/**
 * Money is never a float. Amounts travel as decimal strings ("12.50") and are computed as
 * bigint minor units at a fixed scale of 4 decimals, which covers every currency we meet and
 * the unit prices after discounts; results are rounded half away from zero (EN 16931 rounding
 * of amounts to 2 decimals is done with `round2`).
 */
const SCALE = 4;
const FACTOR = 10n ** BigInt(SCALE);

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

export function isDecimal(s: string): boolean {
  return DECIMAL.test(s.trim());
}

/** Parses a decimal string into scaled units; more than 4 decimals are rounded half away from zero. */
export function toUnits(value: string | number): bigint {
  const s = typeof value === 'number' ? numberToDecimal(value) : value.trim();
  const m = DECIMAL.exec(s);
  if (!m) throw new RangeError(`"${value}" is not a decimal amount`);
  const [, sign, int, frac = ''] = m;
  const padded = (frac + '0'.repeat(SCALE + 1)).slice(0, SCALE + 1);
  let units = BigInt(int ?? '0') * FACTOR + BigInt(padded.slice(0, SCALE));
  if (Number(padded[SCALE]) >= 5) units += 1n;
  return sign ? -units : units;
}

function numberToDecimal(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`${n} is not a finite amount`);
  // Integers (quantities, whole prices) only; JSON numbers with fractions come as strings from both platforms.
  return Number.isInteger(n) ? String(n) : n.toFixed(SCALE + 1);
}

export function fromUnits(units: bigint, decimals = 2): string {
  const rounded = roundUnits(units, decimals);
  const neg = rounded < 0n;
  const abs = neg ? -rounded : rounded;
  const int = abs / FACTOR;
  const frac = (abs % FACTOR).toString().padStart(SCALE, '0').slice(0, decimals);
  return `${neg ? '-' : ''}${int}${decimals > 0 ? `.${frac}` : ''}`;
}

function roundUnits(units: bigint, decimals: number): bigint {
  const step = 10n ** BigInt(SCALE - decimals);
  const neg = units < 0n;
  const abs = neg ? -units : units;
  const q = (abs + step / 2n) / step;
  return neg ? -(q * step) : q * step;
}

/** a × b / c in units, rounded half away from zero (b and c at the same scale cancel out). */
export function mulDiv(a: bigint, b: bigint, c: bigint): bigint {
  const n = a * b;
  const neg = n < 0n !== c < 0n;
  const an = n < 0n ? -n : n;
  const ac = c < 0n ? -c : c;
  const q = (an * 2n + ac) / (ac * 2n);
  return neg ? -q : q;
}

export const add = (...xs: string[]): string => fromUnits(xs.reduce((a, x) => a + toUnits(x), 0n), SCALE);
export const sub = (a: string, b: string): string => fromUnits(toUnits(a) - toUnits(b), SCALE);
export const mulQty = (price: string, qty: number): string => fromUnits(toUnits(price) * BigInt(qty), SCALE);
export const round2 = (a: string): string => fromUnits(toUnits(a), 2);
/** True for a decimal amount above zero (a COD to collect); false for zero, negatives and anything that is not a decimal. */
export const isPositive = (a: string): boolean => isDecimal(a) && toUnits(a) > 0n;
export const cmp = (a: string, b: string): number => {
  const d = toUnits(a) - toUnits(b);
  return d === 0n ? 0 : d < 0n ? -1 : 1;
};
