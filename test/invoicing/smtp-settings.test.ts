import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendMail } from '../../core/src/notifications/mailer.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { insertOrder, PROFILE } from './support.ts';

let core: CoreHarness;
let t: TenantFixture;
let smtp: SMTPServer;
let port = 0;
const logins: string[] = [];
const received: Array<{ user: string | undefined; to: string[]; raw: string }> = [];

beforeAll(async () => {
  // A real SMTP server that insists on a login (plain, no TLS on loopback).
  smtp = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    onAuth(auth, _session, cb) {
      logins.push(auth.username ?? '');
      if (auth.username === 'facturi@magazin.test' && auth.password === 'parola smtp 1') return cb(null, { user: auth.username });
      return cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ user: session.user as string | undefined, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  port = (smtp.server.address() as { port: number }).port;
  core = await startCore();
  t = await core.createTenant({ channel: { create_invoice: 'on_shipping' } });
  // The profile names no SMTP server: the tenant's SMTP settings are the only way mail can go out.
  expect((await core.api('/api/v1/invoicing/profile', { method: 'PUT', key: t.apiKey, body: JSON.stringify(PROFILE) })).status).toBe(204);
});
afterAll(() => new Promise<void>((r) => smtp.close(() => r())));

const put = (body: unknown) => core.api('/api/v1/notifications/smtp', { method: 'PUT', key: t.apiKey, body: JSON.stringify(body) });
const smtpTest = () => core.api('/api/v1/notifications/smtp/test', { method: 'POST', key: t.apiKey });

describe('tenant SMTP settings', () => {
  it('refuses a bad host, port and From naming each field, and stores nothing', async () => {
    const r = await put({ host: 'smtp server', port: 70000, from: 'nobody', username: null, password: null });
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: { path: string }) => d.path)).toContain('port');
    const r2 = await put({ host: 'smtp server', port: 25, from: 'nobody' });
    expect(r2.body.error.details).toEqual([
      { path: 'host', reason: 'must be a host name or IP address' },
      { path: 'from', reason: 'must be an address, or "Name <address>"' },
    ]);
    expect((await core.api('/api/v1/notifications/smtp', { key: t.apiKey })).status).toBe(404);
  });

  it('stores the password sealed, never returns it, tests the login against the server, and sends the invoice through it', async () => {
    const saved = await put({ host: '127.0.0.1', port, secure: false, username: 'facturi@magazin.test', password: 'parola smtp 1', from: 'Magazin <facturi@magazin.test>' });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ host: '127.0.0.1', port, secure: false, username: 'facturi@magazin.test', passwordSet: true, from: 'Magazin <facturi@magazin.test>' });
    expect(JSON.stringify(saved.body)).not.toContain('parola');
    const [row] = await core.sql`select password_enc from smtp_settings where tenant_id = ${t.tenantId}`;
    expect(row!.password_enc).toMatch(/^v1\./);
    expect(JSON.stringify(await core.sql`select * from smtp_settings`)).not.toContain('parola');
    expect(JSON.stringify((await core.api('/api/v1/notifications/smtp', { key: t.apiKey })).body)).not.toContain('parola');

    expect((await smtpTest()).body).toEqual({ ok: true });
    expect(logins).toContain('facturi@magazin.test');

    const orderId = await insertOrder(core, t, { status: 'shipping' });
    await core.sql`insert into outbox (tenant_id, kind, payload, idempotency_key)
      values (${t.tenantId}, 'invoice.issue', ${core.sql.json({ orderId, trigger: 'on_shipping' })}, ${`invoice.issue:${orderId}`})`;
    await core.drainOutbox();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ user: 'facturi@magazin.test', to: ['ion.popescu@client.test'] });
    expect(received[0]!.raw).toContain('From: Magazin <facturi@magazin.test>');
  });

  it('a PUT without the password keeps the stored one; a wrong password is the server refusal, named', async () => {
    const kept = await put({ host: '127.0.0.1', port, username: 'facturi@magazin.test', from: 'facturi@magazin.test' });
    expect(kept.body.passwordSet).toBe(true);
    expect((await smtpTest()).body).toEqual({ ok: true });
    await put({ host: '127.0.0.1', port, username: 'facturi@magazin.test', password: 'wrong password', from: 'facturi@magazin.test' });
    const bad = await smtpTest();
    expect(bad.status).toBe(200);
    expect(bad.body).toMatchObject({ ok: false, error: { code: 'EAUTH' } });
    expect(bad.body.error.message).toMatch(/Invalid username or password/);
    expect(bad.body.error.message).not.toContain('wrong password');
  });
  it('at send time the saved host is resolved and checked again: a host that is (or now resolves to) a private address is refused and the server hears nothing', async () => {
    await put({ host: 'localhost', port, username: 'facturi@magazin.test', password: 'parola smtp 1', from: 'facturi@magazin.test' });
    const before = process.env.EXPEDIO_ALLOW_PRIVATE_HOSTS;
    const heard = logins.length;
    process.env.EXPEDIO_ALLOW_PRIVATE_HOSTS = '0';
    try {
      const refused = await smtpTest();
      expect(refused.body).toMatchObject({ ok: false, error: { code: 'EXPEDIO_NON_PUBLIC_ADDRESS' } });
      expect(refused.body.error.message).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), which is not a public address/);
      const url = await sendMail({ smtpUrl: `smtp://127.0.0.1:${port}`, from: 'facturi@magazin.test' }, { to: 'a@client.test', subject: 's', text: 't', messageId: '<guard@test>' }).catch((e: Error) => e.message);
      expect(url).toContain('127.0.0.1 resolves to 127.0.0.1, which is not a public address');
      expect(logins.length).toBe(heard);
    } finally {
      if (before === undefined) delete process.env.EXPEDIO_ALLOW_PRIVATE_HOSTS;
      else process.env.EXPEDIO_ALLOW_PRIVATE_HOSTS = before;
    }
    // Where private hosts are allowed (development, test), the same settings reach the server.
    expect((await smtpTest()).body).toEqual({ ok: true });
    expect(logins.length).toBe(heard + 1);
  });
});
