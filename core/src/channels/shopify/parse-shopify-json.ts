/**
 * Shopify ids (orders, line items, customers) exceed Number.MAX_SAFE_INTEGER: plain JSON.parse
 * turns 820982911946154508 into 820982911946154500 and two orders would collide. Node 24's
 * reviver receives the literal source text of each primitive (TC39 "JSON.parse source text
 * access"), so integers that a double cannot hold exactly are kept as their decimal string;
 * everything else parses as usual.
 */
type ReviverContext = { source?: string };
type Reviver = (this: unknown, key: string, value: unknown) => unknown;

const INTEGER = /^-?\d+$/;

function keepBigIntegers(_key: string, value: unknown, context?: ReviverContext): unknown {
  if (typeof value === 'number' && !Number.isSafeInteger(value) && Number.isInteger(value)) {
    // Without source text we could only hand back a rounded id; failing loudly beats a silent collision.
    if (context?.source === undefined) {
      throw new Error('parseShopifyJson needs JSON.parse source text access (Node 21+); this runtime lacks it');
    }
    if (INTEGER.test(context.source)) return context.source;
  }
  return value;
}

export function parseShopifyJson(raw: string): unknown {
  return JSON.parse(raw, keepBigIntegers as Reviver);
}
