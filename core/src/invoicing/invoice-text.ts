/**
 * Text written into an e-Factura: no control characters (XML 1.0 forbids most C0 characters, and
 * ANAF's XSD check rejects the file: they arrive pasted into product names and addresses), no
 * unpaired surrogates or U+FFFE/U+FFFF, whitespace runs folded, and cut to the CIUS-RO limit
 * (BR-RO-L*) counted in characters, not UTF-16 units.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters removed.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function cleanText(value: string, max?: number): string {
  const s = value.replace(FORBIDDEN, ' ').replace(/\s+/g, ' ').trim();
  if (max === undefined) return s;
  const chars = Array.from(s);
  return chars.length <= max ? s : chars.slice(0, max).join('').trimEnd();
}

/** The CIUS-RO maximum lengths (BR-RO-L020 … BR-RO-L1000) of the fields we write. */
export const LIMITS = {
  partyName: 200,
  street: 150,
  addressLine: 100,
  city: 50,
  postalCode: 20,
  email: 100,
  phone: 100,
  itemName: 100,
  note: 300,
  reference: 200,
  reason: 100,
  paymentText: 100,
  accountName: 200,
} as const;
