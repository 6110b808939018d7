import fc from 'fast-check';
import type { JsonSchema } from './openapi-walk.ts';

/**
 * Inputs for the bad-input fuzz test: values generated from a JSON Schema (so a body gets past its
 * first check and reaches the deeper ones), each node sometimes replaced by a hostile value — the
 * kinds that reached a 500 before: NUL, lone surrogates, huge strings, dates Postgres cannot hold,
 * amounts beyond numeric(12,2), NaN-ish text, null, arrays where objects go, bad GIDs.
 */
export const HOSTILE_STRINGS = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  'x'.repeat(70_000),
  '0000-01-01',
  '0000-01-01T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  '2026-02-30',
  '9999-12-31T23:59:59Z',
  'NaN',
  'Infinity',
  '-0',
  '1e12',
  '1000000000000',
  '999999999999.99',
  '-1',
  '99999999999999999999',
  'gid://shopify/Order/abc',
  'gid://shopify/Order/',
  'gid://shopify/Order/1/../2',
  "' or 1=1 --",
  '../../etc/passwd',
  ' ',
  '',
] as const;

export const HOSTILE_NUMBERS = [1e12, 1e15, 1e308, -1, -1e12, 0, 0.001, 2 ** 53 + 2, -(2 ** 31) - 1, 2 ** 31] as const;

/** Any hostile value, of any JSON type. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom<unknown>(...HOSTILE_STRINGS) },
  { weight: 3, arbitrary: fc.constantFrom<unknown>(...HOSTILE_NUMBERS) },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(null, [], {}, [{}], true, false, { length: 1 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
);

/** A path parameter: a real id from the pool, or garbage. */
export function pathValue(pool: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: pool.length ? fc.constantFrom(...pool) : fc.constant('1') },
    { weight: 1, arbitrary: fc.constantFrom('0', '-1', 'abc', '1e3', ' 1', '99999999999999999999', '9223372036854775808', 'gid://shopify/Order/1', '\u0000', '\ud800', 'x'.repeat(5000)) },
    { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: 999_999_999_999_999_999n }).map(String) },
  );
}

const ID_PATTERN = '^\\d{1,18}$';

interface Ctx {
  pool: readonly string[];
  /** Chance of a node being replaced by a hostile value, out of 10. */
  hostility: number;
}

/** A value for the schema, sometimes (per node) a hostile one instead. */
export function fromSchema(schema: JsonSchema, ctx: Ctx, depth = 0): fc.Arbitrary<unknown> {
  const valid = validFor(schema, ctx, depth);
  if (ctx.hostility <= 0) return valid;
  return fc.oneof({ weight: 10 - ctx.hostility, arbitrary: valid }, { weight: ctx.hostility, arbitrary: hostileValue });
}

function validFor(s: JsonSchema, ctx: Ctx, depth: number): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null);
  if (Array.isArray(s.enum) && s.enum.length) return fc.constantFrom(...s.enum);
  if (s.const !== undefined) return fc.constant(s.const);
  const alts = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (alts?.length) return fc.oneof(...alts.map((a) => fromSchema(a, ctx, depth + 1)));
  if (Array.isArray(s.allOf) && s.allOf.length) {
    const merged: JsonSchema = { properties: {}, required: [] };
    for (const part of s.allOf as JsonSchema[]) {
      const { properties, required, ...rest } = part;
      Object.assign(merged, rest);
      Object.assign(merged.properties, properties);
      merged.required.push(...(required ?? []));
    }
    return validFor(merged, ctx, depth);
  }
  const types: string[] = Array.isArray(s.type) ? s.type : s.type ? [s.type] : s.properties ? ['object'] : [];
  if (types.length === 0) return fc.constantFrom<unknown>('x', 1, true, null);
  return fc.oneof(...types.map((t) => ofType(t, s, ctx, depth)));
}

function ofType(t: string, s: JsonSchema, ctx: Ctx, depth: number): fc.Arbitrary<unknown> {
  switch (t) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -5);
      const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : 10_000);
      return fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31 - 1) });
    }
    case 'number': {
      const min = s.minimum ?? s.exclusiveMinimum ?? -5;
      const max = s.maximum ?? s.exclusiveMaximum ?? 10_000;
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((n) => Math.round(n * 100) / 100);
    }
    case 'string':
      return stringFor(s, ctx);
    case 'array': {
      const item = fromSchema(s.items ?? {}, ctx, depth + 1);
      const minLength = Math.min(s.minItems ?? 0, 3);
      return fc.array(item, { minLength, maxLength: Math.max(minLength, Math.min(s.maxItems ?? 3, 3)) });
    }
    case 'object': {
      const props = Object.entries<JsonSchema>(s.properties ?? {});
      if (props.length === 0) return fc.constantFrom<unknown>({}, { a: 'b' });
      const required = new Set<string>(s.required ?? []);
      const model = Object.fromEntries(props.map(([k, v]) => [k, fromSchema(v, ctx, depth + 1)]));
      return fc.record(model, { requiredKeys: props.map(([k]) => k).filter((k) => required.has(k)) });
    }
    default:
      return fc.constant(null);
  }
}

function stringFor(s: JsonSchema, ctx: Ctx): fc.Arbitrary<string> {
  const max = Math.min(s.maxLength ?? 24, 24);
  const min = Math.min(s.minLength ?? 0, max);
  if (s.pattern === ID_PATTERN && ctx.pool.length) return fc.oneof(fc.constantFrom(...ctx.pool), fc.stringMatching(/^\d{1,18}$/));
  if (s.pattern) {
    try {
      return fc.stringMatching(new RegExp(s.pattern));
    } catch {
      // A pattern fast-check cannot generate from: plain text, which it will mostly refuse.
    }
  }
  switch (s.format) {
    case 'email':
      return fc.emailAddress();
    case 'date':
      return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case 'date-time':
      return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'uri':
    case 'url':
      return fc.constantFrom('https://example.test', 'http://127.0.0.1:9', 'ftp://x', 'https://shop.example.test/path');
  }
  return fc.string({ minLength: min, maxLength: Math.max(min, max) });
}

/** A mutation of a valid document: up to three of its nodes (by index in a walk) replaced by hostile values. */
export function mutations(base: unknown): fc.Arbitrary<unknown> {
  return fc.array(fc.tuple(fc.nat(), hostileValue), { minLength: 1, maxLength: 3 }).map((picks) => {
    const doc = structuredClone(base);
    for (const [n, value] of picks) {
      const slots = nodeSlots(doc);
      if (slots.length === 0) break;
      const [parent, key] = slots[n % slots.length]!;
      (parent as Record<string | number, unknown>)[key] = value;
    }
    return doc;
  });
}

function nodeSlots(doc: unknown): Array<[object, string | number]> {
  const out: Array<[object, string | number]> = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach((v, i) => { out.push([x, i]); walk(v); });
    else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) { out.push([x, k]); walk(v); }
  };
  walk(doc);
  return out;
}
