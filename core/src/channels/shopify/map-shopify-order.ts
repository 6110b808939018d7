import { z } from 'zod';
import { DomainError } from '../../shared/domain-error.ts';
import { add, fromUnits, isDecimal, mulQty, round2, sub, toUnits } from '../../shared/money.ts';
import { assertStorableOrder, isStorableAmount, type ChannelAddress, type ChannelOrder, type ChannelOrderLine, type PaymentStatus } from '../channel-order.ts';
import { isStorableInstant } from '../../shared/storable.ts';

/**
 * Two shapes of the same Shopify order: the REST-shaped body of the orders/* webhooks
 * (snake_case, numeric ids) and the Admin GraphQL node our connector pulls (camelCase, GIDs).
 * Both must map to the same ChannelOrder, so that a webhook and the reconciliation sync never
 * disagree about an order's id, lines or totals.
 *
 * Quantities are the *current* ones (after order edits and refunds): Expedio ships what the order
 * holds now, and a line removed by an edit (current quantity 0) must not be picked. Totals are the
 * matching `current_*` amounts for the same reason.
 */

// Not z.int(): zod refuses integers beyond 2^53 there, and exactId gives a better message for them.
const id = z.union([z.string().min(1), z.number().refine(Number.isInteger, 'must be an integer')]);
const amount = z
  .union([z.string(), z.number()])
  .refine((v) => isDecimal(String(v)), { message: 'must be a decimal amount' })
  .refine((v) => !isDecimal(String(v)) || isStorableAmount(String(v)), { message: 'must be below one billion in absolute value' });
const str = z.string().nullish();

// ---------------------------------------------------------------------------------------------
// Shared helpers

const SHOPIFY_GID = /^gid:\/\/shopify\/([A-Za-z]{1,64})\/(\d{1,20})(\?[^\s]*)?$/;
const SHOPIFY_NUMERIC_ID = /^\d{1,20}$/;

/**
 * `gid://shopify/Order/123` → "123"; a plain numeric id passes through. Anything else (a GID of
 * another type, `gid://shopify/Order/abc`, a path, an empty id) is refused with VALIDATION naming
 * `path`: an id that is not Shopify's number would be stored as a key no store order ever matches.
 */
export function shopifyIdFromGid(gid: string, path = 'id', type?: string): string {
  const m = SHOPIFY_GID.exec(gid);
  if (m && (!type || m[1] === type)) return m[2]!;
  if (!m && SHOPIFY_NUMERIC_ID.test(gid)) return gid;
  const expected = type ? `gid://shopify/${type}/<number>` : 'gid://shopify/<Type>/<number>';
  throw new DomainError('VALIDATION', `Shopify field ${path} is not a Shopify id: "${gid.slice(0, 80)}".`, [{ path, reason: `must be ${expected} or a number` }]);
}

/** Whether a value is a well-formed Shopify GID (of `type`, when named): for the places that keep GIDs whole. */
export const isShopifyGid = (v: string, type?: string): boolean => {
  const m = SHOPIFY_GID.exec(v);
  return !!m && (!type || m[1] === type);
};

function exactId(value: string | number, path: string): string {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    // A double has already rounded it (820982911946154508 → …500); storing it would merge orders.
    throw new DomainError('VALIDATION', `Shopify field ${path} (${value}) lost precision; parse the body with parseShopifyJson.`, [
      { path, reason: 'integer beyond 2^53 parsed as a number' },
    ]);
  }
  return typeof value === 'string' ? shopifyIdFromGid(value, path) : String(value);
}

function money(v: string | number | null | undefined, fallback = '0.00'): string {
  if (v === null || v === undefined || v === '') return fallback;
  return round2(String(v));
}

function sumMoney(values: (string | number | null | undefined)[]): string {
  return round2(add('0', ...values.map((v) => (v === null || v === undefined || v === '' ? '0' : String(v)))));
}

function isoUtc(value: string, path: string): string {
  const t = Date.parse(value);
  if (Number.isNaN(t)) {
    throw new DomainError('VALIDATION', `Shopify field ${path} is not a date: "${value}".`, [{ path, reason: 'not an ISO-8601 date' }]);
  }
  if (!isStorableInstant(t)) {
    // Year 0000 and +275760 parse, but no timestamptz column holds them.
    throw new DomainError('VALIDATION', `Shopify field ${path} is outside the years 1970–9999: "${value}".`, [{ path, reason: 'date outside 1970–9999' }]);
  }
  return new Date(t).toISOString();
}

function blankToNull(v: string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  const t = v.trim();
  return t === '' ? null : t;
}

function validate<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const details = r.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', reason: i.message }));
  const fields = details
    .slice(0, 5)
    .map((d) => `${d.path} (${d.reason})`)
    .join(', ');
  throw new DomainError('VALIDATION', `Invalid ${what}: ${fields}.`, details);
}

const FINANCIAL: Record<string, PaymentStatus> = {
  pending: 'pending',
  authorized: 'authorized',
  partially_paid: 'partially_paid',
  paid: 'paid',
  partially_refunded: 'partially_refunded',
  refunded: 'refunded',
  voided: 'voided',
  // An authorization that lapsed uncaptured: no money will arrive, the same outcome as a void.
  expired: 'voided',
};

function paymentStatusOf(financial: string | null): PaymentStatus {
  return (financial && FINANCIAL[financial]) || 'unknown';
}

/**
 * Shopify orders carry no VAT-number field (B2B company tax ids live in Shopify Plus company
 * locations, not on the order). Romanian checkouts collect CUI / VAT number through cart
 * attributes, which arrive as note_attributes (REST) / customAttributes (GraphQL); we read the
 * usual names and nothing else, so a vatNumber is never guessed from free text.
 */
const VAT_ATTRIBUTE = /^(vat|vat[ _-]?(number|no|id|code)|tax[ _-]?(id|number)|cui|cif|cod[ _-]?fiscal|company[ _-]?vat)$/i;

function vatFromAttributes(attrs: { name: string; value: string | null }[]): string | null {
  for (const a of attrs) if (VAT_ATTRIBUTE.test(a.name.trim())) return blankToNull(a.value);
  return null;
}

function lineDiscountForCurrentQuantity(allocated: string, quantity: number, currentQuantity: number): string {
  if (currentQuantity === quantity || quantity === 0) return round2(allocated);
  // Allocations are for the originally ordered units; keep the share of the units still on the order.
  return fromUnits((toUnits(allocated) * BigInt(currentQuantity)) / BigInt(quantity), 2);
}

function buildLine(l: {
  id: string;
  sku: string | null | undefined;
  name: string;
  quantity: number;
  currentQuantity: number;
  unitPrice: string;
  allocatedDiscount: string;
  tax: string | null;
  productId: string | null;
  variantId: string | null;
}): ChannelOrderLine {
  const discount = lineDiscountForCurrentQuantity(l.allocatedDiscount, l.quantity, l.currentQuantity);
  return {
    externalLineId: l.id,
    sku: blankToNull(l.sku),
    name: l.name,
    quantity: l.currentQuantity,
    unitPrice: l.unitPrice,
    discount,
    total: round2(sub(mulQty(l.unitPrice, l.currentQuantity), discount)),
    tax: l.tax,
    externalProductId: l.productId,
    externalVariantId: l.variantId,
  };
}

// ---------------------------------------------------------------------------------------------
// REST-shaped webhook payload (orders/create, orders/updated, orders/paid, orders/cancelled)

const restMoneySet = z.object({ shop_money: z.object({ amount }) }).nullish();

const restAddress = z
  .object({
    first_name: str,
    last_name: str,
    company: str,
    address1: str,
    address2: str,
    city: str,
    province: str,
    province_code: str,
    zip: str,
    country: str,
    country_code: str,
    phone: str,
  })
  .nullish();

const restOrderSchema = z.object({
  id,
  admin_graphql_api_id: z.string().nullish(),
  name: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  cancelled_at: z.string().nullish(),
  financial_status: z.string().nullish(),
  currency: z.string().length(3),
  taxes_included: z.boolean().nullish(),
  email: str,
  contact_email: str,
  phone: str,
  note: str,
  note_attributes: z.array(z.object({ name: z.string(), value: z.union([z.string(), z.number()]).nullish() })).nullish(),
  tags: z.string().nullish(),
  payment_gateway_names: z.array(z.string()).nullish(),
  subtotal_price: amount.nullish(),
  current_subtotal_price: amount.nullish(),
  total_discounts: amount.nullish(),
  current_total_discounts: amount.nullish(),
  total_tax: amount.nullish(),
  current_total_tax: amount.nullish(),
  total_price: amount,
  current_total_price: amount.nullish(),
  total_shipping_price_set: restMoneySet,
  current_shipping_price_set: restMoneySet,
  customer: z
    .object({
      id,
      admin_graphql_api_id: z.string().nullish(),
      email: str,
      first_name: str,
      last_name: str,
      phone: str,
      default_address: z.object({ company: str }).nullish(),
    })
    .nullish(),
  billing_address: restAddress,
  shipping_address: restAddress,
  line_items: z.array(
    z.object({
      id,
      admin_graphql_api_id: z.string().nullish(),
      sku: str,
      name: z.string().nullish(),
      title: z.string().nullish(),
      quantity: z.number().int().nonnegative(),
      current_quantity: z.number().int().nonnegative().nullish(),
      price: amount,
      product_id: id.nullish(),
      variant_id: id.nullish(),
      tax_lines: z.array(z.object({ price: amount })).nullish(),
      discount_allocations: z.array(z.object({ amount })).nullish(),
    }),
  ),
  shipping_lines: z
    .array(z.object({ title: z.string(), code: str, price: amount, is_removed: z.boolean().nullish() }))
    .nullish(),
});

function mapRestAddress(a: z.infer<typeof restAddress>, email: string | null): ChannelAddress | null {
  if (!a) return null;
  return {
    firstName: blankToNull(a.first_name),
    lastName: blankToNull(a.last_name),
    company: blankToNull(a.company),
    address1: blankToNull(a.address1),
    address2: blankToNull(a.address2),
    city: blankToNull(a.city),
    province: blankToNull(a.province),
    provinceCode: blankToNull(a.province_code),
    postcode: blankToNull(a.zip),
    country: blankToNull(a.country),
    countryCode: blankToNull(a.country_code),
    phone: blankToNull(a.phone),
    email,
  };
}

export function mapShopifyWebhookOrder(payload: unknown): ChannelOrder {
  const o = validate(restOrderSchema, payload, 'Shopify order payload');
  const externalOrderId = o.admin_graphql_api_id ? shopifyIdFromGid(o.admin_graphql_api_id, 'admin_graphql_api_id', 'Order') : exactId(o.id, 'id');
  const financial = o.financial_status ? o.financial_status.toLowerCase() : null;
  const email = blankToNull(o.email) ?? blankToNull(o.contact_email) ?? blankToNull(o.customer?.email);
  const shippingLines = (o.shipping_lines ?? [])
    .filter((s) => !s.is_removed)
    .map((s) => ({ title: s.title, code: blankToNull(s.code), price: money(s.price) }));
  const attrs = (o.note_attributes ?? []).map((a) => ({ name: a.name, value: a.value == null ? null : String(a.value) }));

  return assertStorableOrder({
    externalOrderId,
    externalNumber: o.name,
    platformStatus: o.cancelled_at ? 'cancelled' : (financial ?? 'unknown'),
    createdAt: isoUtc(o.created_at, 'created_at'),
    updatedAt: isoUtc(o.updated_at, 'updated_at'),
    currency: o.currency.toUpperCase(),
    pricesIncludeTax: o.taxes_included ?? false,
    email,
    customer: {
      externalId: o.customer
        ? o.customer.admin_graphql_api_id
          ? shopifyIdFromGid(o.customer.admin_graphql_api_id, 'customer.admin_graphql_api_id', 'Customer')
          : exactId(o.customer.id, 'customer.id')
        : null,
      email: blankToNull(o.customer?.email) ?? email,
      firstName: blankToNull(o.customer?.first_name) ?? blankToNull(o.billing_address?.first_name),
      lastName: blankToNull(o.customer?.last_name) ?? blankToNull(o.billing_address?.last_name),
      phone: blankToNull(o.customer?.phone) ?? blankToNull(o.phone) ?? blankToNull(o.billing_address?.phone),
      company: blankToNull(o.billing_address?.company) ?? blankToNull(o.customer?.default_address?.company),
      vatNumber: vatFromAttributes(attrs),
    },
    billingAddress: mapRestAddress(o.billing_address, email),
    shippingAddress: mapRestAddress(o.shipping_address, null),
    lines: o.line_items.map((l, i) =>
      buildLine({
        id: l.admin_graphql_api_id ? shopifyIdFromGid(l.admin_graphql_api_id, `line_items.${i}.admin_graphql_api_id`, 'LineItem') : exactId(l.id, `line_items.${i}.id`),
        sku: l.sku,
        name: l.name ?? l.title ?? '',
        quantity: l.quantity,
        currentQuantity: l.current_quantity ?? l.quantity,
        unitPrice: money(l.price),
        allocatedDiscount: sumMoney((l.discount_allocations ?? []).map((d) => d.amount)),
        tax: l.tax_lines ? sumMoney(l.tax_lines.map((t) => t.price)) : null,
        productId: l.product_id == null ? null : exactId(l.product_id, `line_items.${i}.product_id`),
        variantId: l.variant_id == null ? null : exactId(l.variant_id, `line_items.${i}.variant_id`),
      }),
    ),
    shippingLines,
    subtotal: money(o.current_subtotal_price ?? o.subtotal_price),
    discountTotal: money(o.current_total_discounts ?? o.total_discounts),
    shippingTotal: money(
      o.current_shipping_price_set?.shop_money.amount ??
        o.total_shipping_price_set?.shop_money.amount ??
        sumMoney(shippingLines.map((s) => s.price)),
    ),
    taxTotal: money(o.current_total_tax ?? o.total_tax),
    total: money(o.current_total_price ?? o.total_price),
    paymentMethod: o.payment_gateway_names?.length ? o.payment_gateway_names.join(', ') : null,
    paymentStatus: paymentStatusOf(financial),
    cancelled: Boolean(o.cancelled_at),
    note: blankToNull(o.note),
    tags: splitTags(o.tags ?? ''),
  });
}

function splitTags(tags: string): string[] {
  return tags
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

// ---------------------------------------------------------------------------------------------
// Admin GraphQL Order node (the selection in shopify-connector.ts ORDERS_QUERY)

const gqlMoneyBag = z.object({ shopMoney: z.object({ amount }) }).nullish();

const gqlAddress = z
  .object({
    firstName: str,
    lastName: str,
    company: str,
    address1: str,
    address2: str,
    city: str,
    province: str,
    provinceCode: str,
    zip: str,
    country: str,
    countryCodeV2: str,
    phone: str,
  })
  .nullish();

const gqlOrderSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  cancelledAt: z.string().nullish(),
  displayFinancialStatus: z.string().nullish(),
  currencyCode: z.string().length(3),
  taxesIncluded: z.boolean().nullish(),
  email: str,
  phone: str,
  note: str,
  tags: z.array(z.string()).nullish(),
  paymentGatewayNames: z.array(z.string()).nullish(),
  customAttributes: z.array(z.object({ key: z.string(), value: str })).nullish(),
  customer: z
    .object({
      id: z.string(),
      firstName: str,
      lastName: str,
      email: str,
      phone: str,
      defaultEmailAddress: z.object({ emailAddress: str }).nullish(),
      defaultPhoneNumber: z.object({ phoneNumber: str }).nullish(),
      defaultAddress: z.object({ company: str }).nullish(),
    })
    .nullish(),
  billingAddress: gqlAddress,
  shippingAddress: gqlAddress,
  currentSubtotalPriceSet: gqlMoneyBag,
  subtotalPriceSet: gqlMoneyBag,
  currentTotalDiscountsSet: gqlMoneyBag,
  totalDiscountsSet: gqlMoneyBag,
  currentShippingPriceSet: gqlMoneyBag,
  totalShippingPriceSet: gqlMoneyBag,
  currentTotalTaxSet: gqlMoneyBag,
  totalTaxSet: gqlMoneyBag,
  currentTotalPriceSet: gqlMoneyBag,
  totalPriceSet: gqlMoneyBag,
  lineItems: z.object({
    nodes: z.array(
      z.object({
        id: z.string(),
        sku: str,
        name: z.string(),
        quantity: z.number().int().nonnegative(),
        currentQuantity: z.number().int().nonnegative().nullish(),
        originalUnitPriceSet: z.object({ shopMoney: z.object({ amount }) }),
        discountAllocations: z.array(z.object({ allocatedAmountSet: z.object({ shopMoney: z.object({ amount }) }) })).nullish(),
        taxLines: z.array(z.object({ priceSet: z.object({ shopMoney: z.object({ amount }) }) })).nullish(),
        product: z.object({ id: z.string() }).nullish(),
        variant: z.object({ id: z.string() }).nullish(),
      }),
    ),
  }),
  shippingLines: z
    .object({
      nodes: z.array(
        z.object({
          title: z.string(),
          code: str,
          isRemoved: z.boolean().nullish(),
          originalPriceSet: z.object({ shopMoney: z.object({ amount }) }),
        }),
      ),
    })
    .nullish(),
});

function mapGqlAddress(a: z.infer<typeof gqlAddress>, email: string | null): ChannelAddress | null {
  if (!a) return null;
  return {
    firstName: blankToNull(a.firstName),
    lastName: blankToNull(a.lastName),
    company: blankToNull(a.company),
    address1: blankToNull(a.address1),
    address2: blankToNull(a.address2),
    city: blankToNull(a.city),
    province: blankToNull(a.province),
    provinceCode: blankToNull(a.provinceCode),
    postcode: blankToNull(a.zip),
    country: blankToNull(a.country),
    countryCode: blankToNull(a.countryCodeV2),
    phone: blankToNull(a.phone),
    email,
  };
}

export function mapShopifyGraphqlOrder(node: unknown): ChannelOrder {
  const o = validate(gqlOrderSchema, node, 'Shopify GraphQL order');
  const financial = o.displayFinancialStatus ? o.displayFinancialStatus.toLowerCase() : null;
  const customerEmail = blankToNull(o.customer?.defaultEmailAddress?.emailAddress) ?? blankToNull(o.customer?.email);
  const email = blankToNull(o.email) ?? customerEmail;
  const shippingLines = (o.shippingLines?.nodes ?? [])
    .filter((s) => !s.isRemoved)
    .map((s) => ({ title: s.title, code: blankToNull(s.code), price: money(s.originalPriceSet.shopMoney.amount) }));
  const attrs = (o.customAttributes ?? []).map((a) => ({ name: a.key, value: a.value ?? null }));
  const amountOf = (...bags: z.infer<typeof gqlMoneyBag>[]) => bags.find((b) => b)?.shopMoney.amount;

  return assertStorableOrder({
    externalOrderId: shopifyIdFromGid(o.id, 'id', 'Order'),
    externalNumber: o.name,
    platformStatus: o.cancelledAt ? 'cancelled' : (financial ?? 'unknown'),
    createdAt: isoUtc(o.createdAt, 'createdAt'),
    updatedAt: isoUtc(o.updatedAt, 'updatedAt'),
    currency: o.currencyCode.toUpperCase(),
    pricesIncludeTax: o.taxesIncluded ?? false,
    email,
    customer: {
      externalId: o.customer ? shopifyIdFromGid(o.customer.id, 'customer.id', 'Customer') : null,
      email: customerEmail ?? email,
      firstName: blankToNull(o.customer?.firstName) ?? blankToNull(o.billingAddress?.firstName),
      lastName: blankToNull(o.customer?.lastName) ?? blankToNull(o.billingAddress?.lastName),
      phone:
        blankToNull(o.customer?.defaultPhoneNumber?.phoneNumber) ??
        blankToNull(o.customer?.phone) ??
        blankToNull(o.phone) ??
        blankToNull(o.billingAddress?.phone),
      company: blankToNull(o.billingAddress?.company) ?? blankToNull(o.customer?.defaultAddress?.company),
      vatNumber: vatFromAttributes(attrs),
    },
    billingAddress: mapGqlAddress(o.billingAddress, email),
    shippingAddress: mapGqlAddress(o.shippingAddress, null),
    lines: o.lineItems.nodes.map((l, i) =>
      buildLine({
        id: shopifyIdFromGid(l.id, `lineItems.${i}.id`, 'LineItem'),
        sku: l.sku,
        name: l.name,
        quantity: l.quantity,
        currentQuantity: l.currentQuantity ?? l.quantity,
        unitPrice: money(l.originalUnitPriceSet.shopMoney.amount),
        allocatedDiscount: sumMoney((l.discountAllocations ?? []).map((d) => d.allocatedAmountSet.shopMoney.amount)),
        tax: l.taxLines ? sumMoney(l.taxLines.map((t) => t.priceSet.shopMoney.amount)) : null,
        productId: l.product ? shopifyIdFromGid(l.product.id, `lineItems.${i}.product.id`, 'Product') : null,
        variantId: l.variant ? shopifyIdFromGid(l.variant.id, `lineItems.${i}.variant.id`, 'ProductVariant') : null,
      }),
    ),
    shippingLines,
    subtotal: money(amountOf(o.currentSubtotalPriceSet, o.subtotalPriceSet)),
    discountTotal: money(amountOf(o.currentTotalDiscountsSet, o.totalDiscountsSet)),
    shippingTotal: money(
      amountOf(o.currentShippingPriceSet, o.totalShippingPriceSet) ?? sumMoney(shippingLines.map((s) => s.price)),
    ),
    taxTotal: money(amountOf(o.currentTotalTaxSet, o.totalTaxSet)),
    total: money(amountOf(o.currentTotalPriceSet, o.totalPriceSet)),
    paymentMethod: o.paymentGatewayNames?.length ? o.paymentGatewayNames.join(', ') : null,
    paymentStatus: paymentStatusOf(financial),
    cancelled: Boolean(o.cancelledAt),
    note: blankToNull(o.note),
    tags: (o.tags ?? []).map((t) => t.trim()).filter((t) => t !== ''),
  });
}
