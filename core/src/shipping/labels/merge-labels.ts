import type { PDFDocument } from 'pdf-lib';
import type { LabelFormat } from '../courier-adapter.ts';
import { LABEL_100x150, MM } from './own-label.ts';

export interface MergeProgress {
  done: number;
  total: number;
}

export interface MergeOptions {
  /**
   * A6: every page lands on a 100×150 mm page (thermal printers), scaled to fit and centred.
   * A4: thermal-size pages are placed four to a sheet; A4 pages pass through.
   * Absent: pages are copied as they are.
   */
  target?: LabelFormat;
}

const A4: [number, number] = [595.28, 841.89];
const isA4Like = (w: number, h: number) => Math.min(w, h) > 150 * MM;

/** Merges N label PDFs into one, reporting progress after each input document. */
export async function mergeLabels(
  pdfs: Uint8Array[],
  onProgress?: (p: MergeProgress) => void,
  opts: MergeOptions = {},
): Promise<Uint8Array> {
  const { PDFDocument } = await import('pdf-lib'); // on first use: pdf-lib is off the intake path
  const out = await PDFDocument.create();
  const total = pdfs.length;
  if (!opts.target) {
    for (const [i, bytes] of pdfs.entries()) {
      const src = await PDFDocument.load(bytes);
      const pages = await out.copyPages(src, src.getPageIndices());
      for (const p of pages) out.addPage(p);
      onProgress?.({ done: i + 1, total });
    }
    return out.save({ useObjectStreams: true });
  }
  let sheet: ReturnType<PDFDocument['addPage']> | null = null;
  let slot = 0;
  for (const [i, bytes] of pdfs.entries()) {
    const src = await PDFDocument.load(bytes);
    const embedded = await out.embedPdf(src, src.getPageIndices());
    for (const page of embedded) {
      if (opts.target === 'A6') {
        const [W, H] = LABEL_100x150;
        const s = Math.min(W / page.width, H / page.height);
        const p = out.addPage([W, H]);
        p.drawPage(page, { x: (W - page.width * s) / 2, y: (H - page.height * s) / 2, xScale: s, yScale: s });
      } else if (isA4Like(page.width, page.height)) {
        const s = Math.min(A4[0] / page.width, A4[1] / page.height);
        out.addPage(A4).drawPage(page, { x: 0, y: A4[1] - page.height * s, xScale: s, yScale: s });
        sheet = null;
      } else {
        if (!sheet || slot === 4) {
          sheet = out.addPage(A4);
          slot = 0;
        }
        const cw = A4[0] / 2;
        const ch = A4[1] / 2;
        const s = Math.min(cw / page.width, ch / page.height);
        const col = slot % 2;
        const row = Math.floor(slot / 2);
        sheet.drawPage(page, { x: col * cw + (cw - page.width * s) / 2, y: A4[1] - (row + 1) * ch + (ch - page.height * s) / 2, xScale: s, yScale: s });
        slot++;
      }
    }
    onProgress?.({ done: i + 1, total });
  }
  return out.save({ useObjectStreams: true });
}

/** A4 or A6 class of a label PDF, from its first page. */
export async function labelFormatOf(pdf: Uint8Array): Promise<LabelFormat> {
  const { PDFDocument } = await import('pdf-lib');
  const doc = await PDFDocument.load(pdf);
  const p = doc.getPage(0);
  return isA4Like(p.getWidth(), p.getHeight()) ? 'A4' : 'A6';
}
