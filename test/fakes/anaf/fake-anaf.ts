import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';

/**
 * A fake ANAF on 127.0.0.1 speaking the documented e-Factura contract (shared/efactura/anaf-api/*.json,
 * limiteApeluriAPI.txt): OAuth2 authorize/token under /anaf-oauth2/v1 (the refresh token rotates:
 * a spent one answers invalid_grant), and under both /prod/FCTEL/rest and /test/FCTEL/rest (kept
 * apart): upload and uploadb2c (XML header with ExecutionStatus and index_incarcare, or Errors),
 * stareMesaj (stare ok | nok | in prelucrare | XML cu erori…, limit 100 per message per day),
 * descarcare (ZIP, or JSON eroare, limit 10 per message per day), listaMesajeFactura (zile 1..60)
 * and listaMesajePaginatieFactura (startTime/endTime in ms, 500 per page, filtru E|T|P|R), HTTP 400
 * JSON when a required parameter is missing, 1,000 calls a minute (over it: HTTP 429 — our
 * assumption, ANAF does not publish the answer). `failNext` injects the published error answers
 * (technical error, no SPV rights) and transport faults (an answer lost after ANAF registered the
 * file, a connection dropped before, HTTP 500).
 */
export interface FakeAnaf {
  url: string;
  oauthBaseUrl: string;
  apiBaseUrl: string;
  testApiBaseUrl: string;
  calls: Array<{ path: string; query: Record<string, string> }>;
  statusQueries: Map<string, number>;
  downloads: Map<string, number>;
  /** Files ANAF registered (given an index), by endpoint and host. */
  uploads: Array<{ index: string; standard: string; cif: string; extern: string | null; xml: string; endpoint: 'upload' | 'uploadb2c'; env: 'prod' | 'test' }>;
  /** refreshCalls: every refresh_token grant received, answered or refused. */
  tokens: { issued: string[]; refreshed: number; codeExchanges: number; refreshCalls: number };
  /** How many status queries answer 'in prelucrare' before the outcome. */
  processingPolls: number;
  /** The next call to this method (whose query has the `when` parameters) answers with the fault instead (once per entry). */
  failNext(method: FakeAnafMethod, fault: FakeAnafFault, when?: Record<string, string>): void;
  close(): Promise<void>;
}

export type FakeAnafMethod = 'upload' | 'uploadb2c' | 'stareMesaj' | 'descarcare' | 'listaMesajePaginatieFactura' | 'listaMesajeFactura';
/**
 * technical: ExecutionStatus=1 "A aparut o eroare tehnica" (stareMesaj: the same text in Errors);
 * no_rights: "Nu aveti drept in SPV pentru CIF=…"; lost_answer: the file is registered, then the
 * connection is cut before the answer; dropped: cut before anything is registered; http_500.
 */
export type FakeAnafFault = 'technical' | 'no_rights' | 'lost_answer' | 'dropped' | 'http_500';

const UPLOAD_NS = 'mfp:anaf:dgti:spv:respUploadFisier:v1';
const STATUS_NS = 'mfp:anaf:dgti:efactura:stareMesajFactura:v1';
const xmlHead = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function storedZip(files: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.from(content, 'utf8');
    const n = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    // [offset, width in bytes, value] of the PKZIP local file header and central directory entry (stored, no compression).
    const local = zipRecord(30, [[0, 4, 0x04034b50], [4, 2, 20], [14, 4, crc], [18, 4, data.length], [22, 4, data.length], [26, 2, n.length]]);
    const central = zipRecord(46, [[0, 4, 0x02014b50], [4, 2, 20], [6, 2, 20], [16, 4, crc], [20, 4, data.length], [24, 4, data.length], [28, 2, n.length], [42, 4, offset]]);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export async function startFakeAnaf(opts: { processingPolls?: number; now?: () => Date; tokenDelayMs?: number } = {}): Promise<FakeAnaf> {
  let nextIndex = 5_001_120_000;
  const now = opts.now ?? (() => new Date());
  const messages = new Map<string, { xml: string; outcome: 'ok' | 'nok' | 'xml_errors'; downloadId: string; polls: number; errors: string[]; cif: string; env: string; createdAt: Date }>();
  const faults: Array<{ method: FakeAnafMethod; fault: FakeAnafFault; when: Record<string, string> }> = [];
  const perMinute = new Map<string, number>();
  const byDownload = new Map<string, string>();
  const codes = new Map<string, string>();
  const refreshTokens = new Set<string>();
  const accessTokens = new Set<string>();
  const state: Omit<FakeAnaf, 'url' | 'oauthBaseUrl' | 'apiBaseUrl' | 'testApiBaseUrl' | 'close'> = {
    calls: [],
    statusQueries: new Map(),
    downloads: new Map(),
    uploads: [],
    tokens: { issued: [], refreshed: 0, codeExchanges: 0, refreshCalls: 0 },
    processingPolls: opts.processingPolls ?? 1,
    failNext: (method, fault, when = {}) => {
      faults.push({ method, fault, when });
    },
  };
  const takeFault = (method: string, q: Record<string, string>): FakeAnafFault | null => {
    const i = faults.findIndex((f) => f.method === method && Object.entries(f.when).every(([k, v]) => q[k] === v));
    return i < 0 ? null : faults.splice(i, 1)[0]!.fault;
  };
  const issue = (res: ServerResponse) => {
    const access = `at-${randomBytes(8).toString('hex')}`;
    const refresh = `rt-${randomBytes(8).toString('hex')}`;
    accessTokens.add(access);
    refreshTokens.add(refresh);
    state.tokens.issued.push(access);
    send(res, 200, 'application/json', JSON.stringify({ access_token: access, refresh_token: refresh, token_type: 'Bearer', expires_in: 7_776_000 }));
  };
  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': type, ...headers });
    res.end(body);
  };
  const bad = (res: ServerResponse, message: string) =>
    send(res, 400, 'application/json', JSON.stringify({ timestamp: '05-08-2021 12:04:01', status: 400, error: 'Bad Request', message }));

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const q = Object.fromEntries(u.searchParams);
    state.calls.push({ path: u.pathname, query: q });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');

    if (u.pathname === '/anaf-oauth2/v1/authorize') {
      const code = `code-${randomBytes(6).toString('hex')}`;
      codes.set(code, q.redirect_uri ?? '');
      return send(res, 302, 'text/plain', '', { location: `${q.redirect_uri}?code=${code}&state=${encodeURIComponent(q.state ?? '')}` });
    }
    if (u.pathname === '/anaf-oauth2/v1/token') {
      const form = new URLSearchParams(body);
      if (!/^Basic /.test(req.headers.authorization ?? '')) return send(res, 401, 'application/json', JSON.stringify({ error: 'invalid_client' }));
      if (form.get('grant_type') === 'authorization_code') {
        const code = form.get('code') ?? '';
        if (!codes.has(code) || codes.get(code) !== form.get('redirect_uri')) return send(res, 400, 'application/json', JSON.stringify({ error: 'invalid_grant' }));
        codes.delete(code);
        state.tokens.codeExchanges++;
        return issue(res);
      }
      if (form.get('grant_type') === 'refresh_token') {
        state.tokens.refreshCalls++;
        if (opts.tokenDelayMs) await new Promise((r) => setTimeout(r, opts.tokenDelayMs));
        const rt = form.get('refresh_token') ?? '';
        if (!refreshTokens.has(rt)) return send(res, 400, 'application/json', JSON.stringify({ error: 'invalid_grant' }));
        refreshTokens.delete(rt); // rotated
        state.tokens.refreshed++;
        return issue(res);
      }
      return send(res, 400, 'application/json', JSON.stringify({ error: 'unsupported_grant_type' }));
    }
    const host = /^\/(prod|test)\/FCTEL\/rest(\/.*)$/.exec(u.pathname);
    if (!host) return send(res, 404, 'text/plain', 'not found');
    const env = host[1] as 'prod' | 'test';
    const api = host[2]!;
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!accessTokens.has(token)) return send(res, 401, 'application/json', JSON.stringify({ error: 'invalid_token' }));
    const minute = `${token}:${Math.floor(now().getTime() / 60_000)}`;
    perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
    if (perMinute.get(minute)! > 1000) return send(res, 429, 'application/json', JSON.stringify({ eroare: 'Limita de 1000 apeluri pe minut a fost depasita', titlu: 'Limita' }));
    const fault = takeFault(api.slice(1), q);
    if (fault === 'dropped') return req.socket.destroy();
    if (fault === 'http_500') return send(res, 500, 'application/json', JSON.stringify({ timestamp: '05-08-2021 12:04:01', status: 500, error: 'Internal Server Error' }));

    if ((api === '/upload' || api === '/uploadb2c') && req.method === 'POST') {
      if (!q.standard) return bad(res, 'Parametrul standard este obligatoriu');
      if (!q.cif) return bad(res, 'Parametrul cif este obligatoriu');
      if (!body) return bad(res, 'Trebuie sa aveti atasat in request un fisier de tip xml');
      const refuse = (m: string) => send(res, 200, 'application/xml', `${xmlHead}<header xmlns="${UPLOAD_NS}" dateResponse="202603021140" ExecutionStatus="1"><Errors errorMessage="${esc(m)}"/></header>`);
      if (fault === 'technical') return refuse('A aparut o eroare tehnica. Cod: XXX');
      if (fault === 'no_rights') return refuse(`Nu aveti drept in SPV pentru CIF=${q.cif}`);
      if (!['UBL', 'CN', 'CII', 'RASP'].includes(q.standard)) return refuse(`Valorile acceptate pentru parametrul standard sunt UBL, CN, CII sau RASP`);
      if (!/^\d+$/.test(q.cif)) return refuse(`CIF introdus= ${q.cif} nu este un numar`);
      if (q.extern && q.extern !== 'DA') return refuse('Valoarea acceptata pentru parametrul extern este DA');
      if (!body.trimStart().startsWith('<')) return refuse('Fisierul transmis nu este valid. org.xml.sax.SAXParseException; lineNumber: 1; columnNumber: 1; Content is not allowed in prolog.');
      const root = q.standard === 'CN' ? '<CreditNote' : '<Invoice';
      if (!body.includes(root)) return refuse(`Fisierul transmis nu este valid. org.xml.sax.SAXParseException; cvc-elt.1.a: Cannot find the declaration of element.`);
      const index = String(nextIndex++);
      const outcome = body.includes('FAKE-XML-ERRORS') ? 'xml_errors' : body.includes('FAKE-NOK') ? 'nok' : 'ok';
      const downloadId = String(3_000_000 + Number(index.slice(-4)));
      messages.set(index, { xml: body, outcome, downloadId, polls: 0, errors: outcome === 'nok' ? ['E: validari globale SCHEMATRON eroare: [BR-RO-111]-Subdiviziunea tarii cumparatorului trebuie sa fie un cod ISO 3166-2:RO'] : [], cif: q.cif, env, createdAt: now() });
      byDownload.set(downloadId, index);
      state.uploads.push({ index, standard: q.standard, cif: q.cif, extern: q.extern ?? null, xml: body, endpoint: api === '/uploadb2c' ? 'uploadb2c' : 'upload', env });
      if (fault === 'lost_answer') return req.socket.destroy();
      return send(res, 200, 'application/xml', `${xmlHead}<header xmlns="${UPLOAD_NS}" dateResponse="202603021140" ExecutionStatus="0" index_incarcare="${index}"/>`);
    }
    if (api === '/stareMesaj' && req.method === 'GET') {
      if (!q.id_incarcare) return bad(res, 'Parametrul id_incarcare este obligatoriu');
      const err = (m: string) => send(res, 200, 'application/xml', `${xmlHead}<header xmlns="${STATUS_NS}">\n    <Errors errorMessage="${esc(m)}"/>\n</header>`);
      if (!/^\d+$/.test(q.id_incarcare)) return err(`Id_incarcare introdus= ${q.id_incarcare} nu este un numar intreg`);
      if (fault === 'technical') return err('A aparut o eroare tehnica. Cod: XXX');
      if (fault === 'no_rights') return err(`Nu aveti dreptul de inteorgare pentru id_incarcare= ${q.id_incarcare}`);
      const m = messages.get(q.id_incarcare);
      if (!m || m.env !== env) return err(`Nu exista factura cu id_incarcare= ${q.id_incarcare}`);
      const n = (state.statusQueries.get(q.id_incarcare) ?? 0) + 1;
      state.statusQueries.set(q.id_incarcare, n);
      if (n > 100) return err('S-au facut deja 100 de interogari de stare pentru acest mesaj in cursul zilei');
      m.polls++;
      if (m.polls <= state.processingPolls) return send(res, 200, 'application/xml', `${xmlHead}<header xmlns="${STATUS_NS}" stare="in prelucrare"/>`);
      if (m.outcome === 'xml_errors') return send(res, 200, 'application/xml', `${xmlHead}<header xmlns="${STATUS_NS}" stare="XML cu erori nepreluat de sistem"/>`);
      return send(res, 200, 'application/xml', `${xmlHead}<header xmlns="${STATUS_NS}" stare="${m.outcome}" id_descarcare="${m.downloadId}"/>`);
    }
    if (api === '/descarcare' && req.method === 'GET') {
      if (!q.id) return bad(res, 'Parametrul id este obligatoriu');
      const err = (m: string) => send(res, 200, 'application/json', JSON.stringify({ eroare: m, titlu: 'Descarcare mesaj' }));
      if (!/^\d+$/.test(q.id)) return err(`Id descarcare introdus= ${q.id} nu este un numar intreg`);
      const index = byDownload.get(q.id);
      if (!index) return err(`Pentru id=${q.id} nu exista inregistrata nici o factura`);
      const n = (state.downloads.get(q.id) ?? 0) + 1;
      state.downloads.set(q.id, n);
      if (n > 10) return err('S-au facut deja 10 descarcari de mesaj in cursul zilei');
      const m = messages.get(index)!;
      const files: Record<string, string> =
        m.outcome === 'ok'
          ? { [`${index}.xml`]: m.xml, [`semnatura_${index}.xml`]: '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignatureValue>ZmFrZQ==</SignatureValue></Signature>' }
          : {
              [`${index}.xml`]: `<?xml version="1.0" encoding="UTF-8"?><header xmlns="mfp:anaf:dgti:efactura:raspunsValidareFacturi:v1" dateResponse="202603021200" Index_incarcare="${index}" Cui_emitent="13548146">${m.errors.map((e) => `<Error errorMessage="${esc(e)}"/>`).join('')}</header>`,
              [`semnatura_${index}.xml`]: '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"/>',
            };
      return send(res, 200, 'application/zip', storedZip(files), { 'content-disposition': `attachment; filename=${q.id}.zip` });
    }
    if ((api === '/listaMesajePaginatieFactura' || api === '/listaMesajeFactura') && req.method === 'GET') {
      const paged = api === '/listaMesajePaginatieFactura';
      const err = (m: string) => send(res, 200, 'application/json', JSON.stringify({ eroare: m, titlu: 'Lista Mesaje' }));
      let from: number;
      let to: number;
      if (paged) {
        if (!q.startTime || !q.endTime || !q.cif || !q.pagina) return bad(res, 'Parametrii startTime, endTime, cif si pagina sunt obligatorii');
        for (const k of ['startTime', 'endTime', 'pagina'] as const) if (!/^\d+$/.test(q[k]!)) return err(`${k} = ${q[k]} nu este un numar sau nu are o valoare acceptata de sistem`);
        from = Number(q.startTime);
        to = Number(q.endTime);
        if (now().getTime() - from > 60 * 86_400_000) return err(`startTime = ${q.startTime} nu poate fi mai vechi de 60 de zile fata de momentul requestului`);
        if (to <= from) return err(`endTime = ${q.endTime} nu poate fi <= startTime = ${q.startTime}`);
        if (to > now().getTime() + 1000) return err(`endTime = ${q.endTime} nu poate in viitor fata de momentul requestului`);
      } else {
        if (!q.zile || !q.cif) return bad(res, 'Parametrii zile si cif sunt obligatorii');
        const zile = Number(q.zile);
        if (!/^\d+$/.test(q.zile) || zile < 1 || zile > 60) return err(`Numarul de zile trebuie sa fie intre 1 si 60`);
        to = now().getTime();
        from = to - zile * 86_400_000;
      }
      if (!/^\d+$/.test(q.cif)) return err(`CIF introdus= ${q.cif} nu este un numar sau nu are o valoare acceptata de sistem`);
      if (q.filtru && !['E', 'T', 'P', 'R'].includes(q.filtru)) return err('Valorile acceptate pentru parametrul filtru sunt E, T, P sau R');
      if (fault === 'no_rights') return err(`Nu aveti drept in SPV pentru CIF=${q.cif}`);
      // Only processed messages are listed: 'T' sent invoices registered, 'E' error reports.
      const all = [...messages.entries()]
        .filter(([, m]) => m.cif === q.cif && m.env === env && m.outcome !== 'xml_errors' && m.createdAt.getTime() >= from && m.createdAt.getTime() <= to)
        .map(([index, m]) => ({
          data_creare: m.createdAt.toISOString().replace(/\D/g, '').slice(0, 12),
          cif: m.cif,
          id_solicitare: index,
          detalii: m.outcome === 'ok' ? `Factura cu id_incarcare=${index} emisa de cif_emitent=${m.cif}` : `Erori de validare identificate la factura primita cu id_incarcare=${index}`,
          tip: m.outcome === 'ok' ? 'FACTURA TRIMISA' : 'ERORI FACTURA',
          id: m.downloadId,
        }))
        .filter((m) => !q.filtru || (q.filtru === 'T' ? m.tip === 'FACTURA TRIMISA' : q.filtru === 'E' ? m.tip === 'ERORI FACTURA' : false));
      if (!all.length) return err('Nu exista mesaje in intervalul selectat');
      const fmt = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
      const titlu = `Lista Mesaje disponibile din intervalul ${fmt(from)} - ${fmt(to)}`;
      if (!paged) return send(res, 200, 'application/json', JSON.stringify({ mesaje: all, serial: '1234AA456', cui: q.cif, titlu }));
      const pages = Math.ceil(all.length / 500);
      const page = Number(q.pagina);
      if (page > pages) return err(`Pagina solicitata ${page} este mai mare decat numarul toatal de pagini ${pages}`);
      const mesaje = all.slice((page - 1) * 500, page * 500);
      return send(res, 200, 'application/json', JSON.stringify({
        mesaje, numar_inregistrari_in_pagina: mesaje.length, numar_total_inregistrari_per_pagina: 500, numar_total_inregistrari: all.length,
        numar_total_pagini: pages, index_pagina_curenta: page, serial: '1234AA456', cui: q.cif, titlu,
      }));
    }
    return send(res, 404, 'text/plain', 'not found');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => send(res, 500, 'text/plain', String(e)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    ...state,
    get processingPolls() {
      return state.processingPolls;
    },
    set processingPolls(n: number) {
      state.processingPolls = n;
    },
    url,
    oauthBaseUrl: `${url}/anaf-oauth2/v1`,
    apiBaseUrl: `${url}/prod/FCTEL/rest`,
    testApiBaseUrl: `${url}/test/FCTEL/rest`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function zipRecord(size: number, fields: Array<[offset: number, width: 2 | 4, value: number]>): Buffer {
  const b = Buffer.alloc(size);
  for (const [at, width, value] of fields) {
    if (width === 2) b.writeUInt16LE(value, at);
    else b.writeUInt32LE(value, at);
  }
  return b;
}
