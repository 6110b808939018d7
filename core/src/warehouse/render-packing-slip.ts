import type { PDFFont, PDFPage } from 'pdf-lib';
import type { Db } from '../db/connect.ts';
import { getPackingList, type PackingList } from './packing-lists.ts';

function addressLines(a: Record<string, unknown> | null): string[] {
  if (!a) return ['—'];
  const s = (k: string) => (typeof a[k] === 'string' && a[k] ? String(a[k]) : '');
  return [
    [s('firstName'), s('lastName')].filter(Boolean).join(' '),
    s('company'),
    s('address1'),
    s('address2'),
    [s('postcode'), s('city')].filter(Boolean).join(' '),
    [s('province'), s('country')].filter(Boolean).join(', '),
    s('phone'),
  ].filter(Boolean);
}

/** Cuts text to a width so a long product name never runs into the next column. */
function fit(text: string, font: PDFFont, size: number, width: number): string {
  if (font.widthOfTextAtSize(text, size) <= width) return text;
  let t = text;
  while (t.length > 1 && font.widthOfTextAtSize(`${t}…`, size) > width) t = t.slice(0, -1);
  return `${t}…`;
}

/** The packing slip that goes in the parcel: order, address, lines, parcels (A4, Unicode font). */
export async function renderPackingSlip(db: Db, tenantId: string, packingListId: string): Promise<Uint8Array> {
  return renderPackingSlipPdf(await getPackingList(db, tenantId, packingListId));
}

export async function renderPackingSlipPdf(pl: PackingList): Promise<Uint8Array> {
  // Loaded on first use: the outbox worker imports this area and must not pay for pdf-lib per job run.
  const [{ PDFDocument, rgb }, { embedDocumentFonts, savePdf }] = await Promise.all([import('pdf-lib'), import('../shared/pdf-fonts.ts')]);
  const doc = await PDFDocument.create();
  const { regular, bold } = await embedDocumentFonts(doc);
  doc.setTitle(`Packing slip ${pl.id}`);
  doc.setCreator('Expedio');
  const A4: [number, number] = [595.28, 841.89];
  const margin = 48;
  let page: PDFPage = doc.addPage(A4);
  let y = A4[1] - margin;
  const text = (t: string, x: number, size = 10, font = regular) => page.drawText(t, { x, y, size, font, color: rgb(0.1, 0.1, 0.1) });
  const newPageIfNeeded = (room: number) => {
    if (y - room < margin) {
      page = doc.addPage(A4);
      y = A4[1] - margin;
    }
  };

  text('Packing slip · Aviz de însoțire', margin, 18, bold);
  y -= 26;
  text(`Packing list ${pl.id} · delivery note ${pl.deliveryNoteId} · order ${pl.orderNumber ?? pl.orderId} · ${pl.type === 'partial' ? 'partial shipment' : 'complete shipment'}`, margin, 10);
  y -= 14;
  text(`Courier: ${pl.courier ?? '—'}${pl.service ? ` (${pl.service})` : ''} · ${pl.parcels.length} parcel(s)`, margin, 10);
  y -= 26;
  text('Ship to · Destinatar', margin, 11, bold);
  y -= 15;
  for (const line of addressLines(pl.deliveryAddress)) {
    text(line, margin, 10);
    y -= 13;
  }
  y -= 14;

  const cols = { sku: margin, name: margin + 110, qty: A4[0] - margin - 40 };
  text('SKU', cols.sku, 10, bold);
  text('Product · Produs', cols.name, 10, bold);
  text('Qty', cols.qty, 10, bold);
  y -= 6;
  page.drawLine({ start: { x: margin, y }, end: { x: A4[0] - margin, y }, thickness: 0.8, color: rgb(0.4, 0.4, 0.4) });
  y -= 14;
  for (const l of pl.lines) {
    newPageIfNeeded(20);
    text(fit(l.sku ?? '', regular, 10, 104), cols.sku, 10);
    text(fit(l.name, regular, 10, cols.qty - cols.name - 12), cols.name, 10);
    text(String(l.quantity), cols.qty, 10);
    y -= 15;
  }
  y -= 14;
  newPageIfNeeded(30 + pl.parcels.length * 14);
  text('Parcels · Colete', margin, 11, bold);
  y -= 15;
  const m = (v: number | null, unit: string) => (v === null ? '—' : `${v} ${unit}`);
  for (const [i, p] of pl.parcels.entries()) {
    text(`${i + 1}. ${m(p.weightKg, 'kg')} · ${m(p.lengthCm, 'cm')} × ${m(p.widthCm, 'cm')} × ${m(p.heightCm, 'cm')}`, margin, 10);
    y -= 14;
  }
  return savePdf(doc);
}
