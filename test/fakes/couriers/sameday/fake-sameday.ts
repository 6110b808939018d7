import { Hono } from 'hono';
import { FakeCourierState, fakeLabelPdf, isKnownRoLocality, serveFake } from '../fake-courier-base.ts';

/**
 * Sameday as in shared/contracts/couriers.md §2: POST /api/authenticate (X-Auth-Username/Password,
 * form remember_me) → {token, expire_at}; X-AUTH-TOKEN on every call, 401 once expired; form-urlencoded
 * POST /api/awb with Symfony-form 400s (Invalid city., clientInternalReference awb.not_unique);
 * GET /api/client/services (the account's service ids); GET /api/client/status-sync: every parcel's status rows in a window of unix seconds, paged
 * (`page`, `countPerPage`), answered in the fixture's shape {currentPage, perPage, data}.
 */
export interface FakeSameday {
  url: string;
  state: FakeCourierState;
  close(): Promise<void>;
}

const fmt = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');

/** Sameday's statusDate: Bucharest offset, whole seconds (`2018-12-20T17:20:13+0200`), as in the fixtures. */
export const samedayDate = (iso: string): string => `${new Date(Date.parse(iso) + 2 * 3600_000).toISOString().slice(0, 19)}+0200`;

export async function startFakeSameday(opts: { username?: string; password?: string } = {}): Promise<FakeSameday> {
  const username = opts.username ?? 'sameday-user';
  const password = opts.password ?? 'sameday-pass';
  const state = new FakeCourierState();
  const app = new Hono();
  const formError = (children: Record<string, unknown>) => ({ code: 400, message: 'Validation Failed', errors: { children } });
  app.use('*', state.middleware((p) => p === '/api/authenticate'));
  app.post('/api/authenticate', async (c) => {
    const form = await c.req.parseBody();
    if (c.req.header('x-auth-username') !== username || c.req.header('x-auth-password') !== password || form.remember_me !== 'true')
      return c.json({ code: 401, message: 'Bad credentials' }, 401);
    const t = state.issueToken();
    // Bucharest time, as the real answer: shift UTC by +2 h.
    return c.json({ token: t.token, expire_at: fmt(new Date(t.expiresAt.getTime() + 2 * 3600_000)) });
  });
  app.use('/api/*', async (c, next) => {
    if (!state.tokenValid(c.req.header('x-auth-token'))) return c.json({ code: 401, message: 'Invalid JWT Token' }, 401);
    await next();
  });
  const checkForm = (f: Record<string, string>) => {
    const children: Record<string, unknown> = {};
    if (!f.pickupPoint) children.pickupPoint = { errors: ['This value should not be null.'] };
    if (!f['awbRecipient[name]'] || !f['awbRecipient[phoneNumber]']) children.awbRecipient = { children: { name: { errors: ['This value should not be blank.'] } } };
    if (!isKnownRoLocality(f['awbRecipient[countyString]'], f['awbRecipient[cityString]']))
      children.awbRecipient = { children: { cityString: { errors: ['Invalid city.'] } } };
    if (!f['parcels[0][weight]']) children.parcels = { errors: ['At least one parcel is required.'] };
    return children;
  };
  // GET /api/client/services (contract §2.2: the AWB's `service` is an id from here), paged like status-sync.
  app.get('/api/client/services', (c) =>
    c.json({
      data: [
        { id: 7, name: '24H', serviceCode: '24', deliveryType: { id: 1, name: 'Standard' }, defaultService: true },
        { id: 15, name: 'Locker NextDay', serviceCode: 'LN', deliveryType: { id: 2, name: 'Locker' }, defaultService: false },
      ],
      currentPage: 1,
      pages: 1,
      perPage: Number(c.req.query('countPerPage') ?? 50),
      total: 2,
    }),
  );
  app.post('/api/awb/estimate-cost', async (c) => {
    const f = (await c.req.parseBody()) as Record<string, string>;
    const children = checkForm(f);
    if (Object.keys(children).length) return c.json(formError(children), 400);
    return c.json({ amount: 14.5 + Number(f.packageWeight ?? 0), currency: 'RON', time: 24 });
  });
  app.post('/api/awb', async (c) => {
    const f = (await c.req.parseBody()) as Record<string, string>;
    const children = checkForm(f);
    if (Object.keys(children).length) return c.json(formError(children), 400);
    const ref = f.clientInternalReference ?? '';
    if (ref && state.byReference(ref).length) return c.json(formError({ clientInternalReference: { errors: ['awb.not_unique'] } }), 400);
    const awb = `1SDY${241067000 + state.nextSeq()}`;
    const n = Number(f.packageNumber ?? 1);
    state.addShipment(awb, ref, f);
    state.advance(awb, '1', 'AWB Emis', 'Bucuresti');
    const delay = state.takeCreateDelay();
    if (delay) await state.delay(delay);
    return c.json(
      { awbNumber: awb, awbCost: 12.34, parcels: Array.from({ length: n }, (_, i) => ({ position: i + 1, awbNumber: `${awb}${String(i + 1).padStart(3, '0')}` })), pdfLink: `${new URL(c.req.url).origin}/api/awb/download/${awb}/A6` },
      201,
    );
  });
  app.get('/api/awb/download/:awb/:format', async (c) => {
    const s = state.shipments.get(c.req.param('awb'));
    if (!s) return c.json({ code: 404, message: 'AWB not found' }, 404);
    return c.body((await fakeLabelPdf(s.awb, c.req.param('format'))) as unknown as ArrayBuffer, 200, { 'content-type': 'application/pdf' });
  });
  app.get('/api/client/awb/:awb/status', (c) => {
    const s = state.shipments.get(c.req.param('awb'));
    if (!s) return c.json({ code: 404, message: 'AWB not found' }, 404);
    const row = (e: (typeof s.events)[number]) => ({ statusId: Number(e.code), status: e.description, statusLabel: e.description, statusState: '', statusDate: samedayDate(e.date), county: e.location, reason: '', transitLocation: '' });
    const last = s.events.at(-1)!;
    return c.json({
      expeditionSummary: { delivered: last.code === '9', canceled: s.cancelled, deliveryAttempts: 0, awbNumber: s.awb, awbWeight: 1, servicePayment: 0, cashOnDelivery: 0, redirectionsAttempts: 0, deliveredAt: '', lastDeliveryAttempt: '' },
      expeditionStatus: row(last),
      parcelsStatus: [],
      expeditionHistory: s.events.map(row),
    });
  });
  app.get('/api/client/status-sync', (c) => {
    const start = Number(c.req.query('startTimestamp'));
    const end = Number(c.req.query('endTimestamp'));
    if (!Number.isInteger(start) || !Number.isInteger(end) || end < start) return c.json({ code: 400, message: 'Invalid startTimestamp or endTimestamp.' }, 400);
    const page = Math.max(1, Number(c.req.query('page') ?? 1) || 1);
    const perPage = Math.max(1, Number(c.req.query('countPerPage') ?? 50) || 50);
    const rows: Record<string, unknown>[] = [];
    for (const s of state.shipments.values()) {
      const parcels = Math.max(1, Number((s.body as Record<string, string>).packageNumber ?? 1) || 1);
      for (const e of s.events) {
        const at = Math.floor(Date.parse(e.date) / 1000);
        if (at < start || at >= end) continue;
        for (let i = 1; i <= parcels; i++) {
          const parcelAwbNumber = `${s.awb}${String(i).padStart(3, '0')}`;
          rows.push({
            status: e.description,
            statusId: Number(e.code),
            statusLabel: e.description,
            statusState: '',
            transitLocation: e.location,
            statusDate: samedayDate(e.date),
            parcelAwbNumber,
            reasonId: '',
            reason: '',
            parcelDetails: `${new URL(c.req.url).origin}/api/client/parcel/${parcelAwbNumber}/status-history`,
          });
        }
      }
    }
    rows.sort((a, b) => String(a.statusDate).localeCompare(String(b.statusDate)) || String(a.parcelAwbNumber).localeCompare(String(b.parcelAwbNumber)));
    return c.json({ currentPage: page, perPage, data: rows.slice((page - 1) * perPage, page * perPage) });
  });
  app.delete('/api/awb/:awb', (c) => {
    const s = state.shipments.get(c.req.param('awb'));
    if (!s) return c.json({ code: 404, message: 'AWB not found' }, 404);
    if (s.events.some((e) => e.code !== '1')) return c.json({ code: 400, message: 'AWB cannot be deleted after pickup.' }, 400);
    s.cancelled = true;
    return c.body(null, 204);
  });
  return { ...(await serveFake(app)), state };
}
