import { randomBytes } from 'node:crypto';
import { xml2js } from 'xml-js';
import type { Db, Sql } from '../db/connect.ts';
import { DomainError, isDomainError } from '../shared/domain-error.ts';
import { assertPublicUrl } from '../shared/public-host.ts';
import type { SecretBox } from '../shared/secret-box.ts';

/** What the e-invoice worker needs from ANAF's e-Factura API (fake in tests, api.anaf.ro in production). */
export interface EInvoiceClient {
  /** `b2c`: the buyer is a natural person, the file goes to /uploadb2c (mandatory since 2025-01-01). */
  upload(xml: string, o: { standard: 'UBL' | 'CN'; cif: string; extern: boolean; b2c: boolean }): Promise<UploadAnswer>;
  status(uploadIndex: string): Promise<StatusAnswer>;
  download(downloadId: string): Promise<DownloadAnswer>;
  /** One page of the paginated message list (listaMesajePaginatieFactura) for the CIF in [from, to]. */
  listMessages(o: { cif: string; from: Date; to: Date; page: number; filter?: 'T' | 'E' | 'P' | 'R' }): Promise<ListAnswer>;
}

/**
 * What an ANAF error answer means for the document. refused: final (the file or a parameter is
 * wrong); temporary: a technical error at ANAF, try again later; access: the token or the SPV
 * rights for the CIF are missing (reconnect); limit: a daily limit is used up (next Romanian day).
 */
export type AnafErrorKind = 'refused' | 'temporary' | 'access' | 'limit';

export type UploadAnswer = { accepted: true; uploadIndex: string } | { accepted: false; kind: AnafErrorKind; errors: string[] };
export type StatusAnswer =
  | { kind: 'state'; state: 'ok' | 'nok'; downloadId: string }
  | { kind: 'state'; state: 'in_processing' }
  | { kind: 'state'; state: 'xml_errors' }
  | { kind: 'error'; message: string; errorKind: AnafErrorKind };
export type DownloadAnswer = { kind: 'zip'; zip: Uint8Array } | { kind: 'error'; message: string; errorKind: AnafErrorKind };
export interface ListedMessage {
  /** The download id of the message. */
  id: string;
  /** id_solicitare: the upload index the message is about. */
  uploadIndex: string;
  /** "FACTURA TRIMISA", "ERORI FACTURA", "FACTURA PRIMITA", … */
  type: string;
  createdAt: string;
}
export type ListAnswer = { kind: 'page'; messages: ListedMessage[]; pages: number } | { kind: 'error'; message: string; errorKind: AnafErrorKind };

/** Transport or server failure: the call may be repeated later (not an answer about the invoice). It may have reached ANAF. */
export class AnafUnavailable extends Error {}
/** The call was not made (our shared per-minute count is full) or ANAF refused it unread (HTTP 429): it never reached ANAF's processing. */
export class AnafNotSent extends AnafUnavailable {}

// ANAF's error texts (the Errors element of the XML answers, `eroare` of the JSON ones) are the
// only way to tell the kinds apart; matched loosely because they differ between methods and
// carry typos ("petru", "inteorgare"). Anything unknown is final: a retry would repeat it.
export function classifyAnafError(message: string): AnafErrorKind {
  if (/s-au facut deja|s-au incarcat deja|limita/i.test(message)) return 'limit';
  if (/nu aveti drept|niciun cif p\w*ru care sa aveti drept/i.test(message)) return 'access';
  if (/eroare tehnica|tehnic[aă]|incercati mai tarziu|indisponibil/i.test(message)) return 'temporary';
  return 'refused';
}

type XmlEl = { _attributes?: Record<string, string>; [k: string]: unknown };
function header(xml: string): { attrs: Record<string, string>; errors: string[] } {
  let doc: Record<string, XmlEl>;
  try {
    doc = xml2js(xml, { compact: true }) as Record<string, XmlEl>;
  } catch {
    throw new AnafUnavailable(`unexpected ANAF answer: ${xml.slice(0, 200)}`);
  }
  const h = doc.header ?? (Object.entries(doc).find(([k]) => k.endsWith('header'))?.[1] as XmlEl | undefined);
  if (!h) throw new AnafUnavailable(`unexpected ANAF answer: ${xml.slice(0, 200)}`);
  const raw = h.Errors as XmlEl | XmlEl[] | undefined;
  const errors = (Array.isArray(raw) ? raw : raw ? [raw] : []).map((e) => e._attributes?.errorMessage ?? 'error');
  return { attrs: h._attributes ?? {}, errors };
}

export interface AnafClientOptions {
  baseUrl: string;
  accessToken: () => Promise<string>;
  fetch?: typeof fetch;
  /** Called before every request (counts it against the limits shared by all workers); throws AnafNotSent to hold it back. */
  beforeCall?: (path: string) => Promise<void>;
  /** Called after every answered request (clears a reconnect mark). */
  afterAnswer?: () => Promise<void>;
  timeoutMs?: number;
}

export function createAnafClient(o: AnafClientOptions): EInvoiceClient {
  const f = o.fetch ?? fetch;
  const call = async (path: string, init: RequestInit = {}) => {
    const token = await o.accessToken();
    await o.beforeCall?.(path);
    let res: Response;
    try {
      res = await f(`${o.baseUrl.replace(/\/$/, '')}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(o.timeoutMs ?? 60_000) });
    } catch (e) {
      throw new AnafUnavailable(`ANAF not reachable: ${(e as Error).message}`);
    }
    if (res.status === 429) throw new AnafNotSent('ANAF rate limit (HTTP 429)');
    if (res.status === 401 || res.status === 403) throw new DomainError('NEEDS_RECONNECT', `ANAF refused the access token (HTTP ${res.status}); reconnect the ANAF account.`, [{ path: 'anaf', reason: 'token refused' }]);
    if (res.status >= 500) throw new AnafUnavailable(`ANAF answered HTTP ${res.status}`);
    await o.afterAnswer?.();
    return res;
  };
  const jsonError = (text: string): string => {
    try {
      const j = JSON.parse(text) as { eroare?: string; message?: string };
      return j.eroare ?? j.message ?? text;
    } catch {
      return text;
    }
  };
  return {
    async upload(xml, u) {
      const q = new URLSearchParams({ standard: u.standard, cif: u.cif });
      if (u.extern) q.set('extern', 'DA');
      const res = await call(`/${u.b2c ? 'uploadb2c' : 'upload'}?${q}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: xml });
      const text = await res.text();
      if (res.status === 400) return { accepted: false, kind: 'refused', errors: [jsonError(text)] };
      const h = header(text);
      if (h.attrs.ExecutionStatus === '0' && h.attrs.index_incarcare) return { accepted: true, uploadIndex: h.attrs.index_incarcare };
      const errors = h.errors.length ? h.errors : [text];
      // The worst kind wins: a technical error next to a refusal is still a refusal.
      const kinds = errors.map(classifyAnafError);
      const kind = (['refused', 'access', 'limit', 'temporary'] as const).find((k) => kinds.includes(k)) ?? 'refused';
      return { accepted: false, kind, errors };
    },
    async status(uploadIndex) {
      const res = await call(`/stareMesaj?${new URLSearchParams({ id_incarcare: uploadIndex })}`);
      const text = await res.text();
      if (res.status === 400) return { kind: 'error', message: jsonError(text), errorKind: 'refused' };
      const h = header(text);
      if (h.errors.length) {
        const message = h.errors.join('; ');
        return { kind: 'error', message, errorKind: classifyAnafError(message) };
      }
      const stare = h.attrs.stare;
      if ((stare === 'ok' || stare === 'nok') && h.attrs.id_descarcare) return { kind: 'state', state: stare, downloadId: h.attrs.id_descarcare };
      if (stare === 'in prelucrare') return { kind: 'state', state: 'in_processing' };
      if (stare === 'XML cu erori nepreluat de sistem') return { kind: 'state', state: 'xml_errors' };
      throw new AnafUnavailable(`unknown stare "${stare}"`);
    },
    async download(downloadId) {
      const res = await call(`/descarcare?${new URLSearchParams({ id: downloadId })}`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      // A ZIP starts with PK\3\4; errors come as JSON {eroare, titlu}.
      if (bytes[0] === 0x50 && bytes[1] === 0x4b) return { kind: 'zip', zip: bytes };
      const message = jsonError(new TextDecoder().decode(bytes));
      return { kind: 'error', message, errorKind: classifyAnafError(message) };
    },
    async listMessages(l) {
      const q = new URLSearchParams({ startTime: String(l.from.getTime()), endTime: String(l.to.getTime()), cif: l.cif, pagina: String(l.page) });
      if (l.filter) q.set('filtru', l.filter);
      const res = await call(`/listaMesajePaginatieFactura?${q}`);
      const text = await res.text();
      let body: { mesaje?: Array<Record<string, string>>; numar_total_pagini?: number; eroare?: string; message?: string };
      try {
        body = JSON.parse(text);
      } catch {
        throw new AnafUnavailable(`unexpected ANAF answer: ${text.slice(0, 200)}`);
      }
      if (body.mesaje) {
        const messages = body.mesaje.map((m) => ({ id: String(m.id), uploadIndex: String(m.id_solicitare), type: String(m.tip), createdAt: String(m.data_creare) }));
        return { kind: 'page', messages, pages: Number(body.numar_total_pagini ?? 1) };
      }
      const message = body.eroare ?? body.message ?? text;
      // An empty interval is an answer, not an error.
      if (/nu exista mesaje/i.test(message)) return { kind: 'page', messages: [], pages: 0 };
      return { kind: 'error', message, errorKind: res.status === 400 ? 'refused' : classifyAnafError(message) };
    },
  };
}

// ---- OAuth2 (authorization code) with tokens sealed at rest ----

export interface AnafConnection {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  oauthBaseUrl: string;
  /** The production API (…/prod/FCTEL/rest). */
  apiBaseUrl: string;
  /** ANAF's test API (…/test/FCTEL/rest): same application and token, nothing it gets is legally sent. */
  testApiBaseUrl?: string;
  environment?: AnafEnvironment;
}

export type AnafEnvironment = 'test' | 'prod';
export const ANAF_TEST_API = 'https://api.anaf.ro/test/FCTEL/rest';

const ANAF_HOSTS = new Set(['logincert.anaf.ro', 'api.anaf.ro']);
const hostOf = (url: string): string => {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' ? u.hostname : '';
  } catch {
    return '';
  }
};

export async function saveAnafConnection(db: Db, box: SecretBox, tenantId: string, c: AnafConnection): Promise<void> {
  const testApi = c.testApiBaseUrl ?? ANAF_TEST_API;
  const env = c.environment ?? 'prod';
  // Our servers call these with the tenant's tokens: public hosts only (resolved here, so call with
  // the pool). ANAF's own hosts are ours to trust, not the tenant's choice.
  for (const [field, url] of [['oauthBaseUrl', c.oauthBaseUrl], ['apiBaseUrl', c.apiBaseUrl], ['testApiBaseUrl', testApi]] as const) {
    if (!ANAF_HOSTS.has(hostOf(url))) await assertPublicUrl(url, field);
  }
  await db`
    insert into anaf_connections (tenant_id, client_id, client_secret_enc, redirect_uri, oauth_base_url, api_base_url, test_api_base_url, environment)
    values (${tenantId}, ${c.clientId}, ${box.seal(c.clientSecret)}, ${c.redirectUri}, ${c.oauthBaseUrl}, ${c.apiBaseUrl}, ${testApi}, ${env})
    on conflict (tenant_id) do update set client_id = excluded.client_id, client_secret_enc = excluded.client_secret_enc,
      redirect_uri = excluded.redirect_uri, oauth_base_url = excluded.oauth_base_url, api_base_url = excluded.api_base_url,
      test_api_base_url = excluded.test_api_base_url, environment = excluded.environment, updated_at = now()`;
}

/** Switches the tenant between ANAF's test host and production (the application and token stay). */
export async function setAnafEnvironment(db: Db, tenantId: string, environment: AnafEnvironment): Promise<void> {
  const r = await db`update anaf_connections set environment = ${environment}, updated_at = now() where tenant_id = ${tenantId} returning 1`;
  if (!r.length) throw new DomainError('NOT_FOUND', `Tenant ${tenantId} has no ANAF application configured.`, [{ path: 'anaf', reason: 'not configured' }]);
}

/** ANAF refused the token or the SPV rights: the e-invoices wait and a stall asks to reconnect. */
export async function noteAnafReconnect(db: Db, tenantId: string, reason: string): Promise<void> {
  await db`update anaf_connections set reconnect_reason = ${reason.slice(0, 500)}, reconnect_since = coalesce(reconnect_since, now()) where tenant_id = ${tenantId}`;
}

/** The URL the operator opens (with the qualified certificate) to grant Expedio access to SPV. */
export async function startAnafAuthorization(db: Db, tenantId: string): Promise<string> {
  const state = randomBytes(16).toString('base64url');
  const [c] = await db<{ clientId: string; redirectUri: string; oauthBaseUrl: string }[]>`
    update anaf_connections set oauth_state = ${state}, updated_at = now() where tenant_id = ${tenantId}
    returning client_id as "clientId", redirect_uri as "redirectUri", oauth_base_url as "oauthBaseUrl"`;
  if (!c) throw new DomainError('NOT_FOUND', `Tenant ${tenantId} has no ANAF application configured.`, [{ path: 'anaf', reason: 'not configured' }]);
  const q = new URLSearchParams({ response_type: 'code', client_id: c.clientId, redirect_uri: c.redirectUri, state, token_content_type: 'jwt' });
  return `${c.oauthBaseUrl}/authorize?${q}`;
}

interface TokenAnswer {
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
}

async function tokenRequest(f: typeof fetch, c: { oauthBaseUrl: string; clientId: string; clientSecret: string }, form: Record<string, string>): Promise<TokenAnswer> {
  let res: Response;
  try {
    res = await f(`${c.oauthBaseUrl}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams(form),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (e) {
    throw new DomainError('UPSTREAM', `ANAF login service not reachable: ${(e as Error).message}`);
  }
  const body = (await res.json().catch(() => ({}))) as Partial<TokenAnswer> & { error?: string };
  if (res.status === 400 || res.status === 401) throw new DomainError('NEEDS_RECONNECT', `ANAF refused the ${form.grant_type} grant (${body.error ?? res.status}); authorize Expedio again in SPV.`, [{ path: 'anaf', reason: body.error ?? 'grant refused' }]);
  if (!res.ok || !body.access_token) throw new DomainError('UPSTREAM', `ANAF token endpoint answered HTTP ${res.status}.`);
  return body as TokenAnswer;
}

// Documented lifetimes (90 days access, 365 days refresh) are used when the answer omits expires_in.
const ACCESS_DEFAULT_S = 90 * 86_400;
const REFRESH_DEFAULT_S = 365 * 86_400;

async function storeTokens(db: Db, box: SecretBox, tenantId: string, t: TokenAnswer, now: Date, keepRefresh: boolean) {
  const accessUntil = new Date(now.getTime() + (t.expires_in ?? ACCESS_DEFAULT_S) * 1000);
  const refreshUntil = new Date(now.getTime() + REFRESH_DEFAULT_S * 1000);
  // Both tokens are written together: ANAF rotates the refresh token on every refresh.
  await db`update anaf_connections set access_token_enc = ${box.seal(t.access_token)},
      refresh_token_enc = coalesce(${t.refresh_token ? box.seal(t.refresh_token) : null}, case when ${keepRefresh} then refresh_token_enc end),
      access_expires_at = ${accessUntil},
      refresh_expires_at = case when ${!!t.refresh_token} then ${refreshUntil}::timestamptz else refresh_expires_at end,
      oauth_state = null, connected_at = coalesce(connected_at, ${now}), reconnect_reason = null, reconnect_since = null, updated_at = now()
    where tenant_id = ${tenantId}`;
}

async function readConnection(db: Db, box: SecretBox, tenantId: string) {
  const [c] = await db<{ clientId: string; secret: string; redirectUri: string; oauthBaseUrl: string; apiBaseUrl: string; state: string | null; access: string | null; refresh: string | null; accessUntil: Date | null }[]>`
    select client_id as "clientId", client_secret_enc as secret, redirect_uri as "redirectUri", oauth_base_url as "oauthBaseUrl",
      case environment when 'test' then test_api_base_url else api_base_url end as "apiBaseUrl",
      oauth_state as state, access_token_enc as access, refresh_token_enc as refresh, access_expires_at as "accessUntil"
    from anaf_connections where tenant_id = ${tenantId}`;
  if (!c) return null;
  return { ...c, clientSecret: box.open(c.secret) };
}

/**
 * The tenant whose authorization is waiting for this state: the browser-facing redirect from ANAF
 * carries no bearer, so the random state (16 bytes, one per started authorization) names the tenant.
 */
export async function tenantOfAnafState(db: Db, state: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(state)) return null;
  const [row] = await db<{ tenantId: string }[]>`select tenant_id::text as "tenantId" from anaf_connections where oauth_state = ${state}`;
  return row?.tenantId ?? null;
}

/** Exchanges the authorization code from the redirect for tokens (state checked against ours). */
export async function completeAnafAuthorization(db: Db, box: SecretBox, tenantId: string, code: string, state: string, o: { fetch?: typeof fetch; now?: Date } = {}): Promise<void> {
  const c = await readConnection(db, box, tenantId);
  if (!c) throw new DomainError('NOT_FOUND', `Tenant ${tenantId} has no ANAF application configured.`, [{ path: 'anaf', reason: 'not configured' }]);
  if (!c.state || c.state !== state) throw new DomainError('VALIDATION', 'The authorization answer does not belong to the last request; start the ANAF authorization again.', [{ path: 'state', reason: 'does not match' }]);
  const t = await tokenRequest(o.fetch ?? fetch, c, { grant_type: 'authorization_code', code, redirect_uri: c.redirectUri, token_content_type: 'jwt' });
  await storeTokens(db, box, tenantId, t, o.now ?? new Date(), false);
}

/** Refresh this long before expiry so a worker that is down for a while still finds a live token. */
export const REFRESH_MARGIN_MS = 7 * 86_400_000;

/**
 * A valid access token, refreshed first when it expires within the margin. ANAF rotates the
 * refresh token on every refresh, so two workers refreshing at once would spend the same token
 * and one of them would force a new authorization in SPV: the refresh runs under a session
 * advisory lock per tenant (on a reserved connection, no transaction open during the call), and
 * the one that waited re-reads the token the other stored.
 */
export async function anafAccessToken(db: Sql, box: SecretBox, tenantId: string, o: { fetch?: typeof fetch; now?: Date } = {}): Promise<string> {
  const now = o.now ?? new Date();
  const fresh = (c: Awaited<ReturnType<typeof readConnection>>) => !!c?.access && !!c.accessUntil && c.accessUntil.getTime() - now.getTime() > REFRESH_MARGIN_MS;
  const c = await readConnection(db, box, tenantId);
  if (!c?.access) throw new DomainError('NEEDS_RECONNECT', `Tenant ${tenantId} has not authorized Expedio in ANAF SPV yet.`, [{ path: 'anaf', reason: 'not authorized' }]);
  if (fresh(c)) return box.open(c.access);
  const conn = await db.reserve();
  try {
    await conn`select pg_advisory_lock(hashtextextended(${`anaf-token-refresh:${tenantId}`}, 0))`;
    try {
      const again = await readConnection(conn, box, tenantId);
      if (!again?.access) throw new DomainError('NEEDS_RECONNECT', `Tenant ${tenantId} has not authorized Expedio in ANAF SPV yet.`, [{ path: 'anaf', reason: 'not authorized' }]);
      if (fresh(again)) return box.open(again.access);
      if (!again.refresh) throw new DomainError('NEEDS_RECONNECT', 'The ANAF access token expires and there is no refresh token; authorize again.', [{ path: 'anaf', reason: 'no refresh token' }]);
      let t: TokenAnswer;
      try {
        t = await tokenRequest(o.fetch ?? fetch, again, { grant_type: 'refresh_token', refresh_token: box.open(again.refresh), token_content_type: 'jwt' });
      } catch (e) {
        // The login service being down is no reason to stop while the current token still works.
        if (isDomainError(e) && e.code === 'UPSTREAM' && again.accessUntil && again.accessUntil.getTime() > now.getTime()) return box.open(again.access);
        throw e;
      }
      await storeTokens(conn, box, tenantId, t, now, true);
      return t.access_token;
    } finally {
      await conn`select pg_advisory_unlock(hashtextextended(${`anaf-token-refresh:${tenantId}`}, 0))`;
    }
  } finally {
    conn.release();
  }
}

/** ANAF allows 1,000 calls a minute (all methods); we stop a little below, counted for all workers together. */
export const CALLS_PER_MINUTE = 950;

/**
 * Counts one call in this tenant's current minute before it is made (answered or not), in its own
 * statement so every worker sees it; a full minute holds the call back (AnafNotSent).
 */
export async function countAnafCall(db: Db, tenantId: string, now: Date): Promise<void> {
  const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const [r] = await db<{ calls: number }[]>`
    insert into anaf_call_minutes (tenant_id, minute, calls) values (${tenantId}, ${minute}, 1)
    on conflict (tenant_id, minute) do update set calls = anaf_call_minutes.calls + 1 where anaf_call_minutes.calls < ${CALLS_PER_MINUTE}
    returning calls`;
  if (!r) throw new AnafNotSent(`${CALLS_PER_MINUTE} ANAF calls already made this minute; the call waits for the next minute.`);
  if (r.calls === 1) await db`delete from anaf_call_minutes where tenant_id = ${tenantId} and minute < ${new Date(minute.getTime() - 3_600_000)}`;
}

/** The client for a tenant, or null when it has no ANAF connection. */
export async function anafClientFor(db: Sql, box: SecretBox, tenantId: string, o: { fetch?: typeof fetch; now?: Date | (() => Date) } = {}): Promise<EInvoiceClient | null> {
  const c = await readConnection(db, box, tenantId);
  if (!c) return null;
  const now = () => (typeof o.now === 'function' ? o.now() : (o.now ?? new Date()));
  // One token for the client's life (one worker pass): tokens are refreshed days before expiry, so
  // reading and decrypting the connection again for every upload, status or download buys nothing.
  let token: Promise<string> | undefined;
  const accessToken = () =>
    (token ??= anafAccessToken(db, box, tenantId, { now: now(), ...(o.fetch ? { fetch: o.fetch } : {}) }).catch((e) => {
      token = undefined;
      throw e;
    }));
  let marked = true;
  return createAnafClient({
    baseUrl: c.apiBaseUrl,
    accessToken,
    ...(o.fetch ? { fetch: o.fetch } : {}),
    beforeCall: () => countAnafCall(db, tenantId, now()),
    afterAnswer: async () => {
      if (!marked) return;
      marked = false;
      await db`update anaf_connections set reconnect_reason = null, reconnect_since = null where tenant_id = ${tenantId} and reconnect_reason is not null`;
    },
  });
}

export interface AnafConnectionStatus {
  clientId: string;
  redirectUri: string;
  oauthBaseUrl: string;
  apiBaseUrl: string;
  testApiBaseUrl: string;
  /** Which host e-invoices go to: ANAF's test host or production. */
  environment: AnafEnvironment;
  /** Why ANAF refused the token or the SPV rights, until an answered call or a new authorization. */
  reconnectReason: string | null;
  /** Set once an authorization code was exchanged; null until the operator connected in SPV. */
  connectedAt: string | null;
  accessExpiresAt: string | null;
  authorizationPending: boolean;
}

/** What the settings screen shows about the ANAF connection; never a secret or token. */
export async function anafConnectionStatus(db: Db, tenantId: string): Promise<AnafConnectionStatus | null> {
  const [c] = await db<{ clientId: string; redirectUri: string; oauthBaseUrl: string; apiBaseUrl: string; testApiBaseUrl: string; environment: AnafEnvironment; reconnectReason: string | null; connectedAt: Date | null; accessUntil: Date | null; state: string | null; access: string | null }[]>`
    select client_id as "clientId", redirect_uri as "redirectUri", oauth_base_url as "oauthBaseUrl", api_base_url as "apiBaseUrl",
      test_api_base_url as "testApiBaseUrl", environment, reconnect_reason as "reconnectReason",
      connected_at as "connectedAt", access_expires_at as "accessUntil", oauth_state as state, access_token_enc as access
    from anaf_connections where tenant_id = ${tenantId}`;
  if (!c) return null;
  return {
    clientId: c.clientId,
    redirectUri: c.redirectUri,
    oauthBaseUrl: c.oauthBaseUrl,
    apiBaseUrl: c.apiBaseUrl,
    testApiBaseUrl: c.testApiBaseUrl,
    environment: c.environment,
    reconnectReason: c.reconnectReason,
    connectedAt: c.access && c.connectedAt ? c.connectedAt.toISOString() : null,
    accessExpiresAt: c.access && c.accessUntil ? c.accessUntil.toISOString() : null,
    authorizationPending: c.state !== null,
  };
}
