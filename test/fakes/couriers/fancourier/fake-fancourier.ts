import { Hono } from 'hono';
import { FakeCourierState, fakeLabelPdf, isKnownRoLocality, serveFake } from '../fake-courier-base.ts';

/**
 * FAN Courier API v2 as in shared/contracts/couriers.md §3: POST /login (form username, password) →
 * {status, data:{token, expiresAt "Y-m-d H:i:s" Bucharest time}}; Bearer on every other call, 401 once
 * expired; clientId on every call; POST /intern-awb {clientId, shipments[]} → {response:[…]} with
 * per-item errors keyed by dotted field path; GET /reports/awb (borderou, paged, costCenter per AWB);
 * GET /awb/label (PDF); GET /reports/awb/tracking (awb[] list, an AWB without events → {awbNumber,
 * message}); DELETE /awb; GET /reports/awb/internal-tariff. New AWBs have no events.
 * UNVERIFIED texts: the unknown-locality message and the non-item error shape {status:"error", message, errors}.
 */
export interface FakeFanCourier {
  url: string;
  state: FakeCourierState;
  clientId: number;
  close(): Promise<void>;
}

const bucharest = (d: Date) => new Date(d.getTime() + 2 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');

export async function startFakeFanCourier(opts: { username?: string; password?: string; clientId?: number } = {}): Promise<FakeFanCourier> {
  const username = opts.username ?? 'fan-user';
  const password = opts.password ?? 'fan-pass';
  const clientId = opts.clientId ?? 7000000;
  const state = new FakeCourierState();
  const app = new Hono();
  const error = (message: string, errors: Record<string, string[]> = {}) => ({ status: 'error', message, errors });
  app.use('*', state.middleware((p) => p === '/login'));
  app.post('/login', async (c) => {
    const f = await c.req.parseBody();
    if (f.username !== username || f.password !== password) return c.json(error('Invalid credentials'), 401);
    const t = state.issueToken();
    return c.json({ status: 'success', data: { token: `${state.logins}|${t.token}`, expiresAt: bucharest(t.expiresAt) } });
  });
  app.use('*', async (c, next) => {
    const token = c.req.header('authorization')?.replace(/^Bearer /, '').split('|')[1];
    if (!state.tokenValid(token)) return c.json({ message: 'Unauthenticated.' }, 401);
    const id = c.req.method === 'POST' ? null : c.req.query('clientId');
    if (id !== null && Number(id) !== clientId) return c.json(error('The selected client id is invalid.', { clientId: ['The selected client id is invalid.'] }), 422);
    await next();
  });
  app.post('/intern-awb', async (c) => {
    const b = await c.req.json();
    if (Number(b.clientId) !== clientId) return c.json(error('The selected client id is invalid.', { clientId: ['The selected client id is invalid.'] }), 422);
    let delay: number | null = null;
    // biome-ignore lint/suspicious/noExplicitAny: the fake reads arbitrary client JSON
    const response = (b.shipments as any[]).map((sh) => {
      const errors: Record<string, string> = {};
      const addr = sh.recipient?.address ?? {};
      if ((sh.info?.packages?.parcel ?? 0) + (sh.info?.packages?.envelope ?? 0) < 1) errors['info.parcels'] = 'At least one envelope or parcel is required';
      if (typeof addr.streetNo !== 'string') errors['recipient.address.streetNo'] = 'The street number must be a string.';
      if (!isKnownRoLocality(addr.county, addr.locality)) errors['recipient.address.locality'] = `Localitatea ${addr.locality} nu exista in judetul ${addr.county}.`;
      if (Object.keys(errors).length) return { awbNumber: null, success: false, errors };
      const awb = 2332300120000 + state.nextSeq();
      state.addShipment(String(awb), String(sh.info?.costCenter ?? ''), sh, { date: new Date() });
      delay ??= state.takeCreateDelay();
      return { awbNumber: awb, tariff: 30.53, packages: sh.info.packages.parcel, letter: 'B', routingCode: '0200', office: 'Cluj', visualCode: '02-01-01', errors: null };
    });
    if (delay) await state.delay(delay);
    return c.json({ response });
  });
  app.get('/reports/awb', (c) => {
    const date = c.req.query('date') ?? '';
    const page = Number(c.req.query('page') ?? 1);
    const per = Number(c.req.query('perPage') ?? 100);
    // Borderou day in Bucharest time, like the courier's own dates.
    const all = [...state.shipments.values()].filter((s) => bucharest(s.createdAt).slice(0, 10) === date);
    // biome-ignore lint/suspicious/noExplicitAny: fake bodies are the client's JSON
    const data = all.slice((page - 1) * per, page * per).map((s: any) => ({
      info: { awbNumber: s.awb, service: s.body.info.service, weight: s.body.info.weight, cod: s.body.info.cod, costCenter: s.reference, date: bucharest(s.createdAt), cost: 30.53, content: s.body.info.content },
      recipient: s.body.recipient,
      sender: {},
    }));
    return c.json({ status: 'success', data, total: all.length, perPage: per, currentPage: page });
  });
  app.get('/awb/label', async (c) => {
    const awb = c.req.queries('awbs[]')?.[0] ?? '';
    const s = state.shipments.get(awb);
    if (!s || c.req.query('pdf') !== '1') return c.json(error('AWB not found'), 404);
    return c.body((await fakeLabelPdf(s.awb, c.req.query('format') ?? 'A4')) as unknown as ArrayBuffer, 200, { 'content-type': 'application/pdf' });
  });
  app.get('/reports/awb/tracking', (c) => {
    const awbs = c.req.queries('awb[]') ?? [];
    const data = awbs.map((awb) => {
      const s = state.shipments.get(awb);
      if (!s) return { awbNumber: awb, message: 'AWB not found' };
      if (!s.events.length) return { content: '', awbNumber: awb, message: 'The AWB has been registerd by sender' };
      return {
        content: (s.body as { info: { content: string } }).info.content,
        awbNumber: awb,
        date: bucharest(s.createdAt),
        returnAwbNumber: '',
        confirmation: { name: '', date: '' },
        events: s.events.map((e) => ({ id: e.code, name: e.description, location: e.location, date: bucharest(new Date(e.date)) })),
      };
    });
    return c.json({ status: 'success', data });
  });
  app.delete('/awb', (c) => {
    const s = state.shipments.get(c.req.query('awb') ?? '');
    if (!s) return c.json(error('AWB not found'), 404);
    if (s.events.length) return c.json(error('AWB-ul nu mai poate fi sters: expeditia a fost ridicata.'), 400);
    s.cancelled = true;
    return c.json({ status: 'success', message: 'AWB deleted' });
  });
  app.get('/reports/awb/internal-tariff', (c) => {
    const q = c.req.query();
    if (!isKnownRoLocality(q['recipient[county]'], q['recipient[locality]']))
      return c.json(error('The given data was invalid.', { 'recipient.locality': [`Localitatea ${q['recipient[locality]']} nu exista.`] }), 422);
    const total = 20 + Number(q['info[weight]'] ?? 1) * 2;
    return c.json({ status: 'success', data: { extraKmCost: 0, weightCost: 0, insuranceCost: 0, optionsCost: 0, fuelCost: 0, costNoVAT: Number((total / 1.19).toFixed(2)), vat: Number((total - total / 1.19).toFixed(2)), total } });
  });
  return { ...(await serveFake(app)), state, clientId };
}
