import type { PDFDocument, PDFFont, PDFPage } from 'pdf-lib';
import { isPositive } from '../../shared/money.ts';
import type { Money, ShipmentAddress } from '../courier-adapter.ts';

// bwip-js, pdf-lib and the fonts are loaded at the first label, not at start: the core's intake
// path never draws one, and together they are tens of MiB of resident memory.
const bwip = async () => (await import('bwip-js')).default;

export const MM = 72 / 25.4;
/** Thermal label: 100×150 mm. */
export const LABEL_100x150: [number, number] = [100 * MM, 150 * MM];

export interface OwnLabelInput {
  awb: string;
  courierName: string;
  service: string;
  sender: ShipmentAddress;
  recipient: ShipmentAddress;
  weightKg: number;
  parcelIndex?: number;
  parcelCount?: number;
  cod?: Money | null;
  reference?: string;
  contents?: string;
}

/** Code128 of the AWB as PNG (bwip-js), drawn full-width on the label. */
export async function code128Png(text: string): Promise<Uint8Array> {
  const png = await (await bwip()).toBuffer({ bcid: 'code128', text, scale: 3, height: 18, includetext: false });
  return new Uint8Array(png);
}

// Vector bars rather than code128Png(): as sharp as the printer head allows, and no PNG to encode,
// decode and compress again per label (that was a third of a label's time).
function drawCode128(bwipjs: Awaited<ReturnType<typeof bwip>>, rgb: typeof import('pdf-lib').rgb, page: PDFPage, text: string, box: { x: number; y: number; width: number; height: number }): void {
  const [symbol] = bwipjs.raw({ bcid: 'code128', text });
  if (!symbol || !('sbs' in symbol)) throw new Error(`bwip-js returned no bars for code128 ${text}`);
  // Ten modules of quiet zone on each side, inside the box: without them scanners do not find the
  // start of the symbol (the bars would otherwise run up to the label's border line).
  const unit = box.width / (symbol.sbs.reduce((a, b) => a + b, 0) + 20);
  let x = box.x + 10 * unit;
  for (const [i, modules] of symbol.sbs.entries()) {
    if (i % 2 === 0) page.drawRectangle({ x, y: box.y, width: modules * unit, height: box.height, color: rgb(0, 0, 0) });
    x += modules * unit;
  }
}

function wrap(text: string, font: PDFFont, size: number, maxWidth: number, maxLines: number): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    const candidate = line ? `${line} ${w}` : w;
    if (font.widthOfTextAtSize(candidate, size) <= maxWidth) line = candidate;
    else {
      if (line) lines.push(line);
      line = w;
    }
    if (lines.length === maxLines) break;
  }
  if (line && lines.length < maxLines) lines.push(line);
  return lines;
}

const addressLines = (a: ShipmentAddress): string[] =>
  [
    a.company ? `${a.company} — ${a.name}` : a.name,
    a.addressLine,
    [a.postalCode, a.locality, a.county].filter(Boolean).join(', '),
    [a.district, a.countryCode].filter(Boolean).join(', '),
    `Tel ${a.phone}`,
  ].filter((l) => l.trim());

/** Draws one label onto a 100×150 mm page (used alone or as a page of a batch). */
export async function drawOwnLabel(doc: PDFDocument, page: PDFPage, input: OwnLabelInput, fonts: { regular: PDFFont; bold: PDFFont }, barcode?: Uint8Array): Promise<void> {
  const [w, h] = [page.getWidth(), page.getHeight()];
  const m = 4 * MM;
  const { regular, bold } = fonts;
  const { rgb } = await import('pdf-lib');
  const black = rgb(0, 0, 0);
  page.drawRectangle({ x: m / 2, y: m / 2, width: w - m, height: h - m, borderColor: black, borderWidth: 1 });
  // Header: courier and service.
  page.drawText(input.courierName.toUpperCase(), { x: m, y: h - m - 16, size: 16, font: bold });
  page.drawText(input.service, { x: m, y: h - m - 30, size: 10, font: regular });
  const pc = `${input.parcelIndex ?? 1}/${input.parcelCount ?? 1}`;
  page.drawText(pc, { x: w - m - bold.widthOfTextAtSize(pc, 16), y: h - m - 16, size: 16, font: bold });
  // Barcode of the AWB.
  const bw = w - 2 * m;
  const bh = 22 * MM;
  if (barcode) page.drawImage(await doc.embedPng(barcode), { x: m, y: h - m - 40 - bh, width: bw, height: bh });
  else drawCode128(await bwip(), rgb, page, input.awb, { x: m, y: h - m - 40 - bh, width: bw, height: bh });
  const awbText = input.awb;
  page.drawText(awbText, { x: (w - bold.widthOfTextAtSize(awbText, 14)) / 2, y: h - m - 56 - bh, size: 14, font: bold });
  let y = h - m - 72 - bh;
  page.drawLine({ start: { x: m, y }, end: { x: w - m, y }, thickness: 0.8, color: black });
  // Recipient, large.
  y -= 14;
  page.drawText('DESTINATAR / TO', { x: m, y, size: 8, font: bold });
  for (const [i, l] of addressLines(input.recipient).entries()) {
    for (const part of wrap(l, i === 0 ? bold : regular, i === 0 ? 13 : 11, w - 2 * m, 2)) {
      y -= i === 0 ? 15 : 13;
      page.drawText(part, { x: m, y, size: i === 0 ? 13 : 11, font: i === 0 ? bold : regular });
    }
  }
  y -= 10;
  page.drawLine({ start: { x: m, y }, end: { x: w - m, y }, thickness: 0.8, color: black });
  y -= 12;
  page.drawText('EXPEDITOR / FROM', { x: m, y, size: 7, font: bold });
  for (const l of addressLines(input.sender).slice(0, 4)) {
    for (const part of wrap(l, regular, 8, w - 2 * m, 1)) {
      y -= 10;
      page.drawText(part, { x: m, y, size: 8, font: regular });
    }
  }
  // Footer: weight, COD, reference.
  const footY = m + 8;
  page.drawLine({ start: { x: m, y: footY + 34 }, end: { x: w - m, y: footY + 34 }, thickness: 0.8, color: black });
  page.drawText(`Greutate ${input.weightKg.toFixed(2)} kg`, { x: m, y: footY + 18, size: 10, font: regular });
  const cod = input.cod && isPositive(input.cod.amount) ? `RAMBURS ${input.cod.amount} ${input.cod.currency}` : 'FĂRĂ RAMBURS';
  page.drawText(cod, { x: w - m - bold.widthOfTextAtSize(cod, 12), y: footY + 18, size: 12, font: bold });
  if (input.reference) page.drawText(`Ref ${input.reference}`, { x: m, y: footY, size: 8, font: regular });
  if (input.contents) {
    const c = wrap(input.contents, regular, 8, w / 2 - m, 1)[0] ?? '';
    page.drawText(c, { x: w - m - regular.widthOfTextAtSize(c, 8), y: footY, size: 8, font: regular });
  }
}

/** Our own 100×150 mm label for couriers that return none (Bosta here). */
export async function renderOwnLabel(input: OwnLabelInput): Promise<Uint8Array> {
  const [{ PDFDocument }, { embedDocumentFonts, savePdf }] = await Promise.all([import('pdf-lib'), import('../../shared/pdf-fonts.ts')]);
  const doc = await PDFDocument.create();
  // Subsetted: labels are merged by the hundred, and each would otherwise carry both whole fonts.
  const fonts = await embedDocumentFonts(doc, { subset: true });
  const page = doc.addPage(LABEL_100x150);
  await drawOwnLabel(doc, page, input, fonts);
  doc.setTitle(`Label ${input.awb}`);
  return savePdf(doc);
}
