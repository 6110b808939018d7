import { PDFDocument } from 'pdf-lib';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { insertOrder, PROFILE } from './support.ts';

interface Received {
  to: string[];
  raw: string;
}

let core: CoreHarness;
let t: TenantFixture;
let smtp: SMTPServer;
let port = 0;
const received: Received[] = [];

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  port = (smtp.server.address() as { port: number }).port;
  core = await startCore();
  t = await core.createTenant({ channel: { create_invoice: 'on_shipping' } });
  const r = await core.api('/api/v1/invoicing/profile', { method: 'PUT', key: t.apiKey, body: JSON.stringify({ ...PROFILE, smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: 'Expedio Demo <facturi@expedio.test>' }) });
  expect(r.status).toBe(204);
});
afterAll(() => new Promise<void>((r) => smtp.close(() => r())));

/** The base64 body of the first application/pdf part of a raw MIME message. */
function pdfAttachment(raw: string): Buffer {
  const m = /Content-Type: application\/pdf[^\r\n]*(?:\r?\n[^\r\n]+)*\r?\n\r?\n([A-Za-z0-9+/=\r\n]+)/i.exec(raw);
  if (!m) throw new Error('no PDF part');
  return Buffer.from(m[1]!.replace(/\s/g, ''), 'base64');
}

describe('invoice e-mail to the customer', () => {
  it('sends the PDF (a loadable PDF) with the AWB and tracking link, through the outbox, once', async () => {
    const orderId = await insertOrder(core, t, { status: 'shipping' });
    await core.sql`insert into outbox (tenant_id, kind, payload, idempotency_key)
      values (${t.tenantId}, 'invoice.issue', ${core.sql.json({ orderId, trigger: 'on_shipping', awbNumber: '1234567890', trackingUrl: 'https://awb.example/1234567890' })}, ${`invoice.issue:${orderId}`})`;
    await core.drainOutbox();
    expect(received).toHaveLength(1);
    const mail = received[0]!;
    expect(mail.to).toEqual(['ion.popescu@client.test']);
    expect(mail.raw).toMatch(/Subject: =\?UTF-8\?/);
    expect(mail.raw).toContain('Message-ID: <invoice-');
    const decoded = mail.raw.replace(/=\r?\n/g, '');
    expect(decoded).toContain('1234567890');
    expect(decoded).toContain('https://awb.example/1234567890');
    const pdf = pdfAttachment(mail.raw);
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    const doc = await PDFDocument.load(pdf);
    expect(doc.getTitle()).toMatch(/^Factură EXP\d+$/);
    const [inv] = await core.sql`select emailed_at from invoices where tenant_id = ${t.tenantId} and order_id = ${orderId}`;
    expect(inv!.emailed_at).toBeInstanceOf(Date);
    // A repeated e-mail item (a retry after a lost commit, a second enqueue) sends nothing.
    const [i2] = await core.sql`select id::text from invoices where tenant_id = ${t.tenantId} and order_id = ${orderId}`;
    await core.sql`insert into outbox (tenant_id, kind, payload, idempotency_key) values (${t.tenantId}, 'invoice.email', ${core.sql.json({ invoiceId: i2!.id })}, 'again')`;
    await core.drainOutbox();
    expect(received).toHaveLength(1);
  });

  it('an unreachable SMTP server leaves the e-mail pending for a retry, not marked sent', async () => {
    const t2 = await core.createTenant();
    await core.api('/api/v1/invoicing/profile', { method: 'PUT', key: t2.apiKey, body: JSON.stringify({ ...PROFILE, smtpUrl: 'smtp://127.0.0.1:1' }) });
    const orderId = await insertOrder(core, t2);
    await core.api(`/api/v1/orders/${orderId}/invoice`, { method: 'POST', key: t2.apiKey });
    await core.drainOutbox();
    const [o] = await core.sql`select status, attempts, last_error from outbox where tenant_id = ${t2.tenantId} and kind = 'invoice.email'`;
    expect(o).toMatchObject({ status: 'pending', attempts: 1 });
    const [inv] = await core.sql`select emailed_at from invoices where tenant_id = ${t2.tenantId}`;
    expect(inv!.emailed_at).toBeNull();
  });
});
