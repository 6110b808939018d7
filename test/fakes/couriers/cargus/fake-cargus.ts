import { Hono } from 'hono';
import { FakeCourierState, fakeLabelPdf, isKnownRoLocality, serveFake } from '../fake-courier-base.ts';

/**
 * Cargus (UrgentCargus) as in shared/contracts/couriers.md §4, under `/api/`: Ocp-Apim-Subscription-Key on
 * every call (APIM 401 without it); POST LoginUser {UserName, Password} → the token as a JSON string
 * literal; Bearer on every other call, 401 once expired; POST Awbs/WithGetAwb → [{BarCode, ReturnCode}];
 * Awbs/GetByDate (mm-dd-yyyy, paged); AwbDocuments → base64 PDF as a JSON string; AwbTrace/WithRedirect
 * (barCode JSON array); DELETE Awbs?barCode → true/false (false after the first checkpoint);
 * ShippingCalculation. New AWBs carry no events (the contract's "created" has none).
 * UNVERIFIED error texts: 400 bare strings such as the unknown-locality message below.
 */
export interface FakeCargus {
  url: string;
  /** What the adapter takes as baseUrl (`…/api/`, as the real host). */
  apiUrl: string;
  state: FakeCourierState;
  subscriptionKey: string;
  close(): Promise<void>;
}

const mdy = (d: Date) => `${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}-${d.getUTCFullYear()}`;
const fromMdy = (s: string | undefined) => {
  const m = /^(\d{2})-(\d{2})-(\d{4})$/.exec(s ?? '');
  return m ? `${m[3]}-${m[1]}-${m[2]}` : null;
};

export async function startFakeCargus(
  opts: { subscriptionKey?: string; username?: string; password?: string; rejectDuplicateReference?: boolean } = {},
): Promise<FakeCargus> {
  const subscriptionKey = opts.subscriptionKey ?? 'cargus-subscription';
  const username = opts.username ?? 'cargus-user';
  const password = opts.password ?? 'cargus-pass';
  const state = new FakeCourierState();
  const app = new Hono();
  app.use('*', state.middleware((p) => p === '/api/LoginUser'));
  app.use('/api/*', async (c, next) => {
    if (c.req.header('ocp-apim-subscription-key') !== subscriptionKey)
      return c.json({ statusCode: 401, message: 'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.' }, 401);
    await next();
  });
  app.post('/api/LoginUser', async (c) => {
    const b = await c.req.json();
    if (b.UserName !== username || b.Password !== password) return c.json('Invalid username or password', 401);
    return c.json(state.issueToken().token);
  });
  app.use('/api/*', async (c, next) => {
    const token = c.req.header('authorization')?.replace(/^Bearer /, '');
    if (!state.tokenValid(token)) return c.json({ message: 'Authorization has been denied for this request.' }, 401);
    await next();
  });
  // biome-ignore lint/suspicious/noExplicitAny: the fake reads arbitrary client JSON
  const problems = (b: Record<string, any>): string[] => {
    const out: string[] = [];
    const r = b.Recipient ?? {};
    if (!b.Sender?.LocationId) out.push('Sender.LocationId is required');
    if (!r.Name || !r.PhoneNumber) out.push('Recipient name and phone are required');
    if (!isKnownRoLocality(r.CountyName, r.LocalityName)) out.push(`Localitatea '${r.LocalityName}' nu a fost gasita in judetul '${r.CountyName}'`);
    if ((b.Parcels ?? 0) + (b.Envelopes ?? 0) < 1 || !Array.isArray(b.ParcelCodes) || !b.ParcelCodes.length) out.push('At least one parcel or envelope is required');
    return out;
  };
  app.post('/api/Awbs/WithGetAwb', async (c) => {
    const b = await c.req.json();
    const p = problems(b);
    if (p.length) return c.json(p.length === 1 ? p[0] : p, 400);
    const ref = String(b.CustomString ?? '');
    if (opts.rejectDuplicateReference && ref && state.byReference(ref).length) return c.json(`CustomString ${ref} already used on another AWB`, 400);
    const awb = String(1100223000 + state.nextSeq());
    const returnCode = `R${awb}`;
    state.addShipment(awb, ref, b, { returnCode });
    const delay = state.takeCreateDelay();
    if (delay) await state.delay(delay);
    return c.json([{ BarCode: awb, ReturnCode: returnCode, CustomString: ref, ParcelCodes: (b.ParcelCodes as unknown[]).map((_, i) => ({ Code: `${awb}${String(i + 1).padStart(3, '0')}` })) }]);
  });
  // A return pickup (contract §4, the return-AWB pattern): the customer as Sender (named address), our point as Recipient.LocationId.
  app.post('/api/AwbPickup/WithGetAwb', async (c) => {
    const b = await c.req.json();
    const out: string[] = [];
    const snd = b.Sender ?? {};
    if (!b.Recipient?.LocationId) out.push('Recipient.LocationId is required');
    if (!snd.Name || !snd.PhoneNumber) out.push('Sender name and phone are required');
    if (!isKnownRoLocality(snd.CountyName, snd.LocalityName)) out.push(`Localitatea '${snd.LocalityName}' nu a fost gasita in judetul '${snd.CountyName}'`);
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(String(b.PickupStartDate ?? '')) || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(String(b.PickupEndDate ?? ''))) out.push('PickupStartDate and PickupEndDate are required');
    if ((b.Parcels ?? 0) + (b.Envelopes ?? 0) < 1 || !Array.isArray(b.ParcelCodes) || !b.ParcelCodes.length) out.push('At least one parcel or envelope is required');
    if (out.length) return c.json(out.length === 1 ? out[0] : out, 400);
    const ref = String(b.CustomString ?? '');
    const awb = String(1100223000 + state.nextSeq());
    state.addShipment(awb, ref, b, { pickup: 1 });
    return c.json([{ BarCode: awb, CustomString: ref, ParcelCodes: (b.ParcelCodes as unknown[]).map((_, i) => ({ Code: `${awb}${String(i + 1).padStart(3, '0')}` })) }]);
  });
  app.get('/api/Awbs/GetByDate', (c) => {
    const from = fromMdy(c.req.query('FromDate'));
    const to = fromMdy(c.req.query('ToDate'));
    if (!from || !to) return c.json('FromDate and ToDate must be mm-dd-yyyy', 400);
    const page = Number(c.req.query('pageNumber') ?? 1);
    const per = Number(c.req.query('itemsPerPage') ?? 100);
    const all = [...state.shipments.values()].filter((s) => {
      const d = s.createdAt.toISOString().slice(0, 10);
      return d >= from && d <= to;
    });
    return c.json(
      all.slice((page - 1) * per, page * per).map((s) => ({ BarCode: s.awb, CustomString: s.reference, ReturnCode: s.meta.returnCode, Status: s.cancelled ? 'Anulat' : 'Tiparit', CreationDate: mdy(s.createdAt) })),
    );
  });
  app.get('/api/AwbDocuments', async (c) => {
    let codes: string[];
    try {
      codes = JSON.parse(c.req.query('barCodes') ?? '');
    } catch {
      return c.json('barCodes must be a JSON array', 400);
    }
    const s = state.shipments.get(codes[0] ?? '');
    if (!s || c.req.query('type') !== 'PDF') return c.json('AWB not found', 400);
    const pdf = await fakeLabelPdf(s.awb, c.req.query('format') === '0' ? 'A4' : 'A6');
    return c.json(Buffer.from(pdf).toString('base64'));
  });
  app.get('/api/AwbTrace/WithRedirect', (c) => {
    let codes: string[];
    try {
      codes = JSON.parse(c.req.query('barCode') ?? '');
    } catch {
      return c.json('barCode must be a JSON array', 400);
    }
    const out = codes.flatMap((code) => {
      const s = state.shipments.get(code);
      if (!s) return [];
      return [{ Code: s.awb, Event: s.events.map((e) => ({ Date: e.date.slice(0, 19), EventId: Number(e.code), Description: e.description, LocalityName: e.location })) }];
    });
    return c.json(out);
  });
  app.delete('/api/Awbs', (c) => {
    const s = state.shipments.get(c.req.query('barCode') ?? '');
    if (!s) return c.json('AWB not found', 400);
    if (s.events.length) return c.json(false);
    s.cancelled = true;
    return c.json(true);
  });
  app.post('/api/ShippingCalculation', async (c) => {
    const b = await c.req.json();
    if (!isKnownRoLocality(b.ToCountyName, b.ToLocalityName)) return c.json(`Localitatea '${b.ToLocalityName}' nu a fost gasita in judetul '${b.ToCountyName}'`, 400);
    const base = 12 + Number(b.TotalWeight ?? 1);
    return c.json({ BaseCost: base, ExtraKmCost: 0, WeightCost: 0, InsuranceCost: 0, SpecialCost: 0, RepaymentCost: 0, Subtotal: base, Tax: Number((base * 0.19).toFixed(2)), GrandTotal: Number((base * 1.19).toFixed(2)) });
  });
  const server = await serveFake(app);
  return { ...server, apiUrl: `${server.url}/api/`, state, subscriptionKey };
}
