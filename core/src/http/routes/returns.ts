import { z } from '@hono/zod-openapi';
import { ReturnableSchema, ReturnSchema, ReturnSummarySchema, QuarantineRecordSchema, MONEY_BACK_KINDS, RETURN_DESTINATIONS, RETURN_STATUS_VALUES, RETURN_TYPES } from '../../contracts/return.ts';
import { approveReturn, cancelReturn, chooseMoneyBack, decideQuarantinedUnits, orderReturnable, receiveReturnLine, recordIncomingAwb, startReturn, takeInStoreReturn, requestReturnAwb } from '../../flows/index.ts';
import { pendingStoreReturnRequests } from '../../channels/index.ts';
import { StoreReturnRequestViewSchema } from '../../contracts/store-return.ts';
import { getOrderDetail, orderNumbers } from '../../orders/index.ts';
import { getReturn, listQuarantine, listReturns } from '../../returns/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { DomainError } from '../../shared/domain-error.ts';
import { type ApiContext, createApiRouter, errors, Id, IdParam, inTx, json, jsonBody, route, scopeChannel, tenantOf } from '../openapi.ts';

const qty = z.number({ error: 'must be a positive whole number' }).int('must be a positive whole number').positive('must be a positive whole number').max(100_000);
const reason = z.string({ error: 'required: why the goods come back (1-200 characters)' }).trim().min(1, 'required: why the goods come back (1-200 characters)').max(200);

const StartInput = z
  .object({
    orderId: Id,
    type: z.enum(RETURN_TYPES),
    lines: z.array(z.object({ orderLineNo: z.number().int().positive(), quantity: qty, reason })).min(1).max(500).optional(),
    reason: reason.optional(),
    note: z.string().max(1000).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.type !== 'fully' && !v.lines) ctx.addIssue({ code: 'custom', path: ['lines'], message: `required for a ${v.type} return` });
    if (v.type === 'fully' && !v.lines && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'required for a full return without lines' });
  })
  .meta({ id: 'ReturnInput' });

const ReceiveInput = z
  .object({
    barcode: z.string().trim().min(1).max(64).optional(),
    lineNo: z.number().int().positive().optional(),
    quantity: qty.default(1),
    destination: z.enum(RETURN_DESTINATIONS),
    binCode: z.string().trim().min(1).max(50).optional(),
    binId: Id.optional(),
    warehouseId: Id.optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.barcode === undefined) === (v.lineNo === undefined)) ctx.addIssue({ code: 'custom', path: ['barcode'], message: 'give exactly one of barcode, lineNo' });
    if (v.destination === 'restock' && v.binCode === undefined && v.binId === undefined) ctx.addIssue({ code: 'custom', path: ['binCode'], message: 'required for restock: the bin the units go to' });
    if (v.destination === 'quarantine' && (v.binCode !== undefined || v.binId !== undefined)) ctx.addIssue({ code: 'custom', path: ['binCode'], message: 'quarantined units go to no bin' });
  })
  .meta({ id: 'ReturnReceiveInput' });

const Found = (what: string) => ({ 200: json(ReturnSchema, what), ...errors });

/** Returns (the Goods Return sub-flow): request, receipt by scan, approval, money back; and the quarantine. */
export function returnsRouter(deps: Deps) {
  const api = createApiRouter({ paths: 'brackets' });
  const now = () => deps.now();
  /** A channel-bound credential reaches only its own channel's returns. */
  const own = async (c: ApiContext, id: string) => {
    const r = await getReturn(deps.sql, tenantOf(c), id);
    const ch = c.get('principal').channelId;
    if (ch && r.channelId !== ch) throw new DomainError('FORBIDDEN', `This credential is bound to channel ${ch}; return ${id} is not that channel's.`, [{ path: 'id', reason: 'another channel' }]);
    return r;
  };

  api.openapi(
    route('get', '/orders/{id}/returnable', { summary: 'What of the order may come back, line by line, and why not', request: { params: IdParam }, responses: { 200: json(ReturnableSchema, 'Eligibility per line'), ...errors } }),
    async (c) => {
      const order = await getOrderDetail(deps.sql, tenantOf(c), c.req.valid('param').id);
      return c.json(await orderReturnable(deps.sql, tenantOf(c), { ...order, externalNumber: order.externalNumber ?? null }, now()), 200);
    },
  );

  api.openapi(
    route('post', '/returns', {
      summary: 'Start a return of a delivered order (fully, partially, or manual: credited without goods coming back); refused naming each line and why',
      request: { body: jsonBody(StartInput) },
      responses: { 201: json(ReturnSchema, 'The return requested'), ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const order = await getOrderDetail(deps.sql, tenantOf(c), b.orderId);
      scopeChannel(c, order.channelId);
      const r = await inTx(deps, (tx) =>
        startReturn(tx, tenantOf(c), { orderId: b.orderId, type: b.type, ...(b.lines ? { lines: b.lines } : {}), ...(b.reason ? { reason: b.reason } : {}), note: b.note ?? null, now: now() }),
      );
      return c.json(r, 201);
    },
  );

  api.openapi(
    route('get', '/returns', {
      summary: 'Returns, newest first (keyset: pass nextCursor as cursor)',
      request: { query: z.object({ status: z.enum(RETURN_STATUS_VALUES).optional(), orderId: Id.optional(), channelId: Id.optional(), limit: z.coerce.number().int().min(1).max(200).default(50), cursor: Id.optional() }) },
      responses: { 200: json(z.object({ returns: z.array(ReturnSummarySchema), nextCursor: z.string().nullable() }), 'A page of returns'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const channelId = scopeChannel(c, q.channelId);
      const page = await listReturns(deps.sql, tenantOf(c), { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}), ...(q.status ? { status: q.status } : {}), ...(q.orderId ? { orderId: q.orderId } : {}), ...(channelId ? { channelId } : {}) });
      // The store's order number beside Expedio's id: what the merchant searches the store for.
      const numbers = await orderNumbers(deps.sql, tenantOf(c), page.returns.map((r) => r.orderId));
      return c.json({ ...page, returns: page.returns.map((r) => ({ ...r, orderNumber: numbers.get(r.orderId) ?? null })) }, 200);
    },
  );

  api.openapi(route('get', '/returns/{id}', { summary: 'One return with its lines, receipt and quarantine', request: { params: IdParam }, responses: Found('One return') }), async (c) =>
    c.json(await own(c, c.req.valid('param').id), 200),
  );

  api.openapi(
    route('post', '/returns/{id}/receipt-lines', {
      summary: 'Receive returned units by scan (or line): restock to a bin, or quarantine; never more than the line asks for',
      request: { params: IdParam, body: jsonBody(ReceiveInput) },
      responses: { 201: json(ReturnSchema, 'The return with the scan counted'), ...errors },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      await own(c, id);
      const b = c.req.valid('json');
      const input = Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined)) as unknown as Parameters<typeof receiveReturnLine>[3];
      return c.json(await inTx(deps, (tx) => receiveReturnLine(tx, tenantOf(c), id, input)), 201);
    },
  );

  api.openapi(
    route('post', '/returns/{id}/approve', { summary: 'Approve the Goods Return Receipt: stock restocked or quarantined, the order returned or partially returned (idempotent)', request: { params: IdParam }, responses: Found('The approved return') }),
    async (c) => {
      const id = c.req.valid('param').id;
      await own(c, id);
      return c.json(await inTx(deps, (tx) => approveReturn(tx, tenantOf(c), id)), 200);
    },
  );

  api.openapi(
    route('post', '/returns/{id}/money-back', {
      summary: 'Give the money back: a credit note (UBL CreditNote referencing the invoice, PDF, e-mail, e-Factura); voucher or refund through the store',
      request: { params: IdParam, body: jsonBody(z.object({ kind: z.enum(MONEY_BACK_KINDS) }).meta({ id: 'MoneyBackInput' })) },
      responses: Found('The settled return'),
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      await own(c, id);
      const { kind } = c.req.valid('json');
      return c.json(await inTx(deps, (tx) => chooseMoneyBack(tx, tenantOf(c), id, { kind, now: now() })), 200);
    },
  );

  api.openapi(
    route('post', '/returns/{id}/awb', {
      summary: 'Record the AWB the parcel comes back with',
      request: { params: IdParam, body: jsonBody(z.object({ courier: z.string().trim().min(1).max(50).optional(), awb: z.string().trim().min(3).max(64).regex(/^[A-Za-z0-9-]+$/, 'letters, digits and dashes') }).meta({ id: 'ReturnAwbInput' })) },
      responses: Found('The return with its AWB'),
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      await own(c, id);
      const b = c.req.valid('json');
      return c.json(await inTx(deps, (tx) => recordIncomingAwb(tx, tenantOf(c), id, { courier: b.courier ?? null, awb: b.awb })), 200);
    },
  );

  const ParcelInput = z
    .object({ weightKg: z.number().positive().max(1000), lengthCm: z.number().positive().max(1000), widthCm: z.number().positive().max(1000), heightCm: z.number().positive().max(1000) })
    .strict();
  const isoMinute = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, 'a date-time such as 2026-12-03T09:00');
  api.openapi(
    route('post', '/returns/{id}/return-awb', {
      summary:
        "A return AWB through the courier's return service (Cargus AwbPickup and Bosta type 25 CRP: picked up at the customer, brought to the account's pickup point; Innoship locker return through Sameday or FAN: the customer drops the parcel in lockerId, and the locker PIN, when given, is on the return), tracked like any shipment; a courier without one is refused naming the account",
      request: {
        params: IdParam,
        body: jsonBody(
          z
            .object({
              courierAccountId: Id,
              pickupFrom: isoMinute.optional(),
              pickupTo: isoMinute.optional(),
              parcels: z.array(ParcelInput).min(1).max(20).optional(),
              lockerId: z.string().trim().min(1).max(50).optional().meta({ description: 'Innoship account: the locker (Innoship FixedLocationId) the customer drops the parcel in; required there' }),
              lockerCourier: z.enum(['sameday', 'fancourier']).optional().meta({ description: "Innoship account: the locker's courier (Sameday or FAN only); default the courier the account forces" }),
            })
            .strict()
            .meta({ id: 'ReturnPickupInput' }),
        ),
      },
      responses: {
        201: json(
          z.object({ return: ReturnSchema, shipment: z.object({ id: z.string(), courier: z.string(), awb: z.string(), trackingUrl: z.string().nullable(), recovered: z.boolean(), lockerPin: z.string().nullable() }) }),
          'The return with its AWB (and its locker PIN, for a locker return), and the shipment',
        ),
        ...errors,
      },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      await own(c, id);
      const b = c.req.valid('json');
      return c.json(await requestReturnAwb(deps, tenantOf(c), id, { courierAccountId: b.courierAccountId, ...(b.pickupFrom ? { pickupFrom: b.pickupFrom } : {}), ...(b.pickupTo ? { pickupTo: b.pickupTo } : {}), ...(b.parcels ? { parcels: b.parcels } : {}), ...(b.lockerId ? { lockerId: b.lockerId } : {}), ...(b.lockerCourier ? { lockerCourier: b.lockerCourier } : {}) }), 201);
    },
  );

  api.openapi(
    route('post', '/returns/{id}/cancel', { summary: 'Call the return off before approval (its scans are undone)', request: { params: IdParam, body: jsonBody(z.object({ reason: z.string().trim().min(1).max(200) }), false) }, responses: Found('The cancelled return') }),
    async (c) => {
      const id = c.req.valid('param').id;
      await own(c, id);
      const body = (await c.req.json().catch(() => ({}))) as { reason?: string };
      return c.json(await inTx(deps, (tx) => cancelReturn(tx, tenantOf(c), id, body.reason ?? 'cancelled by the operator')), 200);
    },
  );

  api.openapi(
    route('get', '/quarantine', {
      summary: 'Returned units held apart (not sellable), newest first',
      request: { query: z.object({ status: z.enum(['held', 'released', 'scrapped']).optional(), limit: z.coerce.number().int().min(1).max(200).default(50), cursor: Id.optional() }) },
      responses: { 200: json(z.object({ quarantine: z.array(QuarantineRecordSchema), nextCursor: z.string().nullable() }), 'A page of quarantine records'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await listQuarantine(deps.sql, tenantOf(c), { limit: q.limit, ...(q.status ? { status: q.status } : {}), ...(q.cursor ? { cursor: q.cursor } : {}) }), 200);
    },
  );

  api.openapi(
    route('post', '/quarantine/{id}/release', {
      summary: 'Release quarantined units to a bin (available again, a return movement in the ledger)',
      request: { params: IdParam, body: jsonBody(z.object({ binCode: z.string().trim().min(1).max(50).optional(), binId: Id.optional() }).refine((v) => (v.binCode === undefined) !== (v.binId === undefined), { path: ['binCode'], message: 'give exactly one of binCode, binId' })) },
      responses: { 200: json(QuarantineRecordSchema, 'The released record'), ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const id = c.req.valid('param').id;
      return c.json(await inTx(deps, (tx) => decideQuarantinedUnits(tx, tenantOf(c), id, { action: 'release', ...(b.binId ? { binId: b.binId } : {}), ...(b.binCode ? { binCode: b.binCode } : {}) })), 200);
    },
  );

  api.openapi(
    route('post', '/quarantine/{id}/scrap', {
      summary: 'Scrap quarantined units (never back in stock), with the reason',
      request: { params: IdParam, body: jsonBody(z.object({ note: z.string({ error: 'required: why the units are scrapped' }).trim().min(1, 'required: why the units are scrapped').max(200) })) },
      responses: { 200: json(QuarantineRecordSchema, 'The scrapped record'), ...errors },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      return c.json(await inTx(deps, (tx) => decideQuarantinedUnits(tx, tenantOf(c), id, { action: 'scrap', note: c.req.valid('json').note })), 200);
    },
  );

  api.openapi(
    route('get', '/store-returns', {
      summary: 'Returns begun in the store (Shopify returns, refunds made in wp-admin) not taken in yet, oldest first',
      request: { query: z.object({ channelId: Id.optional(), limit: z.coerce.number().int().min(1).max(200).default(100) }) },
      responses: { 200: json(z.object({ storeReturns: z.array(StoreReturnRequestViewSchema) }), 'The store return requests waiting'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const channelId = scopeChannel(c, q.channelId);
      const rows = await pendingStoreReturnRequests(deps.sql, tenantOf(c), { limit: q.limit, ...(channelId ? { channelId } : {}) });
      const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
      return c.json({ storeReturns: rows.map((r) => ({ ...r, receivedAt: iso(r.receivedAt)!, updatedAt: iso(r.updatedAt)!, takenInAt: iso(r.takenInAt) })) }, 200);
    },
  );

  const TakeInInput = z
    .object({
      type: z.enum(RETURN_TYPES).optional(),
      lines: z.array(z.object({ orderLineNo: z.number().int().positive(), quantity: qty, reason })).min(1).max(500).optional(),
      reason: reason.optional(),
    })
    .superRefine((v, ctx) => {
      if (v.type === 'manual' && !v.lines) ctx.addIssue({ code: 'custom', path: ['lines'], message: 'required for a manual return' });
    })
    .meta({ id: 'StoreReturnTakeInInput' });

  api.openapi(
    route('post', '/store-returns/{id}/take-in', {
      summary: "Turn a return begun in the store into a return (the store's lines, or the lines given), checked like any return; the request leaves the queue",
      request: { params: IdParam, body: jsonBody(TakeInInput, false) },
      responses: { 201: json(ReturnSchema, 'The return requested'), ...errors },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      const raw = (await c.req.json().catch(() => ({}))) as unknown;
      const parsed = TakeInInput.safeParse(raw ?? {});
      if (!parsed.success) {
        const details = parsed.error.issues.map((i) => ({ path: i.path.map((p, n) => (typeof p === 'number' ? `[${p}]` : n === 0 ? String(p) : `.${String(p)}`)).join(''), reason: i.message }));
        throw new DomainError('VALIDATION', `The take-in is not valid: ${details.map((d) => `${d.path}: ${d.reason}`).join('; ')}.`, details);
      }
      const b = parsed.data;
      const principalChannel = c.get('principal').channelId;
      const r = await inTx(deps, async (tx) => {
        const made = await takeInStoreReturn(tx, tenantOf(c), id, { ...(b.type ? { type: b.type } : {}), ...(b.lines ? { lines: b.lines } : {}), ...(b.reason ? { reason: b.reason } : {}), now: now() });
        if (principalChannel && made.channelId !== principalChannel) throw new DomainError('FORBIDDEN', `This credential is bound to channel ${principalChannel}; store return ${id} is not that channel's.`, [{ path: 'id', reason: 'another channel' }]);
        return made;
      });
      return c.json(r, 201);
    },
  );

  return api;
}
