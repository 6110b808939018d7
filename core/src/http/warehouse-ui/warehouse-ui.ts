import { lookupStockByBarcode, warehouseScanning } from '../../inventory/index.ts';
import { readFileSync } from 'node:fs';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { attemptLogin, can, createSession, destroySession, type SessionUser, setLanguage } from '../../auth/index.ts';
import { awbChoices, liveShipmentOfPackingList } from '../../flows/index.ts';
import { findMovementProduct, packingListsOfDeliveryNotes, stockMovementFilterOptions, stockMovementHistory } from '../../reports/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { DomainError } from '../../shared/domain-error.ts';
import { isId } from '../../shared/ids.ts';
import type { CourierChoice } from '../../shipping/index.ts';
import { assignPicker, completePickList, confirmPickLine, createPackingList, createPickList, getPackingList, getPickList, latestPackingListIds, listDeliveryNotes, listPackingLists, listPickLists, packScanState, type PackingList, type ParcelInput, type PickList, recordShortPick, renderPackingSlip, updatePackingList } from '../../warehouse/index.ts';
import { clientAddress } from '../client-address.ts';
import { errorBody, onError, STATUS_BY_CODE } from '../errors.ts';
import { isLanguage, translator } from './i18n.ts';
import { BASE, messagePage } from './layout.ts';
import { connectWooRoutes } from './connect-woo-routes.ts';
import { deliveryNotesScreen } from './screens/delivery-notes-screen.ts';
import { loginScreen } from './screens/login-screen.ts';
import { MOVEMENT_KINDS, type MovementFiltersView, movementsScreen } from './screens/movements-screen.ts';
import { ADDRESS_FIELDS, type AddressView, type PackView, packScreen } from './screens/pack-screen.ts';
import { packStationRoutes } from './pack-station-routes.ts';
import { receiveRoutes } from './receive-routes.ts';
import { deliveryNoteDetailRoutes } from './delivery-note-detail-routes.ts';
import { ctxOf, errorWords, field, fields, gate } from './ui-kit.ts';
import { warehouseMidnight } from './warehouse-day.ts';
import { returnsUi } from './returns-ui.ts';
import { type PickView, panelBins, panelCurrentBin, pickListsScreen, pickPanel, pickScreen } from './screens/pick-screens.ts';
import { stockScreen } from './screens/stock-screen.ts';
import { catalogUi } from './catalog-ui.ts';
import { settingsUi } from './settings-ui.ts';
import { deskOrderRoutes } from './desk-orders.ts';
import { chartLibrary, reportsUi } from './reports-ui.ts';
import { checkLoginToken, clearSessionCookie, issueLoginToken, loadSession, requireCsrf, requireSession, SESSION_COOKIE, setSessionCookie, type UiEnv, wantsJson } from './web-session.ts';

const ASSETS: Record<string, { body: string; type: string }> = Object.fromEntries(
  [
    ['app.css', 'text/css; charset=utf-8'],
    ['scanner.js', 'text/javascript; charset=utf-8'],
    ['movements.js', 'text/javascript; charset=utf-8'],
    ['new-order.js', 'text/javascript; charset=utf-8'],
    ['print-label.js', 'text/javascript; charset=utf-8'],
    ['report-chart.js', 'text/javascript; charset=utf-8'],
  ].map(([name, type]) => [name, { body: readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8'), type: type! }]),
);

// No inline script or style anywhere: a stored XSS in an order's address cannot run in a picker's session.
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  // The label page frames the label's PDF (same origin) to print it.
  "frame-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const str = (n: number | string | null) => (n === null ? null : String(n));


/** A local redirect target only: `next` must not send the picker to another site after login. */
const safeNext = (next: string | undefined) => (next?.startsWith(`${BASE}/`) && !next.startsWith('//') && !next.includes('\\') ? next : `${BASE}/pick-lists`);

const ScanBody = z.object({
  barcode: z.string().trim().min(1, 'required').max(64, 'at most 64 characters'),
  quantity: z.coerce.number().int('must be a whole number').min(1, 'must be ≥ 1').max(999, 'must be ≤ 999').default(1),
  binCode: z.string().trim().max(32).optional(),
});

const MOVEMENTS_PAGE = 20;
const Measure = z
  .string()
  .trim()
  .regex(/^\d{1,6}([.,]\d{1,3})?$/, 'must be a positive number')
  .transform((s) => Number(s.replace(',', '.')))
  .refine((n) => n > 0, 'must be greater than 0');

export function warehouseUi(deps: Deps) {
  const ui = new Hono<UiEnv>();

  ui.onError((err, c) => {
    if (!(err instanceof DomainError)) return onError(err, c);
    const status = STATUS_BY_CODE[err.code];
    if (wantsJson(c)) return c.json(errorBody(err.code, err.message, err.details), status);
    if (err.code === 'UNAUTHORIZED') return c.redirect(`${BASE}/login?next=${encodeURIComponent(c.req.path)}`, 303);
    const ctx = ctxOf(c as Context<UiEnv>);
    const title = err.code === 'NOT_FOUND' ? ctx.t('pageNotFound') : errorWords(ctx.t, err).headline;
    return c.html(messagePage(ctx, title, err.message), status);
  });

  ui.use('*', async (c, next) => {
    await next();
    // Only a label PDF may be framed, and only by our own label page (to print it).
    c.header('X-Frame-Options', c.req.path.endsWith('/label.pdf') ? 'SAMEORIGIN' : 'DENY');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'same-origin');
    if (!c.res.headers.get('content-type')?.startsWith('application/pdf')) c.header('Content-Security-Policy', CSP);
    if (!c.req.path.startsWith(`${BASE}/assets/`)) c.header('Cache-Control', 'no-store');
  });
  ui.use('*', bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text('The form is larger than 64 KB.', 413) }));

  ui.get('/assets/:file', (c) => {
    // The charting library comes from its package in node_modules (read at first use), never a copy in the repository.
    if (c.req.param('file') === 'chart.umd.min.js') return c.body(chartLibrary(), 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=300' });
    const asset = ASSETS[c.req.param('file')];
    if (!asset) return c.text('Not found', 404);
    return c.body(asset.body, 200, { 'Content-Type': asset.type, 'Cache-Control': 'public, max-age=300' });
  });

  ui.use('*', loadSession(deps));
  ui.use('*', requireCsrf());

  // --- Login, logout, language -------------------------------------------------------------------
  ui.get('/login', (c) => {
    if (c.get('session')) return c.redirect(`${BASE}/pick-lists`, 303);
    return c.html(loginScreen(ctxOf(c), { token: issueLoginToken(c), next: c.req.query('next'), langChosen: isLanguage(c.req.query('lang')) }));
  });

  ui.post('/login', async (c) => {
    const body = await c.req.parseBody();
    checkLoginToken(c, field(body, '_login'));
    const lang = field(body, 'lang');
    const ctx = isLanguage(lang) ? { ...ctxOf(c), lang, t: translator(lang) } : ctxOf(c);
    const email = (field(body, 'email') ?? '').trim().slice(0, 320);
    const password = (field(body, 'password') ?? '').slice(0, 1024);
    const tenant = field(body, 'tenant');
    const next = field(body, 'next');
    const token = issueLoginToken(c);
    const result = email && password
      ? await attemptLogin(deps.sql, { email, password, tenantId: tenant && isId(tenant) ? tenant : undefined, address: clientAddress(c) }, deps.now())
      : ({ kind: 'invalid' } as const);
    if (result.kind === 'throttled') {
      // Refused before any password was checked (no scrypt): the wait, or the lockout, says when to come back.
      const retry = { 'Retry-After': String(result.retryAfterSeconds) };
      const message = result.reason === 'account_locked' ? ctx.t('loginLocked') : ctx.t('loginThrottled');
      const limited = result.reason === 'address_throttled' ? 'address' : 'email';
      if (wantsJson(c)) return c.json(errorBody('RATE_LIMITED', message, [{ path: limited, reason: `${result.reason}; retry after ${result.retryAfterSeconds} s` }]), 429, retry);
      return c.html(loginScreen(ctx, { token, email, error: `${message} (${result.retryAfterSeconds < 60 ? `${result.retryAfterSeconds} s` : `${Math.ceil(result.retryAfterSeconds / 60)} min`})`, next, langChosen: isLanguage(lang) }), 429, retry);
    }
    if (result.kind === 'invalid') return c.html(loginScreen(ctx, { token, email, error: ctx.t('loginFailed'), next, langChosen: isLanguage(lang) }), 401);
    if (result.kind === 'choose_tenant') return c.html(loginScreen(ctx, { token, email, tenants: result.tenants, next, langChosen: isLanguage(lang) }), 200);
    const old = getCookie(c, SESSION_COOKIE);
    if (old) await destroySession(deps.sql, old);
    // A language picked on the login page becomes the user's preference.
    if (isLanguage(lang)) await setLanguage(deps.sql, result.tenantId, result.userId, lang);
    const s = await createSession(deps.sql, result.tenantId, result.userId, deps.now());
    setSessionCookie(c, s.sessionId);
    return c.redirect(safeNext(next), 303);
  });

  ui.post('/logout', async (c) => {
    const id = getCookie(c, SESSION_COOKIE);
    if (id) await destroySession(deps.sql, id);
    clearSessionCookie(c);
    return c.redirect(`${BASE}/login`, 303);
  });

  ui.post('/language', async (c) => {
    const s = requireSession(c);
    const lang = field(await c.req.parseBody(), 'language');
    if (!isLanguage(lang)) throw new DomainError('VALIDATION', 'Choose ro or en.', [{ path: 'language', reason: 'not ro or en' }]);
    await setLanguage(deps.sql, s.tenantId, s.userId, lang);
    return c.redirect(safeNext(c.req.header('referer') ? new URL(c.req.header('referer')!).pathname : undefined), 303);
  });

  ui.get('/', (c) => c.redirect(`${BASE}/pick-lists`, 303));
  connectWooRoutes(ui, deps);

  // --- Pick lists ---------------------------------------------------------------------------------
  ui.get('/pick-lists', async (c) => {
    const s = gate(c, 'pick_list.view');
    const all = can(s.role, 'pick_list.view_all') && c.req.query('mine') !== '1';
    const rows = await listPickLists(deps.sql, s.tenantId, all ? {} : { pickerUserId: s.userId });
    return c.html(
      pickListsScreen(
        ctxOf(c),
        rows.map((r) => ({ id: r.id, status: r.status, orders: r.orderCount, lines: r.lineCount, units: r.quantity, picked: r.picked, createdAt: r.createdAt, pickerName: r.pickerName })),
        { mine: !all },
      ),
    );
  });

  ui.post('/pick-lists', async (c) => {
    const s = gate(c, 'pick_list.create');
    const orderIds = fields(await c.req.parseBody({ all: true }), 'orderIds').filter(isId);
    if (orderIds.length === 0) throw new DomainError('VALIDATION', 'Choose at least one delivery note for the pick list.', [{ path: 'orderIds', reason: 'none chosen' }]);
    const pl = await deps.sql.begin((tx) => createPickList(tx, s.tenantId, { orderIds }));
    return c.redirect(`${BASE}/pick-lists/${pl.id}`, 303);
  });

  /** The pick list of this tenant, and only the picker's own unless the role sees every list. */
  async function loadPickList(db: Parameters<typeof getPickList>[0], s: SessionUser, id: string): Promise<PickList> {
    const pl = await getPickList(db, s.tenantId, id);
    if (!can(s.role, 'pick_list.view_all') && pl.pickerUserId !== null && pl.pickerUserId !== s.userId) {
      throw new DomainError('FORBIDDEN', `Pick list ${id} is assigned to another picker.`, [{ path: 'id', reason: 'assigned to another picker' }]);
    }
    return pl;
  }

  async function pickView(s: SessionUser, pl: PickList): Promise<PickView> {
    const packing = pl.status === 'picked' ? await latestPackingListIds(deps.sql, s.tenantId, pl.orders.map((o) => o.deliveryNoteId)) : new Map<string, string>();
    return {
      id: pl.id,
      status: pl.status,
      lines: pl.lines,
      orders: pl.orders
        .filter((o) => o.active)
        .map((o) => ({ orderId: o.orderId, orderNumber: o.orderNumber, deliveryNoteId: o.deliveryNoteId, packingListId: packing.get(o.deliveryNoteId) ?? null })),
      canPick: can(s.role, 'pick_list.pick'),
      canTick: can(s.role, 'pick_list.manual_tick'),
      canComplete: can(s.role, 'pick_list.complete'),
      canPack: can(s.role, 'packing_list.pack'),
      locationFirst: (await warehouseScanning(deps.sql, s.tenantId, pl.warehouseId)).scanLocationFirst,
    };
  }

  ui.get('/pick-lists/:id', async (c) => {
    const s = gate(c, 'pick_list.view');
    const pl = await loadPickList(deps.sql, s, c.req.param('id'));
    return c.html(pickScreen(ctxOf(c), s, await pickView(s, pl)));
  });

  ui.post('/pick-lists/:id/scan', async (c) => {
    const s = gate(c, 'pick_list.pick');
    const id = c.req.param('id');
    const json = wantsJson(c);
    const raw = json ? await c.req.json().catch(() => null) : await c.req.parseBody();
    const parsed = ScanBody.safeParse(raw ?? {});
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      throw new DomainError('VALIDATION', `Invalid ${i.path.join('.') || 'body'}: ${i.message}.`, [{ path: i.path.join('.') || 'body', reason: i.message }]);
    }
    const t = c.get('t');
    try {
      const { pickList, line } = await deps.sql.begin(async (tx) => {
        const pl = await loadPickList(tx, s, id);
        // Location-first warehouses: an item scanned before its bin is refused (nothing picked).
        if (!parsed.data.binCode && (await warehouseScanning(tx, s.tenantId, pl.warehouseId)).scanLocationFirst) {
          throw new DomainError('VALIDATION', `Warehouse of pick list ${id} scans the bin first; scan bin ${pl.lines.find((l) => l.picked + l.short < l.quantity)?.binCode ?? ''} before the item.`, [{ path: 'binCode', reason: 'bin_first' }]);
        }
        if (pl.pickerUserId === null) await assignPicker(tx, s.tenantId, id, s.userId);
        return confirmPickLine(tx, s.tenantId, id, { method: 'scan', barcode: parsed.data.barcode, binCode: parsed.data.binCode || undefined, quantity: parsed.data.quantity, userId: s.userId });
      });
      const v = await pickView(s, pickList);
      const message = `${t('scanOk')}: ${line.name} · ${line.picked}/${line.quantity}`;
      if (!json) return c.html(pickScreen(ctxOf(c), s, v, { kind: 'ok', text: message }));
      return c.json({ ok: true, message, headline: message, detail: '', line: { lineNo: line.lineNo, picked: line.picked, quantity: line.quantity }, panel: await pickPanel(t, s, v), bins: panelBins(v), currentBin: panelCurrentBin(v) });
    } catch (e) {
      // A refused scan changes nothing; the picker hears the error tone and reads why.
      if (!(e instanceof DomainError) || !['VALIDATION', 'INVALID_STATE', 'CONFLICT'].includes(e.code)) throw e;
      const { reason } = errorWords(t, e);
      const headline = ['wrong_item', 'over_pick', 'wrong_bin', 'bin_first'].includes(reason) ? errorWords(t, e).headline : t('scanRefused');
      const message = `${headline}: ${e.message}`;
      const v = await pickView(s, await getPickList(deps.sql, s.tenantId, id));
      const status = STATUS_BY_CODE[e.code];
      // The detail in the UI's language where the screen knows it: the bin to scan, the code that is not on the list.
      const detail = reason === 'bin_first' ? `${t('bin')}: ${panelCurrentBin(v)}` : reason === 'wrong_item' ? `${t('barcode')}: ${parsed.data.barcode}` : e.message;
      if (!json) return c.html(pickScreen(ctxOf(c), s, v, { kind: 'error', text: headline, detail }), status);
      return c.json({ ok: false, reason, message, headline, detail, ...errorBody(e.code, e.message, e.details), panel: await pickPanel(t, s, v), bins: panelBins(v), currentBin: panelCurrentBin(v) }, status);
    }
  });

  ui.post('/pick-lists/:id/tick', async (c) => {
    const s = gate(c, 'pick_list.manual_tick');
    const id = c.req.param('id');
    const lineNo = Number(field(await c.req.parseBody(), 'lineNo'));
    if (!Number.isInteger(lineNo) || lineNo < 1) throw new DomainError('VALIDATION', 'Name the line to tick.', [{ path: 'lineNo', reason: 'must be a line number' }]);
    await deps.sql.begin(async (tx) => {
      const pl = await loadPickList(tx, s, id);
      const line = pl.lines.find((l) => l.lineNo === lineNo);
      return confirmPickLine(tx, s.tenantId, id, { method: 'tick', lineNo, quantity: line ? Math.max(1, line.remaining) : 1, userId: s.userId });
    });
    return c.redirect(`${BASE}/pick-lists/${id}`, 303);
  });

  ui.post('/pick-lists/:id/short', async (c) => {
    const s = gate(c, 'pick_list.pick');
    const id = c.req.param('id');
    const body = await c.req.parseBody();
    const lineNo = Number(field(body, 'lineNo'));
    const decision = field(body, 'decision');
    if (!Number.isInteger(lineNo) || lineNo < 1) throw new DomainError('VALIDATION', 'Name the line that is short.', [{ path: 'lineNo', reason: 'must be a line number' }]);
    if (decision !== 'partial' && decision !== 'hold') throw new DomainError('VALIDATION', 'Choose partial delivery or hold.', [{ path: 'decision', reason: 'not partial or hold' }]);
    await deps.sql.begin(async (tx) => {
      await loadPickList(tx, s, id);
      return recordShortPick(tx, s.tenantId, id, { lineNo, decision });
    });
    return c.redirect(`${BASE}/pick-lists/${id}`, 303);
  });

  ui.post('/pick-lists/:id/complete', async (c) => {
    const s = gate(c, 'pick_list.complete');
    const id = c.req.param('id');
    await deps.sql.begin(async (tx) => {
      await loadPickList(tx, s, id);
      return completePickList(tx, s.tenantId, id);
    });
    return c.redirect(`${BASE}/pick-lists/${id}`, 303);
  });

  // --- Packing ------------------------------------------------------------------------------------
  ui.post('/delivery-notes/:id/packing-list', async (c) => {
    const s = gate(c, 'packing_list.pack');
    const id = c.req.param('id');
    const packing = await deps.sql.begin(async (tx) => {
      const [existing] = await listPackingLists(tx, s.tenantId, { deliveryNoteId: id });
      return existing ?? createPackingList(tx, s.tenantId, id, {});
    });
    return c.redirect(`${BASE}/packing-lists/${packing.id}`, 303);
  });

  /** The pack screen's view: the courier accounts the AWB step would use for this order, the scan check, the AWB once made. */
  async function packView(s: SessionUser, p: PackingList, choices?: CourierChoice[]): Promise<PackView> {
    const [scan, shipment] = await Promise.all([packScanState(deps.sql, s.tenantId, p.id), liveShipmentOfPackingList(deps, s.tenantId, p.id)]);
    const addr = (p.deliveryAddress ?? {}) as Record<string, unknown>;
    const address = Object.fromEntries(ADDRESS_FIELDS.map((k) => [k, typeof addr[k] === 'string' ? (addr[k] as string) : ''])) as AddressView;
    return {
      id: p.id,
      deliveryNoteId: p.deliveryNoteId,
      orderId: p.orderId,
      orderNumber: p.orderNumber ?? null,
      type: p.type,
      status: p.status,
      courier: p.courier,
      service: p.service,
      choices: choices ?? (await awbChoices(deps, s.tenantId, p.id)),
      address,
      parcels: p.parcels.map((x) => ({ weightKg: str(x.weightKg), lengthCm: str(x.lengthCm), widthCm: str(x.widthCm), heightCm: str(x.heightCm) })),
      scan,
      missingForAwb: p.missingForAwb,
      shipment: shipment ? { id: shipment.id, awb: shipment.awb, courier: shipment.courier, status: shipment.status, trackingUrl: shipment.trackingUrl } : null,
      canPack: can(s.role, 'packing_list.pack'),
      canOverride: can(s.role, 'packing_list.override_scan'),
    };
  }

  ui.get('/packing-lists/:id', async (c) => {
    const s = gate(c, 'packing_list.view');
    const p = await getPackingList(deps.sql, s.tenantId, c.req.param('id'));
    return c.html(packScreen(ctxOf(c), s, await packView(s, p)));
  });

  ui.post('/packing-lists/:id', async (c) => {
    const s = gate(c, 'packing_list.pack');
    const id = c.req.param('id');
    const body = await c.req.parseBody({ all: true });
    const cols = ['weightKg', 'lengthCm', 'widthCm', 'heightCm'] as const;
    const n = Math.max(...cols.map((k) => fields(body, k).length));
    const problems: Array<{ path: string; reason: string }> = [];
    const parcels = Array.from({ length: Math.min(n, 50) }, (_, i) => {
      const out: ParcelInput = {};
      for (const k of cols) {
        const r = Measure.safeParse(fields(body, k)[i] ?? '');
        if (r.success) out[k] = r.data;
        else problems.push({ path: `parcels[${i}].${k}`, reason: r.error.issues[0]!.message });
      }
      return out;
    });
    // One choice is one courier account's service: exactly what POST /packing-lists/{id}/awb accepts for this order.
    const [courier = '', service = ''] = (field(body, 'courierService') ?? '').split('|');
    const choices = await awbChoices(deps, s.tenantId, id);
    if (!choices.some((ch) => ch.courier === courier && ch.services.some((x) => x.code === service))) problems.push({ path: 'courierService', reason: 'choose' });
    const current = await getPackingList(deps.sql, s.tenantId, id);
    if (problems.length > 0) {
      const ctx = ctxOf(c);
      const t = ctx.t;
      const words = problems.map((p) => (p.path === 'courierService' ? t('chooseCourierService') : `${t('parcel')} ${Number(/\[(\d+)\]/.exec(p.path)?.[1] ?? 0) + 1} · ${t((p.path.split('.').pop() ?? 'weightKg') as 'weightKg')}: ${t('mustBePositive')}`));
      return c.html(packScreen(ctx, s, await packView(s, current, choices), { kind: 'error', text: `${t('fixFields')}: ${words.join('; ')}` }), 400);
    }
    const address: Record<string, unknown> = { ...((current.deliveryAddress ?? {}) as Record<string, unknown>) };
    for (const k of ADDRESS_FIELDS) {
      const v = (field(body, `addr_${k}`) ?? '').trim().slice(0, 200);
      address[k] = v === '' ? null : v;
    }
    const updated = await deps.sql.begin((tx) => updatePackingList(tx, s.tenantId, id, { courier, service, deliveryAddress: address, parcels }));
    return c.html(packScreen(ctxOf(c), s, await packView(s, updated, choices), { kind: 'ok', text: c.get('t')('packingSaved') }));
  });

  ui.get('/packing-lists/:id/packing-slip.pdf', async (c) => {
    const s = gate(c, 'packing_list.view');
    const id = c.req.param('id');
    const pdf = await renderPackingSlip(deps.sql, s.tenantId, id);
    return c.body(pdf as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="packing-slip-${id}.pdf"` });
  });

  // --- Delivery notes, stock ----------------------------------------------------------------------
  ui.get('/delivery-notes', async (c) => {
    const s = gate(c, 'delivery_note.view');
    const blocked = c.req.query('blocked') === '1';
    const { deliveryNotes } = await listDeliveryNotes(deps.sql, s.tenantId, blocked ? { blocked: true, limit: 100 } : { limit: 100 });
    const rows = deliveryNotes.map((n) => ({
      id: n.id,
      orderId: n.orderId,
      orderNumber: n.orderNumber,
      type: n.type,
      status: n.status,
      blocked: n.blocked,
      missing: (n.blockedDetails ?? []).map((b) => ({ sku: b.sku, missing: b.missing })),
      lines: n.lines.length,
      units: n.lines.reduce((a, l) => a + l.quantity, 0),
      createdAt: n.createdAt,
    }));
    return c.html(deliveryNotesScreen(ctxOf(c), s, rows, { blocked, canCreatePickList: can(s.role, 'pick_list.create') }));
  });

  ui.get('/stock', async (c) => {
    const s = gate(c, 'stock.view');
    const barcode = (c.req.query('barcode') ?? '').trim().slice(0, 64);
    if (!barcode) return c.html(stockScreen(ctxOf(c), { barcode, result: null, notFound: false }));
    try {
      const r = await lookupStockByBarcode(deps.sql, s.tenantId, barcode);
      return c.html(stockScreen(ctxOf(c), { barcode, result: r, notFound: false }));
    } catch (e) {
      if (e instanceof DomainError && e.code === 'NOT_FOUND') return c.html(stockScreen(ctxOf(c), { barcode, result: null, notFound: true }), 404);
      throw e;
    }
  });

  // --- Stock movement history (the report, filtered and paged for a phone) -------------------------
  ui.get('/stock-movements', async (c) => {
    const s = gate(c, 'stock_movement.view');
    const q = (k: string, max: number) => (c.req.query(k) ?? '').trim().slice(0, max);
    const filters: MovementFiltersView = { product: q('product', 64), warehouseId: q('warehouseId', 18), causeType: q('causeType', 40), kind: q('kind', 20), from: q('from', 10), to: q('to', 10) };
    const cursor = (c.req.query('cursor') ?? '').slice(0, 500);
    const problems: string[] = [];
    if (filters.warehouseId && !isId(filters.warehouseId)) problems.push('warehouseId: not a warehouse id');
    if (filters.causeType && !/^[a-z0-9_.-]+$/i.test(filters.causeType)) problems.push('causeType: not a cause type');
    if (filters.kind && !(MOVEMENT_KINDS as readonly string[]).includes(filters.kind)) problems.push(`kind: one of ${MOVEMENT_KINDS.join(', ')}`);
    const from = filters.from ? warehouseMidnight(filters.from) : null;
    const toStart = filters.to ? warehouseMidnight(filters.to) : null;
    if (filters.from && !from) problems.push('from: a date as YYYY-MM-DD');
    if (filters.to && !toStart) problems.push('to: a date as YYYY-MM-DD');
    // "To" names a whole day: everything before the next day's midnight.
    const to = toStart ? warehouseMidnight(new Date(toStart.getTime() + 36 * 3_600_000).toISOString().slice(0, 10)) : null;
    if (from && to && from >= to) problems.push('from: after to');

    const options = await stockMovementFilterOptions(deps.sql, s.tenantId);
    const product = filters.product && problems.length === 0 ? await findMovementProduct(deps.sql, s.tenantId, filters.product) : null;
    const base = { filters, warehouses: options.warehouses, causeTypes: options.causeTypes, product: product ? { sku: product.sku, name: product.name } : null, paged: cursor !== '' };
    if (problems.length > 0) return c.html(movementsScreen(ctxOf(c), { ...base, productNotFound: false, error: problems.join('; '), rows: [], moreHref: null }), 400);
    if (filters.product && !product) return c.html(movementsScreen(ctxOf(c), { ...base, productNotFound: true, error: null, rows: [], moreHref: null }));

    let page: Awaited<ReturnType<typeof stockMovementHistory>>;
    try {
      page = await stockMovementHistory(deps.sql, s.tenantId, {
        limit: MOVEMENTS_PAGE,
        ...(product ? { productId: product.id } : {}),
        ...(filters.warehouseId ? { warehouseId: filters.warehouseId } : {}),
        ...(filters.causeType ? { causeType: filters.causeType } : {}),
        ...(filters.kind ? { kind: filters.kind } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(cursor ? { cursor } : {}),
      });
    } catch (e) {
      if (!(e instanceof DomainError) || e.code !== 'VALIDATION') throw e;
      return c.html(movementsScreen(ctxOf(c), { ...base, productNotFound: false, error: e.message, rows: [], moreHref: null }), 400);
    }
    const packingLists = can(s.role, 'packing_list.view')
      ? await packingListsOfDeliveryNotes(deps.sql, s.tenantId, page.movements.filter((m) => m.causeType === 'delivery_note').map((m) => m.causeId))
      : new Map<string, string>();
    const causeHref = (type: string, id: string): string | null => {
      if (!isId(id)) return null;
      if (type === 'pick_list' && can(s.role, 'pick_list.view')) return `${BASE}/pick-lists/${id}`;
      const pl = type === 'delivery_note' ? packingLists.get(id) : undefined;
      return pl ? `${BASE}/packing-lists/${pl}` : null;
    };
    const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== ''));
    if (page.nextCursor) params.set('cursor', page.nextCursor);
    return c.html(
      movementsScreen(ctxOf(c), {
        ...base,
        productNotFound: false,
        error: null,
        rows: page.movements.map((m) => ({ ...m, causeHref: causeHref(m.causeType, m.causeId) })),
        moreHref: page.nextCursor ? `${BASE}/stock-movements?${params.toString()}` : null,
      }),
    );
  });

  ui.route('/', catalogUi(deps));
  ui.route('/settings', settingsUi(deps));
  deskOrderRoutes(ui, deps, ctxOf);
  ui.route('/', reportsUi(deps));
  // The packing station (scan check, AWB, label print), receiving stock on the phone, a delivery note's detail.
  packStationRoutes(ui, deps, packView);
  receiveRoutes(ui, deps);
  deliveryNoteDetailRoutes(ui, deps);
  // Returns: the list, a return's page, the start form on the order, the receipt by scan, the quarantine.
  returnsUi(ui, deps);

  ui.all('*', (c) => {
    const ctx = ctxOf(c);
    return c.html(messagePage(ctx, ctx.t('pageNotFound'), `${c.req.method} ${c.req.path}`), 404);
  });

  return ui;
}
