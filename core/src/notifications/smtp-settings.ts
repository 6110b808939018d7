import type { Db } from '../db/connect.ts';
import { DomainError, type ErrorDetail } from '../shared/domain-error.ts';
import { assertPublicHost } from '../shared/public-host.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import { type MailSettings, type SmtpTransport, smtpConnectOptions } from './mailer.ts';

/** The tenant's SMTP server as the API shows it: the password only as `passwordSet`. */
export interface SmtpSettingsView {
  host: string;
  port: number;
  secure: boolean;
  username: string | null;
  passwordSet: boolean;
  from: string;
  updatedAt: string;
}

export interface SmtpSettingsInput {
  host: string;
  port: number;
  secure: boolean;
  username?: string | null;
  /** Omitted keeps the stored password; null clears it. */
  password?: string | null;
  from: string;
}

interface Row {
  host: string;
  port: number;
  secure: boolean;
  username: string | null;
  password_enc: string | null;
  mail_from: string;
  updated_at: Date;
}

const read = async (db: Db, tenantId: string): Promise<Row | null> =>
  (await db<Row[]>`select host, port, secure, username, password_enc, mail_from, updated_at from smtp_settings where tenant_id = ${tenantId}`)[0] ?? null;

const view = (r: Row): SmtpSettingsView => ({ host: r.host, port: r.port, secure: r.secure, username: r.username, passwordSet: r.password_enc !== null, from: r.mail_from, updatedAt: r.updated_at.toISOString() });

export async function getSmtpSettings(db: Db, tenantId: string): Promise<SmtpSettingsView | null> {
  const r = await read(db, tenantId);
  return r ? view(r) : null;
}

// "Name <a@b.c>" or "a@b.c": what nodemailer takes as From.
const FROM = /^(?:[^<>@\n]{0,100}<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/;

export function checkSmtpSettings(i: SmtpSettingsInput): ErrorDetail[] {
  const d: ErrorDetail[] = [];
  if (!/^[A-Za-z0-9.-]{1,253}$/.test(i.host ?? '') && !/^\[[0-9a-fA-F:]+\]$/.test(i.host ?? '')) d.push({ path: 'host', reason: 'must be a host name or IP address' });
  if (!Number.isInteger(i.port) || i.port < 1 || i.port > 65535) d.push({ path: 'port', reason: 'must be 1 to 65535' });
  if (!FROM.test((i.from ?? '').trim())) d.push({ path: 'from', reason: 'must be an address, or "Name <address>"' });
  if (i.password && !i.username) d.push({ path: 'username', reason: 'is required with a password' });
  return d;
}

/** Saves the tenant's SMTP server; the password is sealed and never read back through the API. */
export async function saveSmtpSettings(db: Db, box: SecretBox, tenantId: string, i: SmtpSettingsInput): Promise<SmtpSettingsView> {
  const details = checkSmtpSettings(i);
  if (details.length) throw new DomainError('VALIDATION', `The SMTP settings are not valid: ${details.map((x) => `${x.path} ${x.reason}`).join('; ')}.`, details);
  // Our servers connect to it with the tenant's password: public hosts only (resolved here, so call with the pool).
  await assertPublicHost(i.host, 'host');
  const sealed = i.password === undefined ? undefined : i.password === null || i.password === '' ? null : box.seal(i.password);
  const [r] = await db<Row[]>`
    insert into smtp_settings (tenant_id, host, port, secure, username, password_enc, mail_from)
    values (${tenantId}, ${i.host}, ${i.port}, ${i.secure}, ${i.username?.trim() || null}, ${sealed ?? null}, ${i.from.trim()})
    on conflict (tenant_id) do update set host = excluded.host, port = excluded.port, secure = excluded.secure, username = excluded.username,
      password_enc = ${sealed === undefined ? db`smtp_settings.password_enc` : db`excluded.password_enc`}, mail_from = excluded.mail_from, updated_at = now()
    returning host, port, secure, username, password_enc, mail_from, updated_at`;
  return view(r!);
}

/** Opens a sealed value; a function so a send without saved settings never needs the secret box. */
export type OpenSecret = (sealed: string) => string;

function transportOf(open: OpenSecret, r: Row): SmtpTransport {
  return { host: r.host, port: r.port, secure: r.secure, ...(r.username ? { auth: { user: r.username, pass: r.password_enc ? open(r.password_enc) : '' } } : {}) };
}

/** The mail settings a send uses: the tenant's SMTP server when saved, else null (the caller falls back). */
export async function tenantMailSettings(db: Db, open: OpenSecret, tenantId: string, fromOverride?: string | null): Promise<MailSettings | null> {
  const r = await read(db, tenantId);
  if (!r) return null;
  return { smtpUrl: '', smtp: transportOf(open, r), from: fromOverride || r.mail_from };
}

/**
 * Connects to the saved server, says EHLO, upgrades to TLS when offered and logs in: what a real
 * send does before its first message, without sending one. The server's refusal is the answer.
 */
export async function testSmtpSettings(db: Db, box: SecretBox, tenantId: string): Promise<{ ok: true } | { ok: false; error: { code: string; message: string } }> {
  const r = await read(db, tenantId);
  if (!r) throw new DomainError('NOT_FOUND', 'This tenant has no SMTP settings yet; PUT /api/v1/notifications/smtp first.', [{ path: 'smtp', reason: 'not set' }]);
  const nodemailer = (await import('nodemailer')).default; // on first use, as in sendMail
  let transport: ReturnType<typeof nodemailer.createTransport>;
  try {
    transport = nodemailer.createTransport({ ...(await smtpConnectOptions({ smtp: transportOf((s) => box.open(s), r), smtpUrl: '' })), connectionTimeout: 15_000, greetingTimeout: 15_000 });
  } catch (e) {
    return { ok: false, error: { code: (e as { code?: string }).code ?? 'SMTP', message: (e as Error).message } };
  }
  try {
    await transport.verify();
    return { ok: true };
  } catch (e) {
    const err = e as { code?: string; message?: string; response?: string };
    return { ok: false, error: { code: err.code ?? 'SMTP', message: err.response ?? err.message ?? String(e) } };
  } finally {
    transport.close();
  }
}
