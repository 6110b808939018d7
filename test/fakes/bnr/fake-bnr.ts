import { readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';

/**
 * A fake BNR on 127.0.0.1 serving reference rates as BNR does (test/fixtures/bnr/, shape in its
 * README.source.txt): `/nbrfxrates.xml` (the latest day) and `/files/xml/years/nbrfxrates{YYYY}.xml`
 * (every banking day of a year so far). `mode` switches it to a 5xx answer or to one that never comes.
 */
export interface FakeBnr {
  url: string;
  mode: 'ok' | 'error' | 'timeout';
  /** Days it publishes, RON per `multiplier` units as BNR writes them. */
  days: Map<string, Array<{ currency: string; value: string; multiplier?: number }>>;
  requests: string[];
  close(): Promise<void>;
}

export const bnrFixture = (name: string) => readFileSync(new URL(`../../fixtures/bnr/${name}`, import.meta.url), 'utf8');

/** A BNR document of the given days, in the 2026 shape (https namespace, one line). */
export function bnrDocument(days: FakeBnr['days'], publishingDate: string): string {
  const cubes = [...days.keys()]
    .sort()
    .map((d) => `<Cube date="${d}">${days.get(d)!.map((r) => `<Rate currency="${r.currency}"${r.multiplier ? ` multiplier="${r.multiplier}"` : ''}>${r.value}</Rate>`).join('')}</Cube>`)
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?>\n<DataSet xmlns="https://www.bnr.ro/xsd" xmlns:xsi="https://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="https://curs.bnr.ro/xsd/nbrfxrates.xsd"><Header><Publisher>National Bank of Romania</Publisher><PublishingDate>${publishingDate}</PublishingDate><MessageType>DR</MessageType></Header><Body><Subject>Reference rates</Subject><OrigCurrency>RON</OrigCurrency>${cubes}</Body></DataSet>`;
}

export async function startFakeBnr(): Promise<FakeBnr> {
  const hanging = new Set<ServerResponse>();
  const state = { mode: 'ok' as FakeBnr['mode'], days: new Map() as FakeBnr['days'], requests: [] as string[] };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    state.requests.push(path);
    if (state.mode === 'timeout') {
      hanging.add(res);
      return;
    }
    if (state.mode === 'error') {
      res.writeHead(503, { 'content-type': 'text/html' }).end('<html><body>Service Unavailable</body></html>');
      return;
    }
    const sorted = [...state.days.keys()].sort();
    let days: FakeBnr['days'] | null = null;
    const year = /^\/files\/xml\/years\/nbrfxrates(\d{4})\.xml$/.exec(path)?.[1];
    if (path === '/nbrfxrates.xml' && sorted.length > 0) days = new Map([[sorted.at(-1)!, state.days.get(sorted.at(-1)!)!]]);
    else if (year) days = new Map(sorted.filter((d) => d.startsWith(year)).map((d) => [d, state.days.get(d)!]));
    if (!days || days.size === 0) {
      // BNR answers a missing file with its HTML 404 page.
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>Not found</body></html>');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(bnrDocument(days, [...days.keys()].at(-1)!));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  }) as FakeBnr;
}
