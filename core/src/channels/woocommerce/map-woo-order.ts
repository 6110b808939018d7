import { z } from 'zod';
import { DomainError } from '../../shared/domain-error.ts';
import { isStorableInstant } from '../../shared/storable.ts';
import { add, fromUnits, isDecimal, mulDiv, sub, toUnits } from '../../shared/money.ts';
import { isStorableAmount } from '../channel-order.ts';
import { assertStorableOrder, type ChannelAddress, type ChannelOrder, type ChannelOrderLine, type PaymentStatus } from '../channel-order.ts';

/**
 * WooCommerce REST v3 order (also the body of `order.created`/`order.updated` webhooks, which WC
 * builds from the same controller) → ChannelOrder. Pure; validated with zod so a malformed payload
 * fails with the field named instead of producing a half-filled order.
 *
 * Money: Woo sends every amount as a string, except `line_items[].price`, a PHP float — never read.
 * Line `subtotal`/`total` are always excluding tax in WooCommerce (the `_line_subtotal` meta), even
 * when the store enters prices with tax; ChannelOrder wants amounts "as the store shows them", so
 * when `prices_include_tax` is true line, shipping, subtotal and discount amounts are grossed up
 * with their tax. `taxTotal` and `total` are the order's own figures either way.
 * Fee lines (e.g. a cash-on-delivery fee) are not lines of goods: they are in `total` only.
 */

const decimal = z
  .string()
  .refine((s) => isDecimal(s), 'must be a decimal amount as a string')
  .refine((s) => !isDecimal(s) || isStorableAmount(s), 'must be below one billion in absolute value');
const optionalDecimal = decimal.nullish().transform((v) => (v == null || v === '' ? '0' : v));
const text = z
  .string()
  .nullish()
  .transform((v) => (v == null ? '' : v));
const gmtDate = z.string().refine((s) => toIsoUtc(s) !== null, 'must be a date-time');

const metaSchema = z.array(z.object({ key: z.string(), value: z.unknown() })).nullish();

const addressSchema = z
  .object({
    first_name: text,
    last_name: text,
    company: text,
    address_1: text,
    address_2: text,
    city: text,
    state: text,
    postcode: text,
    country: text,
    email: text,
    phone: text,
  })
  .catchall(z.unknown())
  .nullish();

const lineItemSchema = z.object({
  id: z.number().int(),
  name: text,
  product_id: z.number().int().nullish(),
  variation_id: z.number().int().nullish(),
  quantity: z.number().int().nonnegative(),
  subtotal: decimal,
  subtotal_tax: optionalDecimal,
  total: decimal,
  total_tax: optionalDecimal,
  sku: z.string().nullish(),
});

const shippingLineSchema = z.object({
  method_title: text,
  method_id: z.string().nullish(),
  total: decimal,
  total_tax: optionalDecimal,
});

/** `fee_lines[]`: fees added to the order outside its items (a COD fee plugin's "Taxa ramburs"); total excludes tax. */
const feeLineSchema = z.object({
  name: text,
  total: decimal,
  total_tax: optionalDecimal,
});

const wooOrderSchema = z.object({
  id: z.number().int().positive(),
  // `number` is a string; some order-number plugins filter it to an integer.
  number: z.union([z.string(), z.number()]).transform(String),
  status: z.string().min(1),
  currency: z.string().length(3),
  date_created_gmt: gmtDate,
  date_modified_gmt: gmtDate,
  date_paid_gmt: z.string().nullish(),
  discount_total: optionalDecimal,
  discount_tax: optionalDecimal,
  shipping_total: optionalDecimal,
  shipping_tax: optionalDecimal,
  total: decimal,
  total_tax: optionalDecimal,
  prices_include_tax: z.boolean(),
  customer_id: z.number().int().nullish(),
  customer_note: z.string().nullish(),
  billing: addressSchema,
  shipping: addressSchema,
  payment_method: z.string().nullish(),
  meta_data: metaSchema,
  line_items: z.array(lineItemSchema),
  shipping_lines: z.array(shippingLineSchema).nullish(),
  fee_lines: z.array(feeLineSchema).nullish(),
  refunds: z.array(z.object({ total: decimal }).catchall(z.unknown())).nullish(),
});
export type WooOrderPayload = z.input<typeof wooOrderSchema>;

/** Statuses that are not real orders yet (block-checkout drafts, WP autosaves): intake ignores them. */
const IGNORED_STATUSES = new Set(['checkout-draft', 'draft', 'auto-draft']);
export function isIgnoredWooStatus(status: string | null | undefined): boolean {
  return status != null && IGNORED_STATUSES.has(status.replace(/^wc-/, ''));
}

/**
 * Statuses after which nothing is to be shipped. `refunded` is deliberately not here: a refund
 * can follow a delivery (a return) and must not cancel fulfilment work already done; it shows as
 * paymentStatus `refunded` and through the channel's status mapping of `platformStatus`.
 */
const CANCELLED_STATUSES = new Set(['cancelled', 'failed', 'trash']);

/** Meta keys under which Romanian invoicing/checkout plugins (and the EU VAT plugins) keep the CUI / VAT number. */
const VAT_META_KEYS = [
  '_billing_cui',
  'billing_cui',
  '_billing_cif',
  'billing_cif',
  '_billing_vat',
  'billing_vat',
  '_billing_vat_number',
  'billing_vat_number',
  'vat_number',
  '_vat_number',
  'cui',
  '_cui',
];
const VAT_BILLING_KEYS = ['cui', 'cif', 'vat', 'vat_number'];

export function mapWooOrder(payload: unknown): ChannelOrder {
  const parsed = wooOrderSchema.safeParse(payload);
  if (!parsed.success) throw validationError(payload, parsed.error);
  const o = parsed.data;
  const gross = o.prices_include_tax;

  const lines: ChannelOrderLine[] = o.line_items.map((li) => {
    const subtotal = gross ? add(li.subtotal, li.subtotal_tax) : li.subtotal;
    const total = gross ? add(li.total, li.total_tax) : li.total;
    return {
      externalLineId: String(li.id),
      sku: li.sku ? li.sku : null,
      name: decodeHtmlEntities(li.name),
      quantity: li.quantity,
      unitPrice: li.quantity > 0 ? divide(subtotal, li.quantity) : tidy(subtotal),
      discount: tidy(sub(subtotal, total)),
      total: tidy(total),
      tax: tidy(li.total_tax),
      externalProductId: li.product_id ? String(li.product_id) : null,
      externalVariantId: li.variation_id ? String(li.variation_id) : null,
    };
  });

  const shippingLines = (o.shipping_lines ?? []).map((s) => ({
    title: decodeHtmlEntities(s.method_title),
    code: s.method_id ? s.method_id : null,
    price: tidy(gross ? add(s.total, s.total_tax) : s.total),
  }));

  // A fee of 0 (a plugin's placeholder) is no charge; a negative one is a discount given as a fee.
  const fees = (o.fee_lines ?? [])
    .filter((f) => Number(f.total) !== 0 || Number(f.total_tax) !== 0)
    .map((f) => ({ name: decodeHtmlEntities(f.name), amount: tidy(gross ? add(f.total, f.total_tax) : f.total), tax: tidy(f.total_tax) }));

  const billing = toAddress(o.billing, true);
  const shipping = toAddress(o.shipping, false);
  const email = nonEmpty(o.billing?.email);

  return assertStorableOrder({
    externalOrderId: String(o.id),
    externalNumber: o.number,
    platformStatus: o.status,
    createdAt: toIsoUtc(o.date_created_gmt)!,
    updatedAt: toIsoUtc(o.date_modified_gmt)!,
    currency: o.currency.toUpperCase(),
    pricesIncludeTax: gross,
    email,
    customer: {
      externalId: o.customer_id && o.customer_id > 0 ? String(o.customer_id) : null,
      email,
      firstName: nonEmpty(o.billing?.first_name),
      lastName: nonEmpty(o.billing?.last_name),
      phone: nonEmpty(o.billing?.phone),
      company: nonEmpty(o.billing?.company),
      vatNumber: findVatNumber(o.meta_data, o.billing),
    },
    billingAddress: billing,
    shippingAddress: shipping,
    lines,
    shippingLines,
    ...(fees.length ? { fees } : {}),
    // Sum of line subtotals from the exact strings, not unitPrice × qty (which was rounded).
    subtotal: tidy(lines.length ? add(...lines.map((l) => add(l.total, l.discount))) : '0'),
    discountTotal: tidy(gross ? add(o.discount_total, o.discount_tax) : o.discount_total),
    shippingTotal: tidy(gross ? add(o.shipping_total, o.shipping_tax) : o.shipping_total),
    taxTotal: tidy(o.total_tax),
    total: tidy(o.total),
    paymentMethod: nonEmpty(o.payment_method),
    paymentStatus: paymentStatusOf(o),
    cancelled: CANCELLED_STATUSES.has(o.status),
    note: nonEmpty(o.customer_note),
    tags: [],
  });
}

/**
 * WooCommerce has no payment-status field; it is read from the order status, `date_paid_gmt` and
 * the refunds. Cash on delivery (`cod`) orders go to `processing` (and get `date_paid` stamped by
 * `maybe_set_date_paid`) without any money having moved, so they count as paid only once
 * completed. The REST `total` is the amount charged; refunds are listed apart, as negatives.
 */
function paymentStatusOf(o: z.infer<typeof wooOrderSchema>): PaymentStatus {
  if (o.status === 'refunded') return 'refunded';
  const refunded = (o.refunds ?? []).reduce((acc, r) => acc + abs(toUnits(r.total)), 0n);
  if (refunded > 0n) return refunded >= toUnits(o.total) ? 'refunded' : 'partially_refunded';
  const isCod = o.payment_method === 'cod';
  switch (o.status) {
    case 'completed':
      return 'paid';
    case 'processing':
      return isCod ? 'pending' : 'paid';
    case 'pending':
    case 'on-hold':
    case 'failed':
      return 'pending';
    case 'cancelled':
      return 'voided';
    case 'trash':
      return 'unknown';
    default:
      // Plugin statuses (shipped, delivered, ready-for-pickup…): trust the paid date Woo stamped.
      if (nonEmpty(o.date_paid_gmt) !== null && !isCod) return 'paid';
      return isCod ? 'pending' : 'unknown';
  }
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

function findVatNumber(
  meta: z.infer<typeof metaSchema>,
  billing: z.infer<typeof addressSchema>,
): string | null {
  for (const key of VAT_META_KEYS) {
    const hit = (meta ?? []).find((m) => m.key === key);
    const v = scalar(hit?.value);
    if (v) return v;
  }
  // Some checkout-field plugins add the field to the REST billing object itself.
  for (const key of VAT_BILLING_KEYS) {
    const v = scalar(billing?.[key]);
    if (v) return v;
  }
  return null;
}

function scalar(v: unknown): string | null {
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  if (typeof v !== 'string') return null;
  return nonEmpty(v);
}

function toAddress(a: z.infer<typeof addressSchema>, withContact: boolean): ChannelAddress | null {
  if (!a) return null;
  const address: ChannelAddress = {
    firstName: nonEmpty(a.first_name),
    lastName: nonEmpty(a.last_name),
    company: nonEmpty(a.company),
    address1: nonEmpty(a.address_1),
    address2: nonEmpty(a.address_2),
    city: nonEmpty(a.city),
    // Woo keeps the subdivision code ("CJ", "CA") in `state`; it has no separate name.
    province: nonEmpty(a.state),
    provinceCode: nonEmpty(a.state),
    postcode: nonEmpty(a.postcode),
    country: nonEmpty(a.country),
    countryCode: nonEmpty(a.country)?.toUpperCase() ?? null,
    // `shipping.phone` exists since WC 5.6; `shipping` never has an email.
    phone: nonEmpty(a.phone),
    email: withContact ? nonEmpty(a.email) : null,
  };
  // Virtual/downloadable orders come with an all-empty shipping object: that is "no address".
  return Object.values(address).every((v) => v === null) ? null : address;
}

function nonEmpty(v: string | null | undefined): string | null {
  if (v == null) return null;
  const t = v.trim();
  return t === '' ? null : t;
}

/** Decimal string with at least 2 and at most 4 decimals ("3.0000" → "3.00", "3.3333" stays). */
function tidy(amount: string): string {
  const s = fromUnits(toUnits(amount), 4);
  return s.replace(/(\.\d\d\d?)0+$/, '$1').replace(/(\.\d\d)0$/, '$1');
}

/** amount / qty at 4 decimals, rounded half away from zero, without floats. */
function divide(amount: string, qty: number): string {
  return tidy(fromUnits(mulDiv(toUnits(amount), 1n, BigInt(qty)), 4));
}

/** Woo line item and shipping titles are HTML-escaped (`&ndash;`, `&times;`, `&#8211;`). */
const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ndash: '\u2013',
  mdash: '\u2014',
  times: '\u00d7',
  hellip: '\u2026',
  lsquo: '\u2018',
  rsquo: '\u2019',
  ldquo: '\u201c',
  rdquo: '\u201d',
  euro: '\u20ac',
};
export function decodeHtmlEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? m;
  });
}

/** "2017-03-22T19:28:08" (Woo's *_gmt fields carry no zone) → "2017-03-22T19:28:08.000Z". */
export function toIsoUtc(value: string): string | null {
  const s = value.trim();
  const hasZone = /(Z|[+-]\d\d:?\d\d)$/i.test(s);
  const d = new Date(hasZone ? s : `${s.replace(' ', 'T')}Z`);
  // Year 0000 or +275760 parse, but no timestamptz column or ISO string round trip holds them.
  return isStorableInstant(d.getTime()) ? d.toISOString() : null;
}

/** `order.deleted` (trash) and forced deletes send only `{ "id": N }`. */
export function mapWooDeletedPayload(payload: unknown): { externalOrderId: string } {
  const parsed = z.object({ id: z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]) }).safeParse(payload);
  if (!parsed.success) throw validationError(payload, parsed.error);
  return { externalOrderId: String(parsed.data.id) };
}

function validationError(payload: unknown, error: z.ZodError): DomainError {
  const id =
    payload && typeof payload === 'object' && 'id' in payload ? ` ${String((payload as { id: unknown }).id)}` : '';
  const details = error.issues.map((i) => ({
    path: i.path.length ? i.path.map(String).join('.') : '(root)',
    reason: i.message,
  }));
  const first = details[0];
  return new DomainError(
    'VALIDATION',
    `WooCommerce order${id} cannot be read: ${first ? `${first.path} ${first.reason}` : 'invalid payload'}.`,
    details,
  );
}
