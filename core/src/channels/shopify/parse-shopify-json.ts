/**
 * Shopify ids (orders, line items, customers) exceed Number.MAX_SAFE_INTEGER: plain JSON.parse
 * turns 820982911946154508 into 820982911946154500 and two orders would collide. Integers that a
 * double cannot hold exactly are kept as their decimal string; everything else parses as usual.
 *
 * `parseShopifyJson` does it without a reviver: a reviver is called for every value of the body
 * (and V8 builds a source-text context for each), which cost 6–7% of the core's CPU per webhook.
 * Instead one pass over the text (below) quotes the integer literals outside strings that a double
 * cannot hold, and the quoted text goes to the native JSON.parse. `parseShopifyJsonWithReviver` (Node's source-text access) is the reference
 * the tests compare it with; bench/json-parse measures both.
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

export function parseShopifyJsonWithReviver(raw: string): unknown {
  return JSON.parse(raw, keepBigIntegers as Reviver);
}

const isDigit = (c: number) => c >= 48 && c <= 57;
/** Characters a JSON number token may hold after its first one. */
const isNumberPart = (c: number) => isDigit(c) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45;

/**
 * One pass over the text: a string literal is skipped whole with indexOf (so digits inside
 * "gid://shopify/Order/8209…" stay text, escaped quotes counted), a number token is read whole (so
 * a fraction or an exponent is never cut), and an integer token of 16+ digits a double cannot
 * hold is quoted. Anything malformed is left as it is, for JSON.parse to refuse.
 */
export function parseShopifyJson(raw: string): unknown {
  const n = raw.length;
  let out = '';
  let copied = 0;
  let i = 0;
  while (i < n) {
    const c = raw.charCodeAt(i);
    if (c === 34) {
      let q = i;
      for (;;) {
        q = raw.indexOf('"', q + 1);
        if (q < 0) return JSON.parse(raw); // unterminated: refused as it is
        let b = q - 1;
        while (raw.charCodeAt(b) === 92) b--;
        if ((q - 1 - b) % 2 === 0) break;
      }
      i = q + 1;
    } else if (isDigit(c) || c === 45) {
      const first = c === 45 ? i + 1 : i;
      let j = first;
      while (j < n && isDigit(raw.charCodeAt(j))) j++;
      const integerOnly = !isNumberPart(raw.charCodeAt(j));
      if (integerOnly && j - first >= 16 && raw.charCodeAt(first) !== 48) {
        const literal = raw.slice(i, j);
        if (!Number.isSafeInteger(Number(literal))) {
          out += `${raw.slice(copied, i)}"${literal}"`;
          copied = j;
        }
      }
      while (j < n && isNumberPart(raw.charCodeAt(j))) j++;
      i = j;
    } else {
      i++;
    }
  }
  return JSON.parse(copied === 0 ? raw : out + raw.slice(copied));
}
