import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import fontkit from '@pdf-lib/fontkit';
import { PDFContentStream, PDFContext, type PDFDocument, type PDFFont, PDFName, type PDFObject, type PDFPage, PDFRawStream, type PDFRef } from 'pdf-lib';

// ExpedioSans is DejaVu Sans cut down once, by scripts/build-fonts.sh, to what our documents print
// (Latin, ă â î ș ț, punctuation, currency, arrows): pdf-lib then embeds it whole instead of
// subsetting a 700 KB font for every document, which cost most of the time of an invoice or label.
const FONT_DIR = new URL('../../assets/fonts/', import.meta.url);

interface FontkitGlyph {
  id: number;
  advanceWidth: number;
  codePoints: number[];
}
interface FontkitFont {
  characterSet: number[];
  layout(text: string, features?: unknown): { glyphs: FontkitGlyph[] };
}

interface FontFile {
  name: string;
  bytes: Uint8Array;
  font: FontkitFont;
}

let files: { regular: FontFile; bold: FontFile; drawable: Set<number> } | null = null;

function load(): NonNullable<typeof files> {
  if (files) return files;
  const read = (name: string): FontFile => {
    const bytes = new Uint8Array(readFileSync(new URL(`${name}.ttf`, FONT_DIR)));
    return { name, bytes, font: memoizeLayout(fontkit.create(bytes) as unknown as FontkitFont) };
  };
  const regular = read('ExpedioSans-Regular');
  const bold = read('ExpedioSans-Bold');
  const inBold = new Set(bold.font.characterSet);
  files = { regular, bold, drawable: new Set(regular.font.characterSet.filter((c) => inBold.has(c))) };
  return files;
}

// Laying out text is the main remaining cost of drawing; labels and most cell texts repeat from one
// document to the next, and pdf-lib only reads a run's glyph ids and advances, so runs are reused.
function memoizeLayout(font: FontkitFont): FontkitFont {
  const original = font.layout.bind(font);
  const runs = new Map<string, { glyphs: FontkitGlyph[] }>();
  font.layout = (text, features) => {
    const key = features === undefined ? text : `${text}\u0000${JSON.stringify(features)}`;
    let run = runs.get(key);
    if (run === undefined) {
      if (runs.size >= 20_000) runs.clear();
      run = original(text, features);
      runs.set(key, run);
    }
    return run;
  };
  return font;
}

// pdf-lib asks its fontkit to parse the bytes for every document; ours are parsed once (fontkit
// fonts are read-only after parsing) and handed back by identity.
const sharedFontkit = {
  create(data: Uint8Array) {
    const f = load();
    if (data === f.regular.bytes) return f.regular.font;
    if (data === f.bold.bytes) return f.bold.font;
    return fontkit.create(data);
  },
} as unknown as typeof fontkit;

const PLAIN = /^[\x20-\x7e\n]*$/;

/**
 * Text as ExpedioSans can draw it: NFC-composed (a decomposed "s + comma below" becomes ș), tabs and
 * other control characters as spaces, and any character outside the font as '?', so a buyer's name
 * in a script we do not ship prints as question marks instead of invisible boxes with no text.
 */
export function safeText(text: string): string {
  if (PLAIN.test(text)) return text;
  const { drawable } = load();
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x200b || cp === 0xfeff || cp === 0xad) continue; // zero-width space, BOM, soft hyphen: meant to be invisible
    if (ch === '\n' || drawable.has(cp)) out += ch;
    else if (cp < 0x20 || cp === 0x7f || cp === 0x85) out += ' ';
    else out += '?';
  }
  return out;
}

export interface DocumentFonts {
  regular: PDFFont;
  bold: PDFFont;
}

// The parts of pdf-lib's (private) custom font embedder that only depend on the font file: the
// font program, and since the whole font is embedded, the width array and ToUnicode map too.
interface PdfLibContext {
  stream(contents: Uint8Array, dict?: Record<string, unknown>): unknown;
  register(object: unknown): unknown;
}
interface PdfLibEmbedder {
  embedFontStream(context: PdfLibContext): Promise<unknown>;
  embedUnicodeCmap(context: PdfLibContext): unknown;
  computeWidths(): unknown;
}

const compressed = new Map<string, { font: Uint8Array; cmap: Uint8Array | null; widths: PDFObject | null }>();

function reuseFontObjects(pdfFont: PDFFont, file: FontFile) {
  const embedder = (pdfFont as unknown as { embedder: PdfLibEmbedder }).embedder;
  let cached = compressed.get(file.name);
  if (!cached) {
    cached = { font: deflateSync(file.bytes, { level: 9 }), cmap: null, widths: null };
    compressed.set(file.name, cached);
  }
  const c = cached;
  embedder.embedFontStream = async (context) => context.register(context.stream(c.font, { Filter: 'FlateDecode', Length1: file.bytes.length }));
  const ownCmap = embedder.embedUnicodeCmap.bind(embedder);
  embedder.embedUnicodeCmap = (context) => {
    if (!c.cmap) {
      // pdf-lib builds the CMap text and hands it to flateStream(); catch it once and keep it.
      let text = '';
      ownCmap({
        flateStream: (contents: string) => {
          text = contents;
        },
        register: () => null,
      } as unknown as PdfLibContext);
      c.cmap = deflateSync(text, { level: 9 });
    }
    return context.register(context.stream(c.cmap, { Filter: 'FlateDecode' }));
  };
  const ownWidths = embedder.computeWidths.bind(embedder);
  // Returned as a finished PDF array (pdf-lib passes PDF objects through as they are), so the
  // ~600 widths are not converted to PDF numbers again for every document.
  embedder.computeWidths = () => (c.widths ??= PDFContext.create().obj(ownWidths() as number[]));
}

/**
 * Embeds ExpedioSans regular and bold into a document and makes both fonts draw and measure through
 * safeText(), so no caller can put an undrawable character on the page. Whole fonts by default
 * (about 60 KB per document, no per-document subsetting: an invoice renders in ~2.5 ms instead of
 * ~7 ms); `subset: true` for documents merged by the hundred (labels), where each copy of the
 * whole fonts would add up (~10 KB per label instead of ~75 KB, for ~4 ms more).
 */
export async function embedDocumentFonts(pdf: PDFDocument, opts: { subset?: boolean } = {}): Promise<DocumentFonts> {
  const f = load();
  pdf.registerFontkit(sharedFontkit);
  const embed = async (file: FontFile) => {
    const font = await pdf.embedFont(file.bytes, opts.subset ? { subset: true } : { subset: false, customName: file.name });
    if (!opts.subset) reuseFontObjects(font, file);
    const encodeText = font.encodeText.bind(font);
    const widthOfTextAtSize = font.widthOfTextAtSize.bind(font);
    font.encodeText = (text) => encodeText(safeText(text));
    font.widthOfTextAtSize = (text, size) => widthOfTextAtSize(safeText(text), size);
    return font;
  };
  const [regular, bold] = await Promise.all([embed(f.regular), embed(f.bold)]);
  const addPage = pdf.addPage.bind(pdf);
  pdf.addPage = (...args: Parameters<PDFDocument['addPage']>) => reuseFontKeys(addPage(...args));
  return { regular, bold };
}

// pdf-lib 1.17 adds a fresh resource name for the font on every drawText (two when it restores the
// page's previous font), each one a linear search through the growing dictionary; one per font is
// all a page needs.
function reuseFontKeys(page: PDFPage): PDFPage {
  const node = page.node;
  const add = node.newFontDictionary.bind(node);
  const keys = new Map<PDFRef, PDFName>();
  node.newFontDictionary = (tag, ref) => {
    let key = keys.get(ref);
    if (!key) {
      key = add(tag, ref);
      keys.set(ref, key);
    }
    return key;
  };
  return page;
}

const FLATE = PDFName.of('FlateDecode');
const FILTER = PDFName.of('Filter');

/**
 * pdf.save() with the page content streams compressed by Node's zlib instead of pdf-lib's
 * JavaScript deflate (several times slower, and a fifth of an invoice's time). Call it last: the
 * pages' content streams are replaced, so nothing can be drawn on the document afterwards.
 */
export async function savePdf(pdf: PDFDocument): Promise<Uint8Array> {
  for (const [ref, object] of pdf.context.enumerateIndirectObjects()) {
    if (object instanceof PDFContentStream && object.dict.get(FILTER) === FLATE) {
      pdf.context.assign(ref, PDFRawStream.of(object.dict, deflateSync(object.getUnencodedContents())));
    }
  }
  // objectsPerTick: pdf-lib otherwise yields to the event loop (a timer tick) every 50 objects.
  return pdf.save({ useObjectStreams: false, objectsPerTick: Number.POSITIVE_INFINITY });
}
