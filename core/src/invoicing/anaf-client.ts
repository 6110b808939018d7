import { randomBytes } from 'node:crypto';
import { xml2js } from 'xml-js';
import type { Db } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';
import { assertPublicUrl } from '../shared/public-host.ts';
import type { SecretBox } from '../shared/secret-box.ts';

/** What the e-invoice worker needs from ANAF's e-Factura API (fake in tests, api.anaf.ro in production). */
export interface EInvoiceClient {
  upload(xml: string, o: { standard: 'UBL' | 'CN'; cif: string; extern: boolean }): Promise<UploadAnswer>;
  status(uploadIndex: string): Promise<StatusAnswer>;
  download(downloadId: string): Promise<DownloadAnswer>;
}

export type UploadAnswer = { accepted: true; uploadIndex: string } | { accepted: false; errors: string[] };
export type StatusAnswer =
  | { kind: 'state'; state: 'ok' | 'nok'; downloadId: string }
  | { kind: 'state'; state: 'in_processing' }
  | { kind: 'state'; state: 'xml_errors' }
  | { kind: 'error'; message: string; limitReached: boolean };
export type DownloadAnswer = { kind: 'zip'; zip: Uint8Array } | { kind: 'error'; message: string; limitReached: boolean };

/** Transport or server failure: the call may be repeated later (not an answer about the invoice). */
export class AnafUnavailable extends Error {}

// ANAF's limit messages ("S-au facut deja 10 descarcari…", "…100 de interogari…") are matched
// loosely: the contract says to match the Errors element, and the texts differ between methods.
const isLimit = (m: string) => /s-au facut deja|limita/i.test(m);

type XmlEl = { _attributes?: Record<string, string>; [k: string]: unknown };
function header(xml: string): { attrs: Record<string, string>; errors: string[] } {
  const doc = xml2js(xml, { compact: true }) as Record<string, XmlEl>;
  const h = doc.header ?? (Object.entries(doc).find(([k]) => k.endsWith('header'))?.[1] as XmlEl | undefined);
  if (!h) throw new AnafUnavailable(`unexpected ANAF answer: ${xml.slice(0, 200)}`);
  const raw = h.Errors as XmlEl | XmlEl[] | undefined;
  const errors = (Array.isArray(raw) ? raw : raw ? [raw] : []).map((e) => e._attributes?.errorMessage ?? 'error');
  return { attrs: h._attributes ?? {}, errors };
}

export function createAnafClient(o: { baseUrl: string; accessToken: () => Promise<string>; fetch?: typeof fetch }): EInvoiceClient {
  const f = o.fetch ?? fetch;
  const call = async (path: string, init: RequestInit = {}) => {
    const token = await o.accessToken();
    let res: Response;
    try {
      res = await f(`${o.baseUrl.replace(/\/$/, '')}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(60_000) });
    } catch (e) {
      throw new AnafUnavailable(`ANAF not reachable: ${(e as Error).message}`);
    }
    if (res.status === 429) throw new AnafUnavailable('ANAF rate limit (HTTP 429)');
    if (res.status === 401 || res.status === 403) throw new DomainError('NEEDS_RECONNECT', `ANAF refused the access token (HTTP ${res.status}); reconnect the ANAF account.`, [{ path: 'anaf', reason: 'token refused' }]);
    if (res.status >= 500) throw new AnafUnavailable(`ANAF answered HTTP ${res.status}`);
    return res;
  };
  return {
    async upload(xml, u) {
      const q = new URLSearchParams({ standard: u.standard, cif: u.cif });
      if (u.extern) q.set('extern', 'DA');
      const res = await call(`/upload?${q}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: xml });
      const text = await res.text();
      if (res.status === 400) return { accepted: false, errors: [text] };
      const h = header(text);
      if (h.attrs.ExecutionStatus === '0' && h.attrs.index_incarcare) return { accepted: true, uploadIndex: h.attrs.index_incarcare };
      return { accepted: false, errors: h.errors.length ? h.errors : [text] };
    },
    async status(uploadIndex) {
      const res = await call(`/stareMesaj?${new URLSearchParams({ id_incarcare: uploadIndex })}`);
      const h = header(await res.text());
      if (h.errors.length) return { kind: 'error', message: h.errors.join('; '), limitReached: h.errors.some(isLimit) };
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
      const text = new TextDecoder().decode(bytes);
      let message = text;
      try {
        message = (JSON.parse(text) as { eroare?: string; message?: string }).eroare ?? text;
      } catch {}
      return { kind: 'error', message, limitReached: isLimit(message) };
    },
  };
}

// ---- OAuth2 (authorization code) with tokens sealed at rest ----

export interface AnafConnection {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  oauthBaseUrl: string;
  apiBaseUrl: string;
}

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
  // Our servers call these with the tenant's tokens: public hosts only (resolved here, so call with
  // the pool). ANAF's own hosts are ours to trust, not the tenant's choice.
  for (const [field, url] of [['oauthBaseUrl', c.oauthBaseUrl], ['apiBaseUrl', c.apiBaseUrl]] as const) {
    if (!ANAF_HOSTS.has(hostOf(url))) await assertPublicUrl(url, field);
  }
  await db`
    insert into anaf_connections (tenant_id, client_id, client_secret_enc, redirect_uri, oauth_base_url, api_base_url)
    values (${tenantId}, ${c.clientId}, ${box.seal(c.clientSecret)}, ${c.redirectUri}, ${c.oauthBaseUrl}, ${c.apiBaseUrl})
    on conflict (tenant_id) do update set client_id = excluded.client_id, client_secret_enc = excluded.client_secret_enc,
      redirect_uri = excluded.redirect_uri, oauth_base_url = excluded.oauth_base_url, api_base_url = excluded.api_base_url, updated_at = now()`;
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
      oauth_state = null, connected_at = coalesce(connected_at, ${now}), updated_at = now()
    where tenant_id = ${tenantId}`;
}

async function readConnection(db: Db, box: SecretBox, tenantId: string) {
  const [c] = await db<{ clientId: string; secret: string; redirectUri: string; oauthBaseUrl: string; apiBaseUrl: string; state: string | null; access: string | null; refresh: string | null; accessUntil: Date | null }[]>`
    select client_id as "clientId", client_secret_enc as secret, redirect_uri as "redirectUri", oauth_base_url as "oauthBaseUrl",
      api_base_url as "apiBaseUrl", oauth_state as state, access_token_enc as access, refresh_token_enc as refresh, access_expires_at as "accessUntil"
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

/** A valid access token, refreshed first when it expires within the margin. */
export async function anafAccessToken(db: Db, box: SecretBox, tenantId: string, o: { fetch?: typeof fetch; now?: Date } = {}): Promise<string> {
  const now = o.now ?? new Date();
  const c = await readConnection(db, box, tenantId);
  if (!c?.access) throw new DomainError('NEEDS_RECONNECT', `Tenant ${tenantId} has not authorized Expedio in ANAF SPV yet.`, [{ path: 'anaf', reason: 'not authorized' }]);
  if (c.accessUntil && c.accessUntil.getTime() - now.getTime() > REFRESH_MARGIN_MS) return box.open(c.access);
  if (!c.refresh) throw new DomainError('NEEDS_RECONNECT', 'The ANAF access token expires and there is no refresh token; authorize again.', [{ path: 'anaf', reason: 'no refresh token' }]);
  const t = await tokenRequest(o.fetch ?? fetch, c, { grant_type: 'refresh_token', refresh_token: box.open(c.refresh), token_content_type: 'jwt' });
  await storeTokens(db, box, tenantId, t, now, true);
  return t.access_token;
}

/** The client for a tenant, or null when it has no ANAF connection. */
export async function anafClientFor(db: Db, box: SecretBox, tenantId: string, o: { fetch?: typeof fetch; now?: Date } = {}): Promise<EInvoiceClient | null> {
  const c = await readConnection(db, box, tenantId);
  if (!c) return null;
  // One token for the client's life (one worker pass): tokens are refreshed days before expiry, so
  // reading and decrypting the connection again for every upload, status or download buys nothing.
  let token: Promise<string> | undefined;
  const accessToken = () =>
    (token ??= anafAccessToken(db, box, tenantId, o).catch((e) => {
      token = undefined;
      throw e;
    }));
  return createAnafClient({ baseUrl: c.apiBaseUrl, accessToken, ...(o.fetch ? { fetch: o.fetch } : {}) });
}

export interface AnafConnectionStatus {
  clientId: string;
  redirectUri: string;
  oauthBaseUrl: string;
  apiBaseUrl: string;
  /** Set once an authorization code was exchanged; null until the operator connected in SPV. */
  connectedAt: string | null;
  accessExpiresAt: string | null;
  authorizationPending: boolean;
}

/** What the settings screen shows about the ANAF connection; never a secret or token. */
export async function anafConnectionStatus(db: Db, tenantId: string): Promise<AnafConnectionStatus | null> {
  const [c] = await db<{ clientId: string; redirectUri: string; oauthBaseUrl: string; apiBaseUrl: string; connectedAt: Date | null; accessUntil: Date | null; state: string | null; access: string | null }[]>`
    select client_id as "clientId", redirect_uri as "redirectUri", oauth_base_url as "oauthBaseUrl", api_base_url as "apiBaseUrl",
      connected_at as "connectedAt", access_expires_at as "accessUntil", oauth_state as state, access_token_enc as access
    from anaf_connections where tenant_id = ${tenantId}`;
  if (!c) return null;
  return {
    clientId: c.clientId,
    redirectUri: c.redirectUri,
    oauthBaseUrl: c.oauthBaseUrl,
    apiBaseUrl: c.apiBaseUrl,
    connectedAt: c.access && c.connectedAt ? c.connectedAt.toISOString() : null,
    accessExpiresAt: c.access && c.accessUntil ? c.accessUntil.toISOString() : null,
    authorizationPending: c.state !== null,
  };
}
