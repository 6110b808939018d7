import type { PDFDocument, PDFFont, PDFPage, rgb } from 'pdf-lib';
import type { InvoiceDocument, Party } from './invoice-document.ts';
import { type InvoiceLanguage, type PdfWords, pdfWords } from './invoice-texts.ts';

const A4: [number, number] = [595.28, 841.89];
const M = 40;
const grey = (c: Ctx) => c.rgb(0.35, 0.35, 0.35);

/** 1.234,56 in Romanian, 1,234.56 in English. */
const formatter =
  ([thousands, decimal]: [string, string]) =>
  (amount: string) => {
    const [int, frac = '00'] = amount.split('.');
    const neg = int!.startsWith('-');
    const digits = neg ? int!.slice(1) : int!;
    return `${neg ? '-' : ''}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, thousands)}${decimal}${frac}`;
  };

interface Ctx {
  pdf: PDFDocument;
  page: PDFPage;
  y: number;
  regular: PDFFont;
  bold: PDFFont;
  w: PdfWords;
  /** pdf-lib's, loaded with it at the first invoice (pdf-lib and the fonts are off the intake path). */
  rgb: typeof rgb;
}

function text(c: Ctx, s: string, x: number, opts: { size?: number; bold?: boolean; right?: number; color?: ReturnType<typeof rgb>; maxWidth?: number } = {}) {
  const size = opts.size ?? 9;
  const font = opts.bold ? c.bold : c.regular;
  let str = s;
  if (opts.maxWidth) while (str.length > 1 && font.widthOfTextAtSize(str, size) > opts.maxWidth) str = `${str.slice(0, -2)}…`;
  const dx = opts.right !== undefined ? opts.right - font.widthOfTextAtSize(str, size) : x;
  c.page.drawText(str, { x: dx, y: c.y, size, font, color: opts.color ?? c.rgb(0, 0, 0) });
}

function partyBlock(c: Ctx, title: string, p: Party, x: number, top: number): number {
  c.y = top;
  text(c, title, x, { bold: true, size: 8, color: grey(c) });
  c.y -= 13;
  text(c, p.name, x, { bold: true, size: 10, maxWidth: 250 });
  const rows = [
    p.vatId ? `${c.w.vatId}: ${p.vatId}` : p.legalId && !/^0{13}$/.test(p.legalId) ? `${c.w.legalId}: ${p.legalId}` : null,
    p.tradeRegisterNo ? `${c.w.tradeRegister}: ${p.tradeRegisterNo}` : null,
    p.street,
    [p.postalCode, p.city, p.countySubentity, p.countryCode].filter(Boolean).join(', '),
    p.bankName ? `${c.w.bank}: ${p.bankName}` : null,
    p.iban ? `IBAN: ${p.iban}` : null,
    p.email ? `${c.w.email}: ${p.email}` : null,
  ].filter((r): r is string => !!r);
  for (const r of rows) {
    c.y -= 12;
    text(c, r, x, { maxWidth: 250 });
  }
  return c.y;
}

const COLS = { no: M, name: M + 22, qty: 330, price: 400, vat: 445, net: A4[0] - M };

function tableHeader(c: Ctx) {
  c.page.drawRectangle({ x: M, y: c.y - 4, width: A4[0] - 2 * M, height: 16, color: c.rgb(0.92, 0.92, 0.92) });
  text(c, c.w.lineNo, COLS.no + 2, { bold: true, size: 8 });
  text(c, c.w.name, COLS.name, { bold: true, size: 8 });
  text(c, c.w.quantity, 0, { bold: true, size: 8, right: COLS.qty });
  text(c, c.w.unitPrice, 0, { bold: true, size: 8, right: COLS.price });
  text(c, c.w.vat, 0, { bold: true, size: 8, right: COLS.vat + 20 });
  text(c, c.w.netAmount, 0, { bold: true, size: 8, right: COLS.net });
  c.y -= 18;
}

function ensureRoom(c: Ctx, needed: number) {
  if (c.y - needed > M + 20) return;
  c.page = c.pdf.addPage(A4);
  c.y = A4[1] - M;
  tableHeader(c);
}

/** The printable invoice or credit note: seller, buyer, number, dates, lines, VAT breakdown, totals, in the customer's language. */
export async function renderInvoicePdf(doc: InvoiceDocument, language: InvoiceLanguage = 'ro'): Promise<Uint8Array> {
  const w = pdfWords(language);
  const fmt = formatter(w.separators);
  const [{ PDFDocument, rgb }, { embedDocumentFonts, savePdf }] = await Promise.all([import('pdf-lib'), import('../shared/pdf-fonts.ts')]);
  const pdf = await PDFDocument.create();
  const { regular, bold } = await embedDocumentFonts(pdf);
  const credit = doc.kind === 'credit_note';
  pdf.setTitle(`${credit ? w.creditDocTitle : w.docTitle} ${doc.number}`);
  pdf.setLanguage(language === 'en' ? 'en-GB' : 'ro-RO');
  pdf.setProducer('Expedio');
  pdf.setCreationDate(new Date(`${doc.issueDate}T00:00:00Z`));
  pdf.setModificationDate(new Date(`${doc.issueDate}T00:00:00Z`));
  const c: Ctx = { pdf, page: pdf.addPage(A4), y: A4[1] - M, regular, bold, w, rgb };
  const cur = doc.currency;

  text(c, credit ? w.creditTitle : w.title, M, { bold: true, size: 18 });
  text(c, `${credit ? w.creditNumber : w.number}: ${doc.number}`, 0, { bold: true, size: 11, right: A4[0] - M });
  c.y -= 16;
  text(c, `${w.issueDate}: ${doc.issueDate}`, 0, { right: A4[0] - M });
  c.y -= 12;
  text(c, `${w.dueDate}: ${doc.dueDate}`, 0, { right: A4[0] - M });
  c.y -= 12;
  text(c, `${w.currency}: ${cur}${doc.ronPerUnit ? ` (${w.bnrRate(doc.ronPerUnit)})` : ''}`, 0, { right: A4[0] - M });
  if (doc.credited) {
    c.y -= 12;
    text(c, w.reverses(doc.credited.number, doc.credited.issueDate), 0, { right: A4[0] - M });
  }
  const top = c.y - 24;
  const yl = partyBlock(c, w.seller, doc.seller, M, top);
  const yr = partyBlock(c, w.buyer, doc.buyer, A4[0] / 2 + 10, top);
  c.y = Math.min(yl, yr) - 26;
  if (doc.orderRef) {
    // The stored reference is the e-Factura's ("Comanda #1001"); the label already says what it is.
    text(c, `${w.orderRef}: ${doc.orderRef.replace(/^Comanda\s+/, '')}`, M, { color: grey(c) });
    c.y -= 18;
  }

  tableHeader(c);
  for (const l of doc.lines) {
    ensureRoom(c, 14);
    text(c, String(l.lineNo), COLS.no + 2);
    text(c, `${l.name}${l.sku ? ` (${l.sku})` : ''}`, COLS.name, { maxWidth: COLS.qty - COLS.name - 40 });
    text(c, l.quantity, 0, { right: COLS.qty });
    text(c, fmt(l.netPrice), 0, { right: COLS.price });
    text(c, l.vatCategory === 'S' ? `${l.vatRate.replace(/\.00$/, '')}%` : l.vatCategory, 0, { right: COLS.vat + 20 });
    text(c, fmt(l.netAmount), 0, { right: COLS.net });
    if (l.allowance !== '0.00') {
      c.y -= 11;
      text(c, `${w.discount} −${fmt(l.allowance)}`, COLS.name + 8, { size: 8, color: grey(c) });
    }
    c.y -= 14;
  }

  ensureRoom(c, 40 + doc.vat.length * 12 + 60);
  c.page.drawLine({ start: { x: M, y: c.y + 6 }, end: { x: A4[0] - M, y: c.y + 6 }, thickness: 0.5 });
  c.y -= 10;
  text(c, w.vatBreakdown, M, { bold: true });
  text(c, w.taxable, 0, { bold: true, size: 8, right: 330 });
  text(c, w.vat, 0, { bold: true, size: 8, right: 420 });
  for (const v of doc.vat) {
    c.y -= 12;
    text(c, `${v.vatCategory} ${v.vatCategory === 'O' ? '' : `${v.vatRate.replace(/\.00$/, '')}%`}${v.exemptionReason ? ` — ${w.exemption(v.exemptionReasonCode) ?? v.exemptionReason}` : ''}`, M, { size: 8, maxWidth: 200 });
    text(c, fmt(v.taxableAmount), 0, { right: 330 });
    text(c, fmt(v.taxAmount), 0, { right: 420 });
  }
  c.y -= 24;
  const totals: Array<[string, string, boolean]> = [
    [w.totalNet, `${fmt(doc.totals.taxExclusiveTotal)} ${cur}`, false],
    [w.totalVat, `${fmt(doc.totals.taxTotal)} ${cur}`, false],
    ...(doc.totals.taxTotalRon !== null && cur !== 'RON' ? ([[w.totalVatRon, `${fmt(doc.totals.taxTotalRon)} RON`, false]] as Array<[string, string, boolean]>) : []),
    [credit ? w.refund : w.payable, `${fmt(doc.totals.payableTotal)} ${cur}`, true],
  ];
  for (const [label, value, strong] of totals) {
    text(c, label, 350, { bold: strong, size: strong ? 11 : 9 });
    text(c, value, 0, { bold: strong, size: strong ? 11 : 9, right: A4[0] - M });
    c.y -= strong ? 16 : 13;
  }
  if (doc.awbNumber) {
    c.y -= 8;
    text(c, `AWB: ${doc.awbNumber}${doc.trackingUrl ? `  ·  ${doc.trackingUrl}` : ''}`, M, { color: grey(c), maxWidth: A4[0] - 2 * M });
  }
  return savePdf(pdf);
}
