import type { Context, Hono } from 'hono';
import { type Action, can, type Language, requirePermission, type SessionUser } from '../../auth/index.ts';
import { listChannels } from '../../channels/index.ts';
import { type ClientInput, clientMerges, findDuplicateClients, requireClient, searchClients, updateClient } from '../../clients/index.ts';
import { ORDER_STATUSES, type OrderStatus } from '../../contracts/order.ts';
import { cancelOrder, confirmOrder, createManualOrder, MANUAL_PAYMENT_METHODS, type ManualOrderInput, type ManualPaymentMethod, mergeClients, submitOrder } from '../../flows/index.ts';
import { catalogChoices, priceListCurrency } from '../../inventory/index.ts';
import { getOrderDetail, listOrders } from '../../orders/index.ts';
import { listReturns, RETURNABLE_ORDER_STATUSES } from '../../returns/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { DomainError, type ErrorDetail } from '../../shared/domain-error.ts';
import { isId } from '../../shared/ids.ts';
import { listDeliveryNotes } from '../../warehouse/index.ts';
import { STATUS_BY_CODE } from '../errors.ts';
import { fieldReason } from './field-reasons.ts';
import { BASE, type PageContext } from './layout.ts';
import { clientFormValues, clientName, clientScreen, clientsScreen } from './screens/clients-screen.ts';
import { emptyForm, type FormState } from './screens/desk-form.ts';
import { NEW_ORDER_LINES, newOrderScreen } from './screens/new-order-screen.ts';
import { orderDetailScreen, ordersScreen } from './screens/orders-screen.ts';
import { requireSession, type UiEnv } from './web-session.ts';

type Body = Record<string, string | File | (string | File)[]>;
const one = (b: Body, name: string): string => {
  const v = b[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first.trim().slice(0, 2000) : '';
};
const values = (b: Body): Record<string, string> => Object.fromEntries(Object.keys(b).filter((k) => k !== '_csrf').map((k) => [k, one(b, k)]));
const opt = (s: string): string | undefined => (s === '' ? undefined : s);
const MONEY = /^\d{1,10}([.,]\d{1,4})?$/;

/** Errors the form shows by field, in the operator's language; a domain error's details name the very inputs (they carry the API's paths). */
function formErrors(lang: Language, details: ErrorDetail[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of details) out[d.path] ??= fieldReason(lang, d.reason);
  return out;
}

const ADDRESS_KEYS = ['firstName', 'lastName', 'phone', 'address1', 'address2', 'city', 'province', 'postcode'] as const;
function addressOf(v: Record<string, string>, prefix: string): Record<string, string> | undefined {
  const a = Object.fromEntries(ADDRESS_KEYS.map((k) => [k, v[`${prefix}.${k}`] ?? '']).filter(([, x]) => x !== ''));
  return Object.keys(a).length > 0 ? { ...a, countryCode: 'RO' } : undefined;
}

/** The new-order form as the flow's input; the problems found before the flow (numbers that are not). */
function manualOrderFrom(v: Record<string, string>, problems: ErrorDetail[]): { input: ManualOrderInput; rows: number[] } {
  const lines: ManualOrderInput['lines'] = [];
  for (let i = 0; i < 50; i++) {
    const sku = v[`lines[${i}].sku`] ?? '';
    const qty = v[`lines[${i}].quantity`] ?? '';
    const price = (v[`lines[${i}].unitPrice`] ?? '').replace(',', '.');
    if (!sku && !qty && !price) continue;
    const quantity = qty === '' ? 1 : Number(qty);
    if (!sku) problems.push({ path: `lines[${i}].sku`, reason: 'required' });
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > 100_000) problems.push({ path: `lines[${i}].quantity`, reason: 'must be a whole number from 1' });
    if (price && !MONEY.test(price)) problems.push({ path: `lines[${i}].unitPrice`, reason: 'must be an amount like 49.90' });
    // The row's index stays the field's: an error names the row the operator typed in.
    lines[i] = { sku, quantity, ...(price ? { unitPrice: price } : {}) };
  }
  if (lines.length === 0) problems.push({ path: 'lines[0].sku', reason: 'an order needs at least one item' });
  const shippingTotal = (v.shippingTotal ?? '').replace(',', '.');
  if (shippingTotal && !MONEY.test(shippingTotal)) problems.push({ path: 'shippingTotal', reason: 'must be an amount like 19.99' });
  const method = (MANUAL_PAYMENT_METHODS as readonly string[]).includes(v.paymentMethod ?? '') ? (v.paymentMethod as ManualPaymentMethod) : 'cod';
  const mode = v.clientMode === 'new' || !v.clientId ? 'new' : 'existing';
  let client: ClientInput | undefined;
  if (mode === 'new') {
    const billing = addressOf(v, 'client.billingAddress');
    client = {
      kind: v['client.kind'] === 'person' ? 'person' : 'company',
      ...(billing ? { billingAddress: billing } : {}),
      ...Object.fromEntries((['company', 'cui', 'tradeRegisterNo', 'iban', 'firstName', 'lastName', 'email', 'phone'] as const).map((k) => [k, opt(v[`client.${k}`] ?? '')]).filter(([, x]) => x !== undefined)),
      ...(v['client.vatPayer'] ? { vatPayer: true } : {}),
    };
  }
  const shipping = addressOf(v, 'shippingAddress');
  const rows = lines.flatMap((l, i) => (l ? [i] : []));
  const input: ManualOrderInput = {
    ...(mode === 'existing' && isId(v.clientId) ? { clientId: v.clientId } : {}),
    ...(client ? { client } : {}),
    lines: lines.filter(Boolean),
    ...(shipping ? { shippingAddress: shipping } : {}),
    ...(shippingTotal ? { shippingTotal } : {}),
    paymentMethod: method,
    ...(v.paid ? { paid: true } : {}),
    ...(opt(v.note ?? '') ? { note: v.note } : {}),
    ...(opt(v.reference ?? '') ? { reference: v.reference } : {}),
    ...(v.draft ? { submit: false } : {}),
  };
  return { input, rows };
}

/** The flow numbers the lines it was given; the form's rows may have gaps, so its paths go back to the rows typed in. */
const toRows = (details: ErrorDetail[], rows: number[]): ErrorDetail[] =>
  details.map((d) => ({ ...d, path: d.path.replace(/^lines\[(\d+)\]/, (_m, k: string) => `lines[${rows[Number(k)] ?? k}]`) }));

/** A client edit form as the patch: every field the form shows is written (an emptied one is cleared). */
function clientPatchFrom(v: Record<string, string>): ClientInput {
  const patch: ClientInput = { kind: v.kind === 'company' ? 'company' : 'person', vatPayer: !!v.vatPayer };
  for (const k of ['company', 'cui', 'tradeRegisterNo', 'iban', 'firstName', 'lastName', 'email', 'phone'] as const) patch[k] = opt(v[k] ?? '') ?? null;
  const billing = addressOf(v, 'billingAddress');
  const shipping = addressOf(v, 'shippingAddress');
  if (billing) patch.billingAddress = billing;
  if (shipping) patch.shippingAddress = shipping;
  return patch;
}

const isFormError = (e: unknown): e is DomainError => e instanceof DomainError && ['VALIDATION', 'CONFLICT', 'NOT_FOUND'].includes(e.code);

/**
 * The desk's order and client screens, on the warehouse UI's router (session, CSRF and language
 * are its middleware): Orders, Orders → New order, one order (confirm reserves stock), Clients
 * (search, duplicates, edit, merge).
 */
export function deskOrderRoutes(ui: Hono<UiEnv>, deps: Deps, ctxOf: (c: Context<UiEnv>) => PageContext) {
  const gate = (c: Context<UiEnv>, action: Action): SessionUser => {
    const s = requireSession(c);
    requirePermission(s, action);
    return s;
  };

  /** The manual channel's price list (none until the channel exists): what the form shows as default prices. */
  async function formCatalog(tenantId: string) {
    const manual = (await listChannels(deps.sql, tenantId)).find((ch) => ch.kind === 'manual');
    const priceListId = manual?.priceListId ?? null;
    const currency = priceListId ? await priceListCurrency(deps.sql, tenantId, priceListId, 'priceListId') : 'RON';
    return { catalog: await catalogChoices(deps.sql, tenantId, priceListId), currency };
  }

  async function renderNewOrder(c: Context<UiEnv>, s: SessionUser, form: FormState, clientQuery: string, status: 200 | 400 | 404 | 409 = 200) {
    const clients = clientQuery || form.values.clientId ? await searchClients(deps.sql, s.tenantId, clientQuery, 20) : [];
    if (form.values.clientId && !clients.some((x) => x.id === form.values.clientId)) {
      const picked = isId(form.values.clientId) ? await requireClient(deps.sql, s.tenantId, form.values.clientId).catch(() => null) : null;
      if (picked) clients.unshift(picked);
    }
    const lineCount = Math.max(NEW_ORDER_LINES, ...Object.keys(form.values).map((k) => Number(/^lines\[(\d+)\]/.exec(k)?.[1] ?? -1) + 1));
    const choices = clients.map((x) => ({ id: x.id, label: clientName(x), detail: [x.cui, x.email, x.phone, x.shippingAddress?.city ?? x.billingAddress?.city].filter(Boolean).join(' · ') }));
    return c.html(newOrderScreen(ctxOf(c), s, { form, clientQuery, clients: choices, ...(await formCatalog(s.tenantId)), lineCount }), status);
  }

  ui.get('/orders', async (c) => {
    const s = gate(c, 'order.view');
    const status = c.req.query('status') ?? '';
    const page = await listOrders(deps.sql, s.tenantId, { limit: 50, ...((ORDER_STATUSES as readonly string[]).includes(status) ? { status: status as OrderStatus } : {}) });
    return c.html(ordersScreen(ctxOf(c), page.orders, { status, canCreate: can(s.role, 'order.create') }));
  });

  ui.get('/orders/new', async (c) => {
    const s = gate(c, 'order.create');
    const q = (c.req.query('clientQ') ?? '').trim().slice(0, 200);
    const clientId = c.req.query('clientId') ?? '';
    return renderNewOrder(c, s, { values: { paymentMethod: 'cod', ...(isId(clientId) ? { clientId, clientMode: 'existing' } : {}) }, errors: {} }, q);
  });

  ui.post('/orders', async (c) => {
    const s = gate(c, 'order.create');
    const v = values(await c.req.parseBody({ all: true }));
    const problems: ErrorDetail[] = [];
    const { input, rows } = manualOrderFrom(v, problems);
    if (problems.length > 0) return renderNewOrder(c, s, { values: v, errors: formErrors(c.get('lang'), problems) }, v.clientQ ?? '', 400);
    try {
      const created = await deps.sql.begin((tx) => createManualOrder(tx, s.tenantId, input));
      return c.redirect(`${BASE}/orders/${created.orderId}?created=1`, 303);
    } catch (e) {
      if (!isFormError(e)) throw e;
      return renderNewOrder(c, s, { values: v, errors: formErrors(c.get('lang'), e.details.length > 0 ? toRows(e.details, rows) : [{ path: '(order)', reason: e.message }]) }, v.clientQ ?? '', STATUS_BY_CODE[e.code] as 400 | 404 | 409);
    }
  });

  /** The order's returns and, once it is delivered, the way to start one (issue 13). */
  async function orderReturnsView(s: SessionUser, id: string, st: OrderStatus) {
    if (!can(s.role, 'return.view')) return { returns: [], returnHref: null };
    const { returns } = await listReturns(deps.sql, s.tenantId, { limit: 20, orderId: id });
    const returnable = (RETURNABLE_ORDER_STATUSES as readonly string[]).includes(st) && can(s.role, 'return.manage');
    return { returns: returns.map((r) => ({ id: r.id, status: r.status, type: r.type, units: r.units })), returnHref: returnable ? `${BASE}/orders/${id}/return` : null };
  }

  async function renderOrder(c: Context<UiEnv>, s: SessionUser, id: string, flash?: { kind: 'ok' | 'error' | 'warn'; text: string }, status: 200 | 409 = 200) {
    const o = (await getOrderDetail(deps.sql, s.tenantId, id)) as Awaited<ReturnType<typeof getOrderDetail>> & { client: { id: string; email: string | null; firstName: string | null; lastName: string | null; company: string | null; vatNumber: string | null; phone: string | null } | null };
    const { deliveryNotes } = await listDeliveryNotes(deps.sql, s.tenantId, { orderId: id, limit: 20 });
    const st = o.status as OrderStatus;
    return c.html(
      orderDetailScreen(
        ctxOf(c),
        s,
        {
          id: o.id,
          externalNumber: o.externalNumber,
          status: st,
          holdReason: o.holdReason,
          paymentMethod: o.paymentMethod,
          paid: o.paid,
          currency: o.currency,
          total: o.total,
          shippingTotal: o.shippingTotal,
          fees: o.fees,
          note: o.note as string | null,
          client: o.client ? { ...o.client, name: clientName({ ...o.client, id: o.client.id }) } : null,
          shippingAddress: o.shippingAddress as Record<string, unknown> | null,
          lines: o.lines as never,
          deliveryNotes: deliveryNotes.map((d) => ({ id: d.id, status: d.status })),
          canConfirm: can(s.role, 'order.create') && ['draft', 'new', 'on_hold'].includes(st),
          canCancel: can(s.role, 'order.create') && ['draft', 'new', 'on_hold', 'confirmed'].includes(st),
          clientHref: o.client && can(s.role, 'client.manage') ? `${BASE}/clients/${o.client.id}` : null,
          ...(await orderReturnsView(s, id, st)),
        },
        flash,
      ),
      status,
    );
  }

  ui.get('/orders/:id', async (c) => {
    const s = gate(c, 'order.view');
    return renderOrder(c, s, c.req.param('id'), c.req.query('created') === '1' ? { kind: 'ok', text: c.get('t')('orderCreated') } : undefined);
  });

  /** Confirm: a draft is submitted first (one transaction), then validated and reserved as a store order is. */
  ui.post('/orders/:id/confirm', async (c) => {
    const s = gate(c, 'order.create');
    const id = c.req.param('id');
    const t = c.get('t');
    try {
      const r = await deps.sql.begin(async (tx) => {
        const o = await getOrderDetail(tx, s.tenantId, id);
        if (o.status === 'draft') await submitOrder(tx, s.tenantId, id);
        return confirmOrder(tx, s.tenantId, id);
      });
      return renderOrder(c, s, id, r.status === 'confirmed' ? { kind: 'ok', text: t('orderConfirmed') } : { kind: 'warn', text: t('orderOnHold') });
    } catch (e) {
      if (!(e instanceof DomainError) || e.code !== 'INVALID_STATE') throw e;
      return renderOrder(c, s, id, { kind: 'error', text: e.message }, 409);
    }
  });

  ui.post('/orders/:id/cancel', async (c) => {
    const s = gate(c, 'order.create');
    const id = c.req.param('id');
    try {
      await deps.sql.begin((tx) => cancelOrder(tx, s.tenantId, id, `cancelled by ${s.name}`));
      return renderOrder(c, s, id);
    } catch (e) {
      if (!(e instanceof DomainError) || e.code !== 'INVALID_STATE') throw e;
      return renderOrder(c, s, id, { kind: 'error', text: e.message }, 409);
    }
  });

  // --- Clients ------------------------------------------------------------------------------------
  ui.get('/clients', async (c) => {
    const s = gate(c, 'client.manage');
    const q = (c.req.query('q') ?? '').trim().slice(0, 200);
    const [clients, duplicates] = await Promise.all([searchClients(deps.sql, s.tenantId, q, 50), findDuplicateClients(deps.sql, s.tenantId)]);
    return c.html(clientsScreen(ctxOf(c), s, { q, clients, duplicates }, c.req.query('merged') === '1' ? c.get('t')('merged') : undefined));
  });

  async function renderClient(c: Context<UiEnv>, s: SessionUser, id: string, form: FormState | null, flash?: string, status: 200 | 400 | 404 | 409 = 200) {
    const client = await requireClient(deps.sql, s.tenantId, id);
    return c.html(clientScreen(ctxOf(c), s, { client, form: form ?? { values: clientFormValues(client), errors: {} }, merges: await clientMerges(deps.sql, s.tenantId, id) }, flash), status);
  }

  ui.get('/clients/:id', async (c) => {
    const s = gate(c, 'client.manage');
    return renderClient(c, s, c.req.param('id'), null, c.req.query('merged') === '1' ? c.get('t')('merged') : undefined);
  });

  ui.post('/clients/:id', async (c) => {
    const s = gate(c, 'client.manage');
    const id = c.req.param('id');
    const v = values(await c.req.parseBody({ all: true }));
    try {
      await deps.sql.begin((tx) => updateClient(tx, s.tenantId, id, clientPatchFrom(v)));
      return renderClient(c, s, id, null, c.get('t')('clientSaved'));
    } catch (e) {
      if (!isFormError(e) || e.code === 'NOT_FOUND') throw e;
      return renderClient(c, s, id, { values: v, errors: formErrors(c.get('lang'), e.details) }, undefined, STATUS_BY_CODE[e.code] as 400 | 409);
    }
  });

  ui.post('/clients/:id/merge', async (c) => {
    const s = gate(c, 'client.manage');
    const id = c.req.param('id');
    const mergeClientId = one(await c.req.parseBody(), 'mergeClientId');
    try {
      if (!isId(mergeClientId)) throw new DomainError('VALIDATION', 'Name the client to merge by its id.', [{ path: 'mergeClientId', reason: 'must be a client id' }]);
      await deps.sql.begin((tx) => mergeClients(tx, s.tenantId, id, mergeClientId, `${s.name} (user ${s.userId})`));
      return c.redirect(`${BASE}/clients/${id}?merged=1`, 303);
    } catch (e) {
      if (!isFormError(e)) throw e;
      const path = e.details[0]?.path === 'id' ? 'id' : 'mergeClientId';
      if (path === 'id') throw e;
      const form = emptyForm();
      const client = await requireClient(deps.sql, s.tenantId, id);
      form.values = { ...clientFormValues(client), mergeClientId };
      form.errors = { mergeClientId: fieldReason(c.get('lang'), e.details[0]?.reason ?? e.message) };
      return renderClient(c, s, id, form, undefined, STATUS_BY_CODE[e.code] as 400 | 404 | 409);
    }
  });
}
