import { fromUnits, toUnits } from '../shared/money.ts';
import type { CourierCode } from './courier-adapter.ts';

export interface ManifestShipment {
  awb: string;
  reference: string;
  recipientName: string;
  locality: string;
  parcels: number;
  weightKg: number;
  /** Decimal string or null. */
  codAmount: string | null;
  codCurrency?: string | null;
}

export interface HandoverManifestInput {
  courier: CourierCode;
  courierName?: string;
  warehouse: { code: string; name: string; address?: string };
  /** yyyy-mm-dd */
  day: string;
  shipments: ManifestShipment[];
  generatedAt: Date;
}

const A4: [number, number] = [595.28, 841.89];

/** Hand-over manifest (courier × warehouse × day) as an A4 PDF: one row per AWB, totals, signatures. */
export async function renderHandoverManifest(input: HandoverManifestInput): Promise<Uint8Array> {
  // Loaded on first use: pdf-lib and the fonts are off the core's intake path.
  const [{ PDFDocument, rgb }, { embedDocumentFonts, savePdf }] = await Promise.all([import('pdf-lib'), import('../shared/pdf-fonts.ts')]);
  const doc = await PDFDocument.create();
  const { regular, bold } = await embedDocumentFonts(doc);
  const m = 36;
  const cols = [
    { title: '#', x: m, w: 22 },
    { title: 'AWB', x: m + 22, w: 110 },
    { title: 'Ref', x: m + 132, w: 80 },
    { title: 'Destinatar', x: m + 212, w: 130 },
    { title: 'Localitate', x: m + 342, w: 80 },
    { title: 'Col.', x: m + 422, w: 25 },
    { title: 'Kg', x: m + 447, w: 35 },
    { title: 'Ramburs', x: m + 482, w: 41 },
  ];
  const fit = (t: string, w: number, size: number) => {
    let s = t;
    while (s.length > 1 && regular.widthOfTextAtSize(s, size) > w - 3) s = s.slice(0, -1);
    return s === t ? s : `${s.slice(0, -1)}…`;
  };
  let page = doc.addPage(A4);
  let y = A4[1] - m;
  const header = () => {
    page.drawText(`Proces-verbal de predare / Hand-over manifest — ${input.courierName ?? input.courier}`, { x: m, y, size: 13, font: bold });
    y -= 18;
    page.drawText(`Depozit ${input.warehouse.code} ${input.warehouse.name}${input.warehouse.address ? `, ${input.warehouse.address}` : ''} · Ziua ${input.day}`, { x: m, y, size: 9, font: regular });
    y -= 18;
    for (const c of cols) page.drawText(c.title, { x: c.x, y, size: 8, font: bold });
    y -= 4;
    page.drawLine({ start: { x: m, y }, end: { x: A4[0] - m, y }, thickness: 0.7, color: rgb(0, 0, 0) });
    y -= 11;
  };
  header();
  let parcels = 0;
  let weight = 0;
  const cod = new Map<string, bigint>();
  for (const [i, s] of input.shipments.entries()) {
    if (y < m + 90) {
      page = doc.addPage(A4);
      y = A4[1] - m;
      header();
    }
    const cells = [String(i + 1), s.awb, s.reference, s.recipientName, s.locality, String(s.parcels), s.weightKg.toFixed(2), s.codAmount ? s.codAmount : '—'];
    for (const [k, t] of cells.entries()) page.drawText(fit(t, cols[k]!.w, 8), { x: cols[k]!.x, y, size: 8, font: regular });
    y -= 12;
    parcels += s.parcels;
    weight += s.weightKg;
    if (s.codAmount) {
      const cur = s.codCurrency ?? 'RON';
      cod.set(cur, (cod.get(cur) ?? 0n) + toUnits(s.codAmount));
    }
  }
  y -= 6;
  page.drawLine({ start: { x: m, y }, end: { x: A4[0] - m, y }, thickness: 0.7, color: rgb(0, 0, 0) });
  y -= 14;
  const codText = [...cod].map(([c, u]) => `${fromUnits(u)} ${c}`).join(', ') || '0';
  page.drawText(`Total: ${input.shipments.length} AWB · ${parcels} colete · ${weight.toFixed(2)} kg · ramburs ${codText}`, { x: m, y, size: 10, font: bold });
  y -= 40;
  page.drawText('Predat (depozit): ____________________', { x: m, y, size: 10, font: regular });
  page.drawText('Primit (curier): ____________________', { x: A4[0] / 2 + 10, y, size: 10, font: regular });
  y -= 14;
  page.drawText(`Generat ${input.generatedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC`, { x: m, y, size: 7, font: regular });
  const pages = doc.getPages();
  for (const [i, p] of pages.entries()) p.drawText(`${i + 1}/${pages.length}`, { x: A4[0] - m - 20, y: m / 2, size: 8, font: regular });
  return savePdf(doc);
}
