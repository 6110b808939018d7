import type { Context, Hono } from 'hono';
import { can, type SessionUser } from '../../auth/index.ts';
import { listChannels } from '../../channels/index.ts';
import { MONEY_BACK_KINDS, RETURN_STATUS_VALUES, RETURN_TYPES } from '../../contracts/return.ts';
import { approveReturn, cancelReturn, chooseMoneyBack, decideQuarantinedUnits, orderReturnable, receiveReturnLine, recordIncomingAwb, startReturn } from '../../flows/index.ts';
import { getBin, listWarehouses, productByBarcode } from '../../inventory/index.ts';
import { getInvoicePdf, orderInvoices } from '../../invoicing/index.ts';
import { getOrderDetail, listOrders, orderNumbers } from '../../orders/index.ts';
import { getReturn, listQuarantine, listReturns, type Return, type ReturnStatus, returnedItemNames } from '../../returns/index.ts';
import type { Tx } from '../../db/connect.ts';
import type { Deps } from '../../shared/deps.ts';
import { DomainError } from '../../shared/domain-error.ts';
import { isId } from '../../shared/ids.ts';
import { STATUS_BY_CODE } from '../errors.ts';
import { BASE } from './layout.ts';
import { type ReturnWords, returnReason, returnWords } from './return-words.ts';
import { type Flash, quarantineScreen, type ReceiveView, receiveReturnScreen, returnDetailScreen, returnsListScreen, scanParcelScreen, startReturnScreen, type StartReturnView } from './screens/returns-screens.ts';
import { ctxOf, field, gate } from './ui-kit.ts';
import { dayAfter, warehouseMidnight } from './warehouse-day.ts';
import type { UiEnv } from './web-session.ts';

/*
 * The returns screens over the same flows as /api/v1/returns (flows/return-goods.ts): every change
 * is one flow call in one transaction, and a refusal is the flow's own, shown in the screen's words
 * with the domain's sentence (which names the line) as the detail.
 */

const PAGE = 25;
const OPEN: ReturnStatus[] = ['requested', 'receiving', 'received'];
type Status = 200 | 400 | 403 | 404 | 409 | 422;
const statusOf = (e: DomainError) => STATUS_BY_CODE[e.code] as Status;
const isRefusal = (e: unknown): e is DomainError => e instanceof DomainError && ['VALIDATION', 'INVALID_STATE', 'CONFLICT', 'NOT_FOUND'].includes(e.code);

/** Thrown to roll back a dry run: the flow checked the scan, nothing is kept. */
class DryRun extends Error {
  readonly result: Return;
  constructor(result: Return) {
    super('dry run');
    this.result = result;
  }
}

const OK_FLASH: Record<string, 'returnCreated' | 'approved' | 'approvedManual' | 'cancelled' | 'awbSaved' | 'settled'> = {
  created: 'returnCreated',
  approved: 'approved',
  approved_manual: 'approvedManual',
  cancelled: 'cancelled',
  awb: 'awbSaved',
  settled: 'settled',
};

export function returnsUi(ui: Hono<UiEnv>, deps: Deps): void {
  const wordsOf = (c: Context<UiEnv>): ReturnWords => returnWords(c.get('lang'));
  const channelNames = async (tenantId: string) => new Map((await listChannels(deps.sql, tenantId)).map((ch) => [ch.id, ch.name ?? ch.kind]));

  // --- The list ---------------------------------------------------------------------------------
  ui.get('/returns', async (c) => {
    const s = gate(c, 'return.view');
    const w = wordsOf(c);
    const q = (k: string, max: number) => (c.req.query(k) ?? '').trim().slice(0, max);
    const filters = { status: q('status', 20), channelId: q('channelId', 18), from: q('from', 10), to: q('to', 10) };
    const cursor = q('cursor', 18);
    const problems: string[] = [];
    if (filters.status && !(RETURN_STATUS_VALUES as readonly string[]).includes(filters.status)) problems.push(`status: ${RETURN_STATUS_VALUES.join(', ')}`);
    if (filters.channelId && !isId(filters.channelId)) problems.push('channelId');
    if (cursor && !isId(cursor)) problems.push('cursor');
    const from = filters.from ? warehouseMidnight(filters.from) : null;
    const toStart = filters.to ? warehouseMidnight(filters.to) : null;
    if (filters.from && !from) problems.push(`${w('from')}: YYYY-MM-DD`);
    if (filters.to && !toStart) problems.push(`${w('to')}: YYYY-MM-DD`);
    const to = toStart ? warehouseMidnight(dayAfter(toStart)) : null;
    if (from && to && from >= to) problems.push(`${w('from')} > ${w('to')}`);
    const names = await channelNames(s.tenantId);
    const channels = [...names].map(([id, name]) => ({ id, name }));
    const base = { filters, channels, canScan: can(s.role, 'return.receive'), paged: cursor !== '' };
    if (problems.length > 0) return c.html(returnsListScreen(ctxOf(c), w, { ...base, rows: [], nextHref: null, error: problems.join('; ') }), 400);
    const page = await listReturns(deps.sql, s.tenantId, {
      limit: PAGE,
      ...(cursor ? { cursor } : {}),
      ...(filters.status ? { status: filters.status as ReturnStatus } : {}),
      ...(filters.channelId ? { channelId: filters.channelId } : {}),
      ...(from ? { createdFrom: from } : {}),
      ...(to ? { createdTo: to } : {}),
    });
    const numbers = await orderNumbers(deps.sql, s.tenantId, page.returns.map((r) => r.orderId));
    const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== ''));
    if (page.nextCursor) params.set('cursor', page.nextCursor);
    return c.html(
      returnsListScreen(ctxOf(c), w, {
        ...base,
        error: null,
        rows: page.returns.map((r) => ({ ...r, orderNumber: numbers.get(r.orderId) ?? null, channelName: names.get(r.channelId) ?? r.channelId })),
        nextHref: page.nextCursor ? `${BASE}/returns?${params.toString()}` : null,
      }),
    );
  });

  // --- A return's page --------------------------------------------------------------------------
  async function renderReturn(c: Context<UiEnv>, s: SessionUser, id: string, flash?: Flash, status: Status = 200) {
    const r = await getReturn(deps.sql, s.tenantId, id);
    const [numbers, names, invoices] = await Promise.all([orderNumbers(deps.sql, s.tenantId, [r.orderId]), channelNames(s.tenantId), r.creditNoteId ? orderInvoices(deps.sql, s.tenantId, r.orderId) : []]);
    const bins = new Map<string, string>();
    for (const binId of new Set((r.receipt?.lines ?? []).flatMap((l) => (l.binId ? [l.binId] : [])))) bins.set(binId, (await getBin(deps.sql, s.tenantId, binId)).code);
    const skuOf = (productId: string) => r.lines.find((l) => l.productId === productId)?.sku ?? productId;
    const cn = invoices.find((i) => i.id === r.creditNoteId);
    return c.html(
      returnDetailScreen(
        ctxOf(c),
        s,
        wordsOf(c),
        {
          ...r,
          orderNumber: numbers.get(r.orderId) ?? null,
          channelName: names.get(r.channelId) ?? r.channelId,
          receipt: r.receipt
            ? { id: r.receipt.id, status: r.receipt.status, lines: r.receipt.lines.map((l) => ({ id: l.id, returnLineNo: l.returnLineNo, sku: skuOf(l.productId), quantity: l.quantity, destination: l.destination, binCode: l.binId ? (bins.get(l.binId) ?? null) : null, createdAt: l.createdAt })) }
            : null,
          creditNote: r.creditNoteId ? { id: r.creditNoteId, fullNumber: cn?.fullNumber ?? r.moneyBackRef ?? r.creditNoteId, eState: cn?.eInvoice?.state ?? null, eError: cn?.eInvoice?.lastError ?? null } : null,
          can: { manage: can(s.role, 'return.manage'), receive: can(s.role, 'return.receive') },
        },
        flash,
      ),
      status,
    );
  }

  ui.get('/returns/scan', (c) => {
    const s = gate(c, 'return.receive');
    return c.html(scanParcelScreen(ctxOf(c), s, wordsOf(c), { code: '', choices: [] }));
  });

  ui.get('/returns/:id', async (c) => {
    const s = gate(c, 'return.view');
    const key = OK_FLASH[c.req.query('ok') ?? ''];
    return renderReturn(c, s, c.req.param('id'), key ? { kind: 'ok', text: wordsOf(c)(key) } : undefined);
  });

  /** One change on a return's page: the flow in a transaction, then back to the page; a refusal is shown on it. */
  async function change(c: Context<UiEnv>, s: SessionUser, id: string, run: (tx: Tx) => Promise<Return>, ok: (r: Return) => string) {
    try {
      const r = await deps.sql.begin(run);
      return c.redirect(`${BASE}/returns/${id}?ok=${ok(r)}`, 303);
    } catch (e) {
      if (!isRefusal(e) || (e.code === 'NOT_FOUND' && e.details[0]?.reason === 'unknown return')) throw e;
      const w = wordsOf(c);
      return renderReturn(c, s, id, { kind: 'error', text: w('moneyBackRefused'), detail: returnReason(c.get('lang'), e.message) }, statusOf(e));
    }
  }

  ui.post('/returns/:id/approve', async (c) => {
    const s = gate(c, 'return.receive');
    const id = c.req.param('id');
    const fromReceive = field(await c.req.parseBody(), 'from') === 'receive';
    if (fromReceive) {
      try {
        const r = await deps.sql.begin((tx) => approveReturn(tx, s.tenantId, id));
        return c.redirect(`${BASE}/returns/${id}?ok=${r.type === 'manual' ? 'approved_manual' : 'approved'}`, 303);
      } catch (e) {
        if (!isRefusal(e)) throw e;
        return renderReceive(c, s, id, null, '', { kind: 'error', text: wordsOf(c)('error'), detail: e.message }, statusOf(e));
      }
    }
    return change(c, s, id, (tx) => approveReturn(tx, s.tenantId, id), (r) => (r.type === 'manual' ? 'approved_manual' : 'approved'));
  });

  ui.post('/returns/:id/money-back', async (c) => {
    const s = gate(c, 'return.manage');
    const id = c.req.param('id');
    const kind = field(await c.req.parseBody(), 'kind') ?? '';
    if (!(MONEY_BACK_KINDS as readonly string[]).includes(kind)) throw new DomainError('VALIDATION', `Choose one of ${MONEY_BACK_KINDS.join(', ')}.`, [{ path: 'kind', reason: 'not a money-back kind' }]);
    return change(c, s, id, (tx) => chooseMoneyBack(tx, s.tenantId, id, { kind: kind as (typeof MONEY_BACK_KINDS)[number], now: deps.now() }), () => 'settled');
  });

  ui.post('/returns/:id/awb', async (c) => {
    const s = gate(c, 'return.manage');
    const id = c.req.param('id');
    const body = await c.req.parseBody();
    const awb = (field(body, 'awb') ?? '').trim();
    const courier = (field(body, 'courier') ?? '').trim().slice(0, 50);
    if (!/^[A-Za-z0-9-]{3,64}$/.test(awb)) return renderReturn(c, s, id, { kind: 'error', text: wordsOf(c)('awb'), detail: 'AWB: 3-64 letters, digits and dashes' }, 400);
    return change(c, s, id, (tx) => recordIncomingAwb(tx, s.tenantId, id, { courier: courier || null, awb }), () => 'awb');
  });

  ui.post('/returns/:id/cancel', async (c) => {
    const s = gate(c, 'return.manage');
    const id = c.req.param('id');
    const reason = (field(await c.req.parseBody(), 'reason') ?? '').trim().slice(0, 200);
    return change(c, s, id, (tx) => cancelReturn(tx, s.tenantId, id, reason ? `${reason} (${s.name})` : `cancelled by ${s.name}`), () => 'cancelled');
  });

  ui.get('/invoices/:id/pdf', async (c) => {
    const s = gate(c, 'return.view');
    const { fullNumber, pdf } = await getInvoicePdf(deps.sql, s.tenantId, c.req.param('id'));
    return c.body(pdf as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="${fullNumber.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf"` });
  });

  // --- Starting a return from the order -----------------------------------------------------------
  async function renderStart(c: Context<UiEnv>, s: SessionUser, orderId: string, values: Record<string, string>, errors: Record<string, string>, flash?: Flash, status: Status = 200) {
    const order = await getOrderDetail(deps.sql, s.tenantId, orderId);
    const e = await orderReturnable(deps.sql, s.tenantId, { ...order, externalNumber: order.externalNumber ?? null }, deps.now());
    const lang = c.get('lang');
    const view: StartReturnView = {
      orderId,
      orderNumber: order.externalNumber ?? null,
      deliveredAt: e.deliveredAt,
      windowEndsAt: e.windowEndsAt,
      withinWindow: e.withinWindow,
      reason: e.reason ? returnReason(lang, e.reason) : null,
      lines: e.lines.map((l) => ({ ...l, reasons: l.reasons.map((x) => returnReason(lang, x)) })),
      values,
      errors,
    };
    return c.html(startReturnScreen(ctxOf(c), s, wordsOf(c), view, flash), status);
  }

  ui.get('/orders/:id/return', async (c) => {
    const s = gate(c, 'return.manage');
    return renderStart(c, s, c.req.param('id'), {}, {});
  });

  ui.post('/orders/:id/return', async (c) => {
    const s = gate(c, 'return.manage');
    const orderId = c.req.param('id');
    const w = wordsOf(c);
    const lang = c.get('lang');
    const body = await c.req.parseBody();
    const values: Record<string, string> = Object.fromEntries(Object.entries(body).flatMap(([k, v]) => (k !== '_csrf' && typeof v === 'string' ? [[k, v.trim().slice(0, 1000)]] : [])));
    const type = values.type ?? '';
    const errors: Record<string, string> = {};
    if (!(RETURN_TYPES as readonly string[]).includes(type)) errors.type = `${w('type')}: ${RETURN_TYPES.join(' / ')}`;
    const lines: Array<{ orderLineNo: number; quantity: number; reason: string }> = [];
    for (const [k, v] of Object.entries(values)) {
      const m = /^qty\.(\d{1,6})$/.exec(k);
      if (!m || v === '' || v === '0') continue;
      const orderLineNo = Number(m[1]);
      const quantity = /^\d{1,6}$/.test(v) ? Number(v) : Number.NaN;
      const reason = values[`reason.${orderLineNo}`] ?? '';
      if (!Number.isSafeInteger(quantity) || quantity < 1) errors[`qty.${orderLineNo}`] = `${w('lineNo')} ${orderLineNo}: ${w('qtyInvalid')}`;
      else if (!reason) errors[`reason.${orderLineNo}`] = `${w('lineNo')} ${orderLineNo}: ${w('reasonRequired')}`;
      else lines.push({ orderLineNo, quantity, reason: reason.slice(0, 200) });
    }
    const firstReason = lines[0]?.reason ?? Object.entries(values).find(([k, v]) => k.startsWith('reason.') && v)?.[1];
    if (type === 'fully' && !firstReason) errors.form = w('chooseAtLeastOne');
    if (type !== 'fully' && lines.length === 0 && Object.keys(errors).length === 0) errors.form = w('chooseAtLeastOne');
    if (Object.keys(errors).length > 0) return renderStart(c, s, orderId, values, errors, { kind: 'error', text: w('refused'), detail: Object.values(errors).join(' · ') }, 400);
    try {
      const r = await deps.sql.begin((tx) =>
        startReturn(tx, s.tenantId, {
          orderId,
          type: type as (typeof RETURN_TYPES)[number],
          ...(type === 'fully' ? { reason: firstReason! } : { lines }),
          note: values.note || null,
          createdBy: s.userId,
          now: deps.now(),
        }),
      );
      return c.redirect(`${BASE}/returns/${r.id}?ok=created`, 303);
    } catch (e) {
      if (!isRefusal(e) || e.code === 'NOT_FOUND') throw e;
      // The flow names the requested lines by their index (lines[i]) or by the order's line (lines.N): back to the order's line fields.
      for (const d of e.details) {
        const byIndex = /^lines\[(\d+)\]/.exec(d.path);
        const byLine = /^lines\.(\d+)$/.exec(d.path);
        const lineNo = byIndex ? lines[Number(byIndex[1])]?.orderLineNo : byLine ? Number(byLine[1]) : undefined;
        errors[lineNo ? `qty.${lineNo}` : 'form'] = returnReason(lang, d.reason);
      }
      return renderStart(c, s, orderId, values, errors, { kind: 'error', text: w('refused'), detail: e.details.map((d) => returnReason(lang, d.reason)).join(' · ') || e.message }, statusOf(e));
    }
  });

  // --- The phone: find the parcel by its AWB or the order number, then scan each item -----------------
  ui.post('/returns/scan', async (c) => {
    const s = gate(c, 'return.receive');
    const w = wordsOf(c);
    const code = (field(await c.req.parseBody(), 'code') ?? '').trim().slice(0, 64);
    const refuse = () => c.html(scanParcelScreen(ctxOf(c), s, w, { code, choices: [] }, { kind: 'error', text: w('parcelNotFound'), detail: code }), 404);
    if (!code) return refuse();
    const byAwb = (await listReturns(deps.sql, s.tenantId, { limit: 20, returnAwb: code })).returns;
    let found = byAwb.filter((r) => OPEN.includes(r.status));
    if (found.length === 0) {
      const { orders } = await listOrders(deps.sql, s.tenantId, { limit: 5, search: code });
      for (const o of orders) found.push(...(await listReturns(deps.sql, s.tenantId, { limit: 20, orderId: o.id })).returns.filter((r) => OPEN.includes(r.status) && r.type !== 'manual'));
    }
    found = found.filter((r) => r.type !== 'manual');
    if (found.length === 0) return refuse();
    if (found.length === 1) return c.redirect(`${BASE}/returns/${found[0]!.id}/receive`, 303);
    const numbers = await orderNumbers(deps.sql, s.tenantId, found.map((r) => r.orderId));
    return c.html(scanParcelScreen(ctxOf(c), s, w, { code, choices: found.map((r) => ({ id: r.id, orderNumber: numbers.get(r.orderId) ?? null, status: r.status, units: r.units })) }));
  });

  async function renderReceive(c: Context<UiEnv>, s: SessionUser, id: string, pending: ReceiveView['pending'], binCode: string, flash?: Flash, status: Status = 200) {
    const r = await getReturn(deps.sql, s.tenantId, id);
    const numbers = await orderNumbers(deps.sql, s.tenantId, [r.orderId]);
    const w = wordsOf(c);
    const scannable = r.status === 'requested' || r.status === 'receiving';
    const note: Flash | undefined = flash ?? (r.type === 'manual' ? { kind: 'warn', text: w('manualNoScan') } : !scannable && r.status !== 'received' ? { kind: 'error', text: w('notReceivable'), detail: w(`status_${r.status}` as 'status_requested') } : undefined);
    const view: ReceiveView = {
      id: r.id,
      orderNumber: numbers.get(r.orderId) ?? null,
      status: r.status,
      type: r.type,
      lines: r.lines,
      pending: scannable ? pending : null,
      binCode,
      canApprove: (r.status === 'receiving' || r.status === 'received') && (r.receipt?.lines.length ?? 0) > 0,
    };
    return c.html(receiveReturnScreen(ctxOf(c), s, w, view, note), status);
  }

  ui.get('/returns/:id/receive', async (c) => {
    const s = gate(c, 'return.receive');
    return renderReceive(c, s, c.req.param('id'), null, '');
  });

  /** A scan refused by the flow, in the worker's words: over-scan, an item not on the return, a bin the warehouse lacks. */
  async function scanRefusal(c: Context<UiEnv>, s: SessionUser, e: DomainError, barcode: string): Promise<Flash> {
    const w = wordsOf(c);
    const d = e.details[0] ?? { path: '', reason: '' };
    const item = barcode ? await productByBarcode(deps.sql, s.tenantId, barcode) : null;
    const named = item ? `${item.sku} · ${item.name}` : `${barcode}`;
    if (d.path === 'quantity') return { kind: 'error', text: w('overScan'), detail: named };
    if (d.path === 'barcode' && d.reason === 'unknown barcode') return { kind: 'error', text: w('unknownBarcode'), detail: barcode };
    if (d.path === 'barcode') return { kind: 'error', text: w('foreignItem'), detail: named };
    if (d.path === 'binCode' || d.path === 'binId') return { kind: 'error', text: d.reason.startsWith('required') ? w('binRequired') : w('unknownBin'), detail: e.message };
    if (e.code === 'INVALID_STATE') return { kind: 'error', text: w('notReceivable'), detail: e.message };
    return { kind: 'error', text: w('error'), detail: e.message };
  }

  /**
   * The item scanned: the flow itself checks it (a dry run, rolled back) so an over-scan or a foreign
   * item is refused at the scan, before the worker chooses restock or quarantine.
   */
  ui.post('/returns/:id/receive/item', async (c) => {
    const s = gate(c, 'return.receive');
    const id = c.req.param('id');
    const barcode = (field(await c.req.parseBody(), 'barcode') ?? '').trim().slice(0, 64);
    if (!barcode) return renderReceive(c, s, id, null, '', { kind: 'error', text: wordsOf(c)('unknownBarcode'), detail: '' }, 400);
    const before = await getReturn(deps.sql, s.tenantId, id);
    try {
      await deps.sql.begin(async (tx) => {
        throw new DryRun(await receiveReturnLine(tx, s.tenantId, id, { barcode, quantity: 1, destination: 'quarantine' }));
      });
    } catch (e) {
      if (e instanceof DryRun) {
        const line = e.result.lines.find((l) => l.received > (before.lines.find((b) => b.lineNo === l.lineNo)?.received ?? 0))!;
        return renderReceive(c, s, id, { barcode, sku: line.sku, name: line.name, lineNo: line.lineNo }, '');
      }
      if (!isRefusal(e) || (e.code === 'NOT_FOUND' && e.details[0]?.reason === 'unknown return')) throw e;
      return renderReceive(c, s, id, null, '', await scanRefusal(c, s, e, barcode), statusOf(e));
    }
    throw new Error('unreachable: the dry run always rolls back');
  });

  ui.post('/returns/:id/receive', async (c) => {
    const s = gate(c, 'return.receive');
    const id = c.req.param('id');
    const w = wordsOf(c);
    const body = await c.req.parseBody();
    const barcode = (field(body, 'barcode') ?? '').trim().slice(0, 64);
    const destination = field(body, 'destination') === 'quarantine' ? 'quarantine' : 'restock';
    const binCode = (field(body, 'binCode') ?? '').trim().slice(0, 50);
    const pendingOf = async () => {
      const p = await productByBarcode(deps.sql, s.tenantId, barcode);
      return p ? { barcode, sku: p.sku, name: p.name, lineNo: 0 } : null;
    };
    if (destination === 'restock' && !binCode) return renderReceive(c, s, id, await pendingOf(), '', { kind: 'error', text: w('binRequired') }, 400);
    try {
      const r = await deps.sql.begin((tx) => receiveReturnLine(tx, s.tenantId, id, { barcode, quantity: 1, destination, ...(destination === 'restock' ? { binCode } : {}) }));
      const p = await productByBarcode(deps.sql, s.tenantId, barcode);
      const where = destination === 'restock' ? `${w('destRestock')} → ${binCode}` : w('destQuarantine');
      return renderReceive(c, s, r.id, null, '', { kind: 'ok', text: `${w('scanReceived')}: ${p?.sku ?? barcode}`, detail: where });
    } catch (e) {
      if (!isRefusal(e) || (e.code === 'NOT_FOUND' && e.details[0]?.reason === 'unknown return')) throw e;
      const flash = await scanRefusal(c, s, e, barcode);
      // A bad bin keeps the item pending (scan the bin again); any other refusal starts over with the item.
      const keep = e.details[0]?.path === 'binCode' || e.details[0]?.path === 'binId';
      return renderReceive(c, s, id, keep ? await pendingOf() : null, keep ? '' : '', flash, statusOf(e));
    }
  });

  // --- Quarantine -----------------------------------------------------------------------------------
  async function renderQuarantine(c: Context<UiEnv>, s: SessionUser, flash?: Flash, status: Status = 200) {
    const st = c.req.query('status');
    const qStatus = st === 'released' || st === 'scrapped' ? st : 'held';
    const cursor = c.req.query('cursor');
    const page = await listQuarantine(deps.sql, s.tenantId, { status: qStatus, limit: PAGE, ...(cursor && isId(cursor) ? { cursor } : {}) });
    const [names, warehouses] = await Promise.all([returnedItemNames(deps.sql, s.tenantId, page.quarantine.map((q) => q.returnId)), listWarehouses(deps.sql, s.tenantId)]);
    const bins = new Map<string, string>();
    for (const binId of new Set(page.quarantine.flatMap((q) => (q.releasedBinId ? [q.releasedBinId] : [])))) bins.set(binId, (await getBin(deps.sql, s.tenantId, binId)).code);
    const now = deps.now().getTime();
    return c.html(
      quarantineScreen(
        ctxOf(c),
        s,
        wordsOf(c),
        {
          status: qStatus,
          rows: page.quarantine.map((q) => {
            const n = names.find((x) => x.returnId === q.returnId && x.productId === q.productId);
            return {
              id: q.id,
              returnId: q.returnId,
              sku: n?.sku ?? null,
              name: n?.name ?? q.productId,
              reason: n?.reason ?? null,
              quantity: q.quantity,
              status: q.status,
              ageDays: Math.max(0, Math.floor((now - new Date(q.createdAt).getTime()) / 86_400_000)),
              warehouseCode: warehouses.find((x) => x.id === q.warehouseId)?.code ?? q.warehouseId,
              releasedBinCode: q.releasedBinId ? (bins.get(q.releasedBinId) ?? null) : null,
              decisionNote: q.decisionNote,
            };
          }),
          nextHref: page.nextCursor ? `${BASE}/quarantine?${new URLSearchParams({ status: qStatus, cursor: page.nextCursor }).toString()}` : null,
          canDecide: can(s.role, 'return.receive'),
        },
        flash,
      ),
      status,
    );
  }

  ui.get('/quarantine', async (c) => {
    const s = gate(c, 'return.receive');
    const w = wordsOf(c);
    const done = c.req.query('ok');
    return renderQuarantine(c, s, done === 'released' ? { kind: 'ok', text: w('releasedOk') } : done === 'scrapped' ? { kind: 'ok', text: w('scrappedOk') } : undefined);
  });

  ui.post('/quarantine/:id/:action{release|scrap}', async (c) => {
    const s = gate(c, 'return.receive');
    const w = wordsOf(c);
    const id = c.req.param('id');
    const action = c.req.param('action') as 'release' | 'scrap';
    const body = await c.req.parseBody();
    const binCode = (field(body, 'binCode') ?? '').trim().slice(0, 50);
    const note = (field(body, 'note') ?? '').trim().slice(0, 200);
    if (action === 'release' && !binCode) return renderQuarantine(c, s, { kind: 'error', text: w('binRequired') }, 400);
    if (action === 'scrap' && !note) return renderQuarantine(c, s, { kind: 'error', text: w('scrapNoteRequired') }, 400);
    try {
      await deps.sql.begin((tx) => decideQuarantinedUnits(tx, s.tenantId, id, action === 'release' ? { action, binCode } : { action, note: `${note} (${s.name})` }));
      return c.redirect(`${BASE}/quarantine?ok=${action === 'release' ? 'released' : 'scrapped'}`, 303);
    } catch (e) {
      if (!isRefusal(e)) throw e;
      const d = e.details[0];
      const text = d && (d.path === 'binCode' || d.path === 'binId') ? w('unknownBin') : w('error');
      return renderQuarantine(c, s, { kind: 'error', text, detail: e.message }, statusOf(e));
    }
  });
}
