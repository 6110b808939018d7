import { xml2js } from 'xml-js';
import { DomainError } from '../shared/domain-error.ts';
import { done, retry, retrying } from '../shared/http-retry.ts';

/**
 * BNR's reference rates (Banca Națională a României): the daily file `/nbrfxrates.xml` and the
 * yearly archive `/files/xml/years/nbrfxrates{YYYY}.xml`, both
 * `<DataSet><Body><Cube date="YYYY-MM-DD"><Rate currency="USD">4.6123</Rate>
 * <Rate currency="HUF" multiplier="100">1.4430</Rate>…` — RON for `multiplier` units of the currency.
 */

export interface BnrDay {
  date: string;
  /** RON for one unit, a decimal string of at most 6 decimals (the column's scale). */
  rates: Array<{ currency: string; ronPerUnit: string }>;
}

export const DEFAULT_BNR_BASE_URL = 'https://www.bnr.ro';

/** BNR_BASE_URL points the adapter elsewhere (the fake in tests; curs.bnr.ro, where BNR has been moving its files). */
export const bnrBaseUrl = (env: NodeJS.ProcessEnv = process.env) => (env.BNR_BASE_URL || DEFAULT_BNR_BASE_URL).replace(/\/$/, '');

const SCALE = 6;

/**
 * `value` RON for `multiplier` units → RON for one unit, exactly in decimal (money is never a
 * float): a power-of-ten multiplier moves the decimal point; beyond 6 decimals it is rounded half
 * up, as the numeric(12,6) column would.
 */
export function ronPerUnit(value: string, multiplier = '1'): string {
  const v = value.trim();
  if (!/^\d+(\.\d+)?$/.test(v)) throw new Error(`not a rate: ${JSON.stringify(value)}`);
  if (!/^10*$/.test(multiplier.trim())) throw new Error(`not a power-of-ten multiplier: ${JSON.stringify(multiplier)}`);
  const [int, frac = ''] = v.split('.');
  let n = BigInt(`${int}${frac}`);
  const scale = frac.length + multiplier.trim().length - 1;
  if (scale > SCALE) {
    const d = 10n ** BigInt(scale - SCALE);
    n = (n + d / 2n) / d;
  } else n *= 10n ** BigInt(SCALE - scale);
  const s = n.toString().padStart(SCALE + 1, '0');
  return `${s.slice(0, -SCALE)}.${s.slice(-SCALE)}`.replace(/\.?0+$/, '');
}

type El = { _attributes?: Record<string, string>; _text?: string; [k: string]: unknown };
const many = (x: unknown): El[] => (Array.isArray(x) ? x : x ? [x] : []) as El[];

/** The pure mapper: every `<Cube>` of a BNR document, oldest first. Refuses a document that is not BNR's. */
export function parseBnrXml(xml: string): BnrDay[] {
  let doc: Record<string, El>;
  try {
    doc = xml2js(xml, { compact: true }) as Record<string, El>;
  } catch (e) {
    throw new Error(`BNR answered something that is not XML: ${(e as Error).message}`);
  }
  // The default namespace changed (http → https) in 2026; xml-js keeps local names, so neither is assumed.
  const body = doc.DataSet?.Body as El | undefined;
  if (!body) throw new Error(`BNR answered XML without DataSet/Body: ${xml.slice(0, 120)}`);
  const days: BnrDay[] = [];
  for (const cube of many(body.Cube)) {
    const date = cube._attributes?.date ?? '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`BNR cube without a date: ${JSON.stringify(cube._attributes ?? {})}`);
    const rates = many(cube.Rate).map((r) => {
      const currency = r._attributes?.currency ?? '';
      if (!/^[A-Z]{3}$/.test(currency)) throw new Error(`BNR rate without a currency on ${date}`);
      return { currency, ronPerUnit: ronPerUnit(String(r._text ?? ''), r._attributes?.multiplier ?? '1') };
    });
    days.push({ date, rates });
  }
  if (days.length === 0) throw new Error('BNR answered a document with no rates');
  return days.sort((a, b) => a.date.localeCompare(b.date));
}

export interface BnrFetchOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Per attempt; BNR's file is small, a slow answer is an outage. Default 15 s. */
  timeoutMs?: number;
  maxAttempts?: number;
}

/**
 * The days BNR publishes: `date` omitted → the daily file (the latest day); a date → that year's
 * archive. Any failure (unreachable, 5xx, timeout, not BNR's XML) is UPSTREAM, after a retry.
 */
export async function fetchBnrDays(date: string | null, o: BnrFetchOptions = {}): Promise<BnrDay[]> {
  const base = (o.baseUrl ?? bnrBaseUrl()).replace(/\/$/, '');
  const url = date ? `${base}/files/xml/years/nbrfxrates${date.slice(0, 4)}.xml` : `${base}/nbrfxrates.xml`;
  const f = o.fetch ?? fetch;
  const upstream = (why: string) => new DomainError('UPSTREAM', `BNR's exchange rates could not be read from ${url}: ${why}. Nothing was imported; try again later or record the rate by hand.`, [{ path: 'bnr', reason: why }]);
  const xml = await retrying<string>(
    async () => {
      let res: Response;
      try {
        res = await f(url, { headers: { accept: 'application/xml' }, signal: AbortSignal.timeout(o.timeoutMs ?? 15_000) });
      } catch (e) {
        const why = (e as Error).name === 'TimeoutError' ? 'no answer in time' : `not reachable (${(e as Error).message})`;
        return retry(() => upstream(why));
      }
      if (res.status >= 500 || res.status === 429) return retry(() => upstream(`HTTP ${res.status}`));
      if (!res.ok) throw upstream(`HTTP ${res.status}`);
      try {
        return done(await res.text());
      } catch (e) {
        return retry(() => upstream(`the answer broke off (${(e as Error).message})`));
      }
    },
    { maxAttempts: o.maxAttempts ?? 2, backoff: () => 300 },
  );
  try {
    return parseBnrXml(xml);
  } catch (e) {
    throw upstream((e as Error).message);
  }
}
