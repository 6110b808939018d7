import { randomUUID } from 'node:crypto';
import { type Channel, ensureManualChannel, getChannel, manualChannel } from '../channels/index.ts';
import { type AddressInput, type Client, type ClientInput, createClient, normaliseAddress, rememberClientAddress, requireClient, type StoredAddress, throwIfProblems } from '../clients/index.ts';
import type { Tx } from '../db/connect.ts';
import { enqueue } from '../db/outbox.ts';
import { catalogProducts, getWarehouse, priceListCurrency, resolvePrices, soleWarehouseId } from '../inventory/index.ts';
import { clientHasOtherOrders, insertManualOrder, lockOrder, moveLockedOrder, type OrderLineInput, type OrderStatus, setIntakeStatus } from '../orders/index.ts';
import type { ErrorDetail } from '../shared/domain-error.ts';
import { cmp, fromUnits, mulDiv, toUnits } from '../shared/money.ts';

export const MANUAL_PAYMENT_METHODS = ['cod', 'bank_transfer', 'card', 'cash'] as const;
export type ManualPaymentMethod = (typeof MANUAL_PAYMENT_METHODS)[number];

export interface ManualOrderLineInput {
  productId?: string;
  sku?: string;
  quantity: number;
  /** Per unit, on the order's basis (VAT included unless pricesIncludeTax is false); default: the price list's. */
  unitPrice?: string;
  /** For the whole line, same basis. */
  discount?: string;
}

export interface ManualOrderInput {
  /** The tenant's manual channel when left out (created on first use). */
  channelId?: string;
  /** An existing client, or `client` to create one with the order. */
  clientId?: string;
  client?: ClientInput;
  lines: ManualOrderLineInput[];
  /** Default: the client's shipping address, else its billing address. */
  shippingAddress?: AddressInput;
  /** Default: the client's billing address, else the shipping address. */
  billingAddress?: AddressInput;
  shippingTotal?: string;
  currency?: string;
  pricesIncludeTax?: boolean;
  /** Default: the channel's price list. */
  priceListId?: string;
  paymentMethod: ManualPaymentMethod;
  /** Paid already (card, bank transfer received); a COD order is paid to the courier. */
  paid?: boolean;
  note?: string;
  /** The operator's own reference (a phone order number): unique per channel, so a retry cannot duplicate the order. */
  reference?: string;
  /** Default: the channel's default warehouse. */
  warehouseId?: string;
  /** false keeps the order as a draft (not yet to be fulfilled); default true: new. */
  submit?: boolean;
}

/**
 * An order typed in by an operator, on the tenant's manual channel: the client picked or created
 * (B2B identity checked), the lines from the catalog priced from the price list unless a price is
 * given, the addresses checked, then the order as new (or a draft). Confirming it reserves stock
 * exactly as for a store order (`confirmOrder`); the work the channel's settings ask for is
 * enqueued in this transaction, as intake does.
 */
export async function createManualOrder(tx: Tx, tenantId: string, input: ManualOrderInput): Promise<{ orderId: string; status: OrderStatus; clientId: string; clientCreated: boolean; channelId: string }> {
  const channel: Channel = input.channelId ? await manualChannel(tx, tenantId, input.channelId) : await ensureManualChannel(tx, tenantId, await soleWarehouseId(tx, tenantId));
  const problems: ErrorDetail[] = [];
  if (input.clientId && input.client) problems.push({ path: 'client', reason: 'give clientId or client, not both' });
  if (!input.clientId && !input.client) problems.push({ path: 'clientId', reason: 'pick a client (clientId) or create one (client)' });
  if (input.paymentMethod === 'cod' && input.paid) problems.push({ path: 'paid', reason: 'a cash-on-delivery order is paid to the courier' });
  if (input.warehouseId && !(await getWarehouse(tx, tenantId, input.warehouseId))) problems.push({ path: 'warehouseId', reason: 'unknown warehouse' });
  throwIfProblems(problems);

  const client: Client = input.client ? await createClient(tx, tenantId, input.client, 'client') : await requireClient(tx, tenantId, input.clientId!, 'clientId');
  const shipping = addressFor(input.shippingAddress, 'shippingAddress', client.shippingAddress ?? client.billingAddress, client, problems);
  const billing = addressFor(input.billingAddress, 'billingAddress', client.billingAddress ?? shipping, client, problems);
  throwIfProblems(problems);
  if (client.company && !billing!.company) billing!.company = client.company;

  const priceListId = input.priceListId ?? channel.priceListId;
  const listCurrency = priceListId ? await priceListCurrency(tx, tenantId, priceListId, input.priceListId ? 'priceListId' : 'channelId') : null;
  const currency = input.currency ?? listCurrency ?? 'RON';
  if (listCurrency && listCurrency !== currency) problems.push({ path: 'currency', reason: `the price list ${priceListId} is in ${listCurrency}` });
  const lines = await priceLines(tx, tenantId, input.lines, priceListId, input.pricesIncludeTax ?? true, problems);
  throwIfProblems(problems);

  const shippingTotal = fromUnits(toUnits(input.shippingTotal ?? '0'), 2);
  const sum = (f: (l: OrderLineInput) => string) => lines.reduce((a, l) => a + toUnits(f(l)), 0n);
  const inclusive = input.pricesIncludeTax ?? true;
  const subtotal = sum((l) => l.total);
  const taxTotal = sum((l) => l.tax ?? '0');
  const total = subtotal + toUnits(shippingTotal) + (inclusive ? 0n : taxTotal);
  const reference = input.reference?.trim() || null;
  const externalOrderId = reference ?? `manual-${randomUUID()}`;
  const orderId = await insertManualOrder(tx, tenantId, channel.id, {
    externalOrderId,
    externalNumber: reference,
    clientId: client.id,
    currency,
    pricesIncludeTax: inclusive,
    paymentMethod: input.paymentMethod,
    paymentStatus: input.paid ? 'paid' : 'pending',
    subtotal: fromUnits(subtotal, 2),
    discountTotal: fromUnits(sum((l) => l.discount), 2),
    shippingTotal,
    taxTotal: fromUnits(taxTotal, 2),
    total: fromUnits(total, 2),
    billingAddress: billing as unknown as Record<string, unknown>,
    shippingAddress: shipping as unknown as Record<string, unknown>,
    email: client.email,
    note: input.note?.trim() || null,
    warehouseId: input.warehouseId ?? null,
    lines,
  });
  await rememberClientAddress(tx, tenantId, client.id, 'shipping', shipping!);
  await rememberClientAddress(tx, tenantId, client.id, 'billing', billing!);

  const approval = await approvalFor(tx, channel, fromUnits(total, 2), client.id, externalOrderId);
  const status: OrderStatus = input.submit === false ? 'draft' : 'new';
  await setIntakeStatus(tx, tenantId, orderId, status, { approvalStatus: approval });
  await enqueueFollowUps(tx, channel, orderId, status, approval, input.paid === true);
  return { orderId, status, clientId: client.id, clientCreated: !!input.client, channelId: channel.id };
}

/** draft → new: the operator says the order is real; what the channel automates follows as for a new order. */
export async function submitOrder(tx: Tx, tenantId: string, orderId: string): Promise<{ orderId: string; status: OrderStatus }> {
  const order = await lockOrder(tx, tenantId, orderId);
  const status = await moveLockedOrder(tx, order, 'submit');
  await enqueueFollowUps(tx, await getChannel(tx, tenantId, order.channelId), orderId, status, order.approvalStatus, false);
  return { orderId, status };
}

async function enqueueFollowUps(tx: Tx, channel: Channel, orderId: string, status: OrderStatus, approval: string | null, paid: boolean): Promise<void> {
  if (status === 'new' && channel.autoConfirm && approval !== 'pending') {
    await enqueue(tx, channel.tenantId, 'order.validate', { orderId }, `order.validate:${orderId}:manual`);
  }
  if (paid && channel.createInvoice === 'on_paid') {
    await enqueue(tx, channel.tenantId, 'invoice.issue', { orderId, trigger: 'on_paid' }, `invoice.issue:${orderId}:on_paid`);
  }
}

function addressFor(given: AddressInput | undefined, path: string, fallback: StoredAddress | null, client: Client, problems: ErrorDetail[]): StoredAddress | null {
  const a = given ? normaliseAddress(given, path, problems) : fallback ? { ...fallback } : null;
  if (!a) {
    problems.push({ path, reason: 'required: the client has no address on record' });
    return null;
  }
  // The person the courier asks for: the client's, unless the address names another.
  if (!a.firstName && !a.lastName && !a.company) Object.assign(a, { firstName: client.firstName, lastName: client.lastName, company: client.company });
  a.phone ??= client.phone;
  a.email ??= client.email;
  return a;
}

/** Lines from the catalog, priced: the given unit price, else the price list's; totals and VAT per line. */
async function priceLines(tx: Tx, tenantId: string, input: ManualOrderLineInput[], priceListId: string | null, inclusive: boolean, problems: ErrorDetail[]): Promise<OrderLineInput[]> {
  const products = await catalogProducts(tx, tenantId, { ids: input.flatMap((l) => (l.productId ? [l.productId] : [])), skus: input.flatMap((l) => (!l.productId && l.sku ? [l.sku] : [])) });
  const prices = priceListId ? await resolvePrices(tx, tenantId, priceListId, products.map((p) => p.id)) : new Map<string, string>();
  if (input.length === 0) problems.push({ path: 'lines', reason: 'an order needs at least one line' });
  const out: OrderLineInput[] = [];
  for (const [i, l] of input.entries()) {
    const at = `lines[${i}]`;
    const p = products.find((x) => (l.productId ? x.id === l.productId : x.sku === l.sku));
    if (!l.productId && !l.sku) {
      problems.push({ path: `${at}.sku`, reason: 'give productId or sku' });
      continue;
    }
    if (!p) {
      problems.push({ path: `${at}.${l.productId ? 'productId' : 'sku'}`, reason: `no product ${l.productId ?? l.sku} in the catalog` });
      continue;
    }
    const listPrice = prices.get(p.id) ?? null;
    const unitPrice = l.unitPrice ?? listPrice;
    if (unitPrice === null) {
      problems.push({ path: `${at}.unitPrice`, reason: priceListId ? `required: price list ${priceListId} has no price for ${p.sku}` : 'required: the channel has no price list' });
      continue;
    }
    const gross = toUnits(unitPrice) * BigInt(l.quantity);
    const discount = toUnits(l.discount ?? '0');
    if (discount > gross) {
      problems.push({ path: `${at}.discount`, reason: 'more than the line is worth' });
      continue;
    }
    const total = gross - discount;
    const rate = toUnits(p.vatRate);
    const tax = inclusive ? mulDiv(total, rate, rate + toUnits('100')) : mulDiv(total, rate, toUnits('100'));
    out.push({
      externalLineId: String(i + 1),
      productId: p.id,
      sku: p.sku,
      name: p.name,
      quantity: l.quantity,
      unitPrice: fromUnits(toUnits(unitPrice), 4),
      listPrice,
      discount: fromUnits(discount, 2),
      total: fromUnits(total, 2),
      tax: fromUnits(tax, 2),
      vatRate: p.vatRate,
    });
  }
  return out;
}

/** The channel's approval rules, as for a store order (above a total, a client's first order). */
async function approvalFor(tx: Tx, channel: Channel, total: string, clientId: string, externalOrderId: string): Promise<'pending' | null> {
  if (!channel.approvalRequired) return null;
  if (channel.approvalMinTotal === null && !channel.approvalFirstOrder) return 'pending';
  if (channel.approvalMinTotal !== null && cmp(total, channel.approvalMinTotal) > 0) return 'pending';
  if (channel.approvalFirstOrder && !(await clientHasOtherOrders(tx, channel.tenantId, clientId, externalOrderId))) return 'pending';
  return null;
}
