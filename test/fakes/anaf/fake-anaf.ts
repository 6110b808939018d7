import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';

/**
 * A fake ANAF on 127.0.0.1 speaking the documented e-Factura contract (shared/efactura/anaf-api/*.json,
 * limiteApeluriAPI.txt): OAuth2 authorize/token under /anaf-oauth2/v1, and under /prod/FCTEL/rest
 * upload (XML header with ExecutionStatus and index_incarcare, or Errors), stareMesaj (stare ok | nok |
 * in prelucrare | XML cu erori…, limit 100 per message per day), descarcare (ZIP, or JSON eroare,
 * limit 10 per message per day), HTTP 400 JSON when a required parameter is missing.
 */
export interface FakeAnaf {
  url: string;
  oauthBaseUrl: string;
  apiBaseUrl: string;
  calls: Array<{ path: string; query: Record<string, string> }>;
  statusQueries: Map<string, number>;
  downloads: Map<string, number>;
  uploads: Array<{ index: string; standard: string; cif: string; extern: string | null; xml: string }>;
  tokens: { issued: string[]; refreshed: number; codeExchanges: number };
  /** How many status queries answer 'in prelucrare' before the outcome. */
  processingPolls: number;
  close(): Promise<void>;
}

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

export async function startFakeAnaf(opts: { processingPolls?: number } = {}): Promise<FakeAnaf> {
  let nextIndex = 5_001_120_000;
  const messages = new Map<string, { xml: string; outcome: 'ok' | 'nok' | 'xml_errors'; downloadId: string; polls: number; errors: string[] }>();
  const byDownload = new Map<string, string>();
  const codes = new Map<string, string>();
  const refreshTokens = new Set<string>();
  const accessTokens = new Set<string>();
  const state: Omit<FakeAnaf, 'url' | 'oauthBaseUrl' | 'apiBaseUrl' | 'close'> = {
    calls: [],
    statusQueries: new Map(),
    downloads: new Map(),
    uploads: [],
    tokens: { issued: [], refreshed: 0, codeExchanges: 0 },
    processingPolls: opts.processingPolls ?? 1,
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
        const rt = form.get('refresh_token') ?? '';
        if (!refreshTokens.has(rt)) return send(res, 400, 'application/json', JSON.stringify({ error: 'invalid_grant' }));
        refreshTokens.delete(rt); // rotated
        state.tokens.refreshed++;
        return issue(res);
      }
      return send(res, 400, 'application/json', JSON.stringify({ error: 'unsupported_grant_type' }));
    }
    const api = u.pathname.replace(/^\/prod\/FCTEL\/rest/, '');
    if (api === u.pathname) return send(res, 404, 'text/plain', 'not found');
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!accessTokens.has(token)) return send(res, 401, 'application/json', JSON.stringify({ error: 'invalid_token' }));

    if (api === '/upload' && req.method === 'POST') {
      if (!q.standard) return bad(res, 'Parametrul standard este obligatoriu');
      if (!q.cif) return bad(res, 'Parametrul cif este obligatoriu');
      if (!body) return bad(res, 'Trebuie sa aveti atasat in request un fisier de tip xml');
      const refuse = (m: string) => send(res, 200, 'application/xml', `${xmlHead}<header xmlns="${UPLOAD_NS}" dateResponse="202603021140" ExecutionStatus="1"><Errors errorMessage="${esc(m)}"/></header>`);
      if (!['UBL', 'CN', 'CII', 'RASP'].includes(q.standard)) return refuse(`Valorile acceptate pentru parametrul standard sunt UBL, CN, CII sau RASP`);
      if (!/^\d+$/.test(q.cif)) return refuse(`CIF introdus= ${q.cif} nu este un numar`);
      if (q.extern && q.extern !== 'DA') return refuse('Valoarea acceptata pentru parametrul extern este DA');
      if (!body.trimStart().startsWith('<')) return refuse('Fisierul transmis nu este valid. org.xml.sax.SAXParseException; lineNumber: 1; columnNumber: 1; Content is not allowed in prolog.');
      const root = q.standard === 'CN' ? '<CreditNote' : '<Invoice';
      if (!body.includes(root)) return refuse(`Fisierul transmis nu este valid. org.xml.sax.SAXParseException; cvc-elt.1.a: Cannot find the declaration of element.`);
      const index = String(nextIndex++);
      const outcome = body.includes('FAKE-XML-ERRORS') ? 'xml_errors' : body.includes('FAKE-NOK') ? 'nok' : 'ok';
      const downloadId = String(3_000_000 + Number(index.slice(-4)));
      messages.set(index, { xml: body, outcome, downloadId, polls: 0, errors: outcome === 'nok' ? ['E: validari globale SCHEMATRON eroare: [BR-RO-111]-Subdiviziunea tarii cumparatorului trebuie sa fie un cod ISO 3166-2:RO'] : [] });
      byDownload.set(downloadId, index);
      state.uploads.push({ index, standard: q.standard, cif: q.cif, extern: q.extern ?? null, xml: body });
      return send(res, 200, 'application/xml', `${xmlHead}<header xmlns="${UPLOAD_NS}" dateResponse="202603021140" ExecutionStatus="0" index_incarcare="${index}"/>`);
    }
    if (api === '/stareMesaj' && req.method === 'GET') {
      if (!q.id_incarcare) return bad(res, 'Parametrul id_incarcare este obligatoriu');
      const err = (m: string) => send(res, 200, 'application/xml', `${xmlHead}<header xmlns="${STATUS_NS}">\n    <Errors errorMessage="${esc(m)}"/>\n</header>`);
      if (!/^\d+$/.test(q.id_incarcare)) return err(`Id_incarcare introdus= ${q.id_incarcare} nu este un numar intreg`);
      const m = messages.get(q.id_incarcare);
      if (!m) return err(`Nu exista factura cu id_incarcare= ${q.id_incarcare}`);
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
