import { describe, expect, it } from 'vitest';
import { SHOPIFY_ORDER_SAMPLE_RAW } from '../../../../test/fakes/shopify/shopify-order-fixtures.ts';
import { parseShopifyJson, parseShopifyJsonWithReviver } from './parse-shopify-json.ts';

/** The regular-expression parse gives what the source-text reviver gives, on every case a body can hold. */
describe('parseShopifyJson (no reviver) against the reviver it replaces', () => {
  const cases: Array<[string, string]> = [
    ['the published orders/create sample', SHOPIFY_ORDER_SAMPLE_RAW],
    ['a big id kept exact', '{"id":820982911946154508}'],
    ['a negative big integer', '[-820982911946154508]'],
    ['the largest safe integer stays a number', '[9007199254740991, 1234567890123456]'],
    ['one past it becomes a string', '[9007199254740993]'],
    ['digits inside a string stay text', '{"gid":"gid://shopify/Order/820982911946154508","n":"12345678901234567890"}'],
    ['an escaped quote before digits inside a string', '{"a":"x\\"12345678901234567890\\"y","b":12345678901234567890}'],
    ['an escaped backslash ending a string', '{"a":"x\\\\","b":12345678901234567890}'],
    ['a long fraction is a number', '[0.12345678901234567890, 12345678901234567890.5]'],
    ['an exponent is a number', '[1e12345678901234567, 12345678901234567890e2, 1E-12345678901234567]'],
    ['big integers in nested arrays and objects', '{"a":[{"b":[11111111111111111111,{"c":-22222222222222222222}]}]}'],
    ['whitespace around values', '{ "id" :\n 820982911946154508 ,\t"x": [ 820982911946154509 ] }'],
    ['no long digit run at all', '{"a":1,"b":[true,false,null],"c":"d"}'],
  ];
  it.each(cases)('%s', (_name, raw) => {
    expect(parseShopifyJson(raw)).toEqual(parseShopifyJsonWithReviver(raw));
  });

  it('keeps the ids of the sample exact (not rounded)', () => {
    const o = parseShopifyJson(SHOPIFY_ORDER_SAMPLE_RAW) as { id: unknown; line_items: Array<{ id: unknown }> };
    expect(o.id).toBe('820982911946154508');
    expect(o.line_items[0]!.id).toBe('487817672276298554');
  });

  it('refuses what JSON.parse refuses (a leading zero, a truncated body), as the reviver does', () => {
    for (const raw of ['[012345678901234567890]', '{"id":820982911946154508', '{"a":"12345678901234567890}']) {
      expect(() => parseShopifyJsonWithReviver(raw)).toThrow();
      expect(() => parseShopifyJson(raw)).toThrow();
    }
  });

  it('agrees with the reviver on 2,000 random bodies', () => {
    let seed = 14;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const digits = (n: number) => String(1 + Math.floor(rnd() * 9)) + Array.from({ length: n - 1 }, () => Math.floor(rnd() * 10)).join('');
    const value = (depth: number): string => {
      const k = Math.floor(rnd() * 9);
      if (depth > 3 || k < 4) {
        const scalars = [digits(1 + Math.floor(rnd() * 22)), `-${digits(16 + Math.floor(rnd() * 4))}`, `${digits(17)}.${digits(3)}`, `${digits(2)}e${digits(1)}`,
          JSON.stringify(`gid://shopify/X/${digits(18)} "${digits(17)}" \\ ${digits(3)}`), 'true', 'null'];
        return scalars[Math.floor(rnd() * scalars.length)]!;
      }
      const n = Math.floor(rnd() * 4);
      if (k < 6) return `[${Array.from({ length: n }, () => value(depth + 1)).join(', ')}]`;
      return `{${Array.from({ length: n }, (_, i) => `"k${i}${digits(17)}": ${value(depth + 1)}`).join(',')}}`;
    };
    for (let i = 0; i < 2000; i++) {
      const raw = value(0);
      expect(parseShopifyJson(raw), raw).toEqual(parseShopifyJsonWithReviver(raw));
    }
  });
});
