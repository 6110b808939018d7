import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { insertOrder, PROFILE } from './support.ts';

/** Invoice and credit-note PDFs and e-mails in the customer's language (the channel's notifications.language). */
let core: CoreHarness;
let t: TenantFixture;
let smtp: SMTPServer;
const received: string[] = [];
const ARTIFACTS = new URL('../artifacts/invoice-language/', import.meta.url);

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks).toString('utf8'));
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  const port = (smtp.server.address() as { port: number }).port;
  core = await startCore();
  t = await core.createTenant({ channel: { create_invoice: 'on_shipping', invoice_series: 'LNG' } });
  const r = await core.api('/api/v1/invoicing/profile', { method: 'PUT', key: t.apiKey, body: JSON.stringify({ ...PROFILE, smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: 'Expedio Demo <facturi@expedio.test>' }) });
  expect(r.status).toBe(204);
  await core.sql`insert into invoicing_fx_rates (tenant_id, currency, valid_on, ron_per_unit) values (${t.tenantId}, 'USD', '2020-01-01', 4.5123)`;
  mkdirSync(ARTIFACTS, { recursive: true });
});
afterAll(() => new Promise<void>((r) => smtp.close(() => r())));

const setLanguage = (language: 'ro' | 'en') => core.sql`update channels set notifications = ${core.sql.json({ language })} where id = ${t.shopify.channelId}`;

/** The message's text part and its PDF attachment, decoded (quoted-printable text, base64 PDF). */
function parseMail(raw: string): { text: string; filename: string; pdf: Buffer } {
  const textPart = /Content-Type: text\/plain[^\r\n]*\r?\nContent-Transfer-Encoding: ([\w-]+)\r?\n\r?\n([\s\S]*?)\r?\n--/i.exec(raw);
  if (!textPart) throw new Error('no text part');
  const body = textPart[1]!.toLowerCase() === 'quoted-printable' ? Buffer.from(textPart[2]!.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))), 'latin1').toString('utf8') : textPart[2]!;
  const att = /Content-Type: application\/pdf; name="?([^"\r\n]+)"?[\s\S]*?\r?\n\r?\n([A-Za-z0-9+/=\r\n]+)/i.exec(raw);
  if (!att) throw new Error('no PDF part');
  return { text: body, filename: att[1]!, pdf: Buffer.from(att[2]!.replace(/\s/g, ''), 'base64') };
}

/** The PDF's text (pdftotext), and its first page as a PNG saved to look at. */
function lookAt(pdf: Buffer, name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'expedio-lang-'));
  writeFileSync(join(dir, 'doc.pdf'), pdf);
  execFileSync('pdftoppm', ['-png', '-r', '80', '-singlefile', join(dir, 'doc.pdf'), join(dir, 'doc')]);
  writeFileSync(new URL(`${name}.png`, ARTIFACTS), readFileSync(join(dir, 'doc.png')));
  return execFileSync('pdftotext', ['-layout', join(dir, 'doc.pdf'), '-'], { encoding: 'utf8' });
}

async function invoiceAndCreditNote(o: Parameters<typeof insertOrder>[2]): Promise<{ invoice: ReturnType<typeof parseMail>; creditNote: ReturnType<typeof parseMail>; number: string }> {
  const orderId = await insertOrder(core, t, { status: 'shipping', ...o });
  await core.sql`insert into outbox (tenant_id, kind, payload, idempotency_key)
    values (${t.tenantId}, 'invoice.issue', ${core.sql.json({ orderId, trigger: 'on_shipping', awbNumber: '1234567890', trackingUrl: 'https://awb.example/1234567890' })}, ${`invoice.issue:${orderId}`})`;
  const before = received.length;
  await core.drainOutbox();
  const [inv] = await core.sql<{ id: string; fullNumber: string }[]>`select id::text, full_number as "fullNumber" from invoices where tenant_id = ${t.tenantId} and order_id = ${orderId}`;
  const cn = await core.api(`/api/v1/invoices/${inv!.id}/storno`, { method: 'POST', key: t.apiKey, body: JSON.stringify({ reason: 'Order cancelled' }) });
  expect(cn.status).toBe(201);
  await core.drainOutbox();
  expect(received).toHaveLength(before + 2);
  return { invoice: parseMail(received[before]!), creditNote: parseMail(received[before + 1]!), number: inv!.fullNumber };
}

describe("invoices in the customer's language", () => {
  it('Romanian (the default): PDF, e-mail, and the credit note and its e-mail', async () => {
    await setLanguage('ro');
    const { invoice, creditNote, number } = await invoiceAndCreditNote({});
    expect(invoice.filename).toBe(`Factura-${number}.pdf`);
    expect(invoice.text).toContain(`Vă transmitem atașat factura ${number} în valoare de 311.93 RON.`);
    expect(invoice.text).toContain('Coletul dumneavoastră are AWB-ul 1234567890.');
    const pdf = lookAt(invoice.pdf, 'invoice-ro');
    for (const s of ['FACTURĂ', 'Seria și nr.', 'CUMPĂRĂTOR', 'Defalcare TVA', 'Total de plată', '311,93 RON', 'Transport', 'Referință comandă: #']) expect(pdf).toContain(s);
    expect(creditNote.filename).toMatch(/^Factura-storno-LNG\d+\.pdf$/);
    expect(creditNote.text).toContain(`care stornează factura ${number}`);
    const cnPdf = lookAt(creditNote.pdf, 'credit-note-ro');
    for (const s of ['FACTURĂ STORNO', `Stornează factura ${number}`, 'Total de restituit']) expect(cnPdf).toContain(s);
  });

  it('English on a channel whose customers read English, a USD order with the BNR rate and the VAT in RON; its credit note in English too', async () => {
    await setLanguage('en');
    const { invoice, creditNote, number } = await invoiceAndCreditNote({ currency: 'USD', lines: [{ sku: 'A-1', qty: 10, price: '121.00' }] });
    expect(invoice.filename).toBe(`Invoice-${number}.pdf`);
    // 10 × 121.00 gross @21% = 1,000.00 + 210.00; shipping 19.99 gross → 16.52 + 3.47.
    expect(invoice.text).toContain(`Please find attached invoice ${number} for 1229.99 USD.`);
    expect(invoice.text).toContain("Your parcel's AWB is 1234567890.");
    expect(invoice.text).not.toMatch(/Bună|factura/);
    const pdf = lookAt(invoice.pdf, 'invoice-en-usd');
    for (const s of ['INVOICE', 'Invoice no.', 'SELLER', 'BUYER', 'VAT ID', 'Description', 'Unit price', 'VAT breakdown', 'Total excl. VAT', 'Total due', '1,229.99 USD', 'BNR rate 4.512300 RON', 'Total VAT in RON', 'Shipping']) expect(pdf).toContain(s);
    expect(pdf).not.toMatch(/FACTURĂ|Total de plată|Defalcare/);
    const [ron] = await core.sql<{ taxTotalRon: string }[]>`select tax_total_ron::text as "taxTotalRon" from invoices where tenant_id = ${t.tenantId} and full_number = ${number}`;
    expect(ron!.taxTotalRon).toBe('963.24'); // 213.47 USD × 4.5123
    expect(creditNote.filename).toMatch(/^Credit-note-LNG\d+\.pdf$/);
    expect(creditNote.text).toContain(`reversing invoice ${number}, for 1229.99 USD.`);
    const cnPdf = lookAt(creditNote.pdf, 'credit-note-en-usd');
    for (const s of ['CREDIT NOTE', 'Credit note no.', `Reverses invoice ${number}`, 'Total to refund']) expect(cnPdf).toContain(s);
  });
});
