import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { embedDocumentFonts, safeText, savePdf } from './pdf-fonts.ts';

const ROMANIAN = 'ăâîșț ĂÂÎȘȚ';
const PRINTED = `${ROMANIAN} € £ $ ¥ – — „ghilimele” ‘x’ … • · × ÷ − ≤ ≥ → ← ↓ ✓ ° § © ® № ™ ß ü ö é ç ñ ł ő`;
const dir = mkdtempSync(join(tmpdir(), 'pdf-fonts-'));

async function documentWith(lines: string[], opts: { subset?: boolean } = {}) {
  const pdf = await PDFDocument.create();
  const { regular, bold } = await embedDocumentFonts(pdf, opts);
  const page = pdf.addPage([595.28, 841.89]);
  for (const [i, line] of lines.entries()) page.drawText(line, { x: 40, y: 800 - i * 16, size: 10, font: i % 2 ? bold : regular });
  return { pdf, page, bytes: await savePdf(pdf) };
}

function extract(bytes: Uint8Array, name: string): string {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', file, '-']).toString();
}

describe('ExpedioSans font files', () => {
  for (const [file, postscript] of [
    ['ExpedioSans-Regular.ttf', 'ExpedioSans-Regular'],
    ['ExpedioSans-Bold.ttf', 'ExpedioSans-Bold'],
  ] as const) {
    it(`${file} is renamed away from the Bitstream Vera names and draws every character our documents print`, () => {
      const font = fontkit.create(readFileSync(new URL(`../../assets/fonts/${file}`, import.meta.url))) as unknown as {
        familyName: string;
        postscriptName: string;
        fullName: string;
        hasGlyphForCodePoint(cp: number): boolean;
        numGlyphs: number;
      };
      expect(font.postscriptName).toBe(postscript);
      expect(font.familyName).toBe('ExpedioSans');
      for (const name of [font.familyName, font.postscriptName, font.fullName]) expect(name).not.toMatch(/Bitstream|Vera|DejaVu/);
      const missing = [...PRINTED.replace(/\s/g, '')].filter((ch) => !font.hasGlyphForCodePoint(ch.codePointAt(0)!));
      expect(missing).toEqual([]);
      // Comma-below, not cedilla: U+0218..U+021B are the letters Romanian orthography uses.
      for (const cp of [0x0218, 0x0219, 0x021a, 0x021b]) expect(font.hasGlyphForCodePoint(cp)).toBe(true);
      expect(font.numGlyphs).toBeLessThan(800);
    });
  }
});

describe('safeText', () => {
  it('keeps what the font draws, composes decomposed Romanian letters, and replaces the rest with ?', () => {
    expect(safeText('Plain ASCII 123')).toBe('Plain ASCII 123');
    expect(safeText(PRINTED)).toBe(PRINTED);
    expect(safeText('s\u0326t\u0326 a\u0306')).toBe('șț ă');
    expect(safeText('محمد 王 😀 Ω')).toBe('???? ? ? ?');
    expect(safeText('a\tb\rc\u200bd\u00ade')).toBe('a b cde');
  });
});

describe('embedDocumentFonts', () => {
  it('embeds both whole fonts once and extracts the printed text exactly, also in a second document', async () => {
    for (const run of ['first', 'second']) {
      const { bytes } = await documentWith([`Factură ${run}`, PRINTED]);
      const text = extract(bytes, `whole-${run}`);
      expect(text).toContain(`Factură ${run}`);
      expect(text).toContain(PRINTED);
      const fonts = execFileSync('pdffonts', [join(dir, `whole-${run}.pdf`)]).toString();
      expect(fonts).toMatch(/ExpedioSans-Regular\s+CID TrueType\s+Identity-H\s+yes\s+no\s+yes/);
      expect(fonts).toMatch(/ExpedioSans-Bold\s+CID TrueType\s+Identity-H\s+yes\s+no\s+yes/);
      expect(bytes.length).toBeLessThan(100_000);
    }
  });

  it('subsets on request, for documents merged by the hundred, with the same text', async () => {
    const { bytes } = await documentWith(['Etichetă AWB', PRINTED], { subset: true });
    expect(extract(bytes, 'subset')).toContain(PRINTED);
    expect(bytes.length).toBeLessThan(30_000);
  });

  it('draws characters outside the font as ? instead of failing or leaving text-less boxes', async () => {
    const { bytes } = await documentWith(['Destinatar: محمد علي 王伟 😀', 'Ștefan Țărănescu']);
    const text = extract(bytes, 'fallback');
    expect(text).toContain('Destinatar: ???? ??? ?? ?');
    expect(text).toContain('Ștefan Țărănescu');
  });

  it('measures text through the same fallback, so a ? is as wide as a drawn ?', async () => {
    const pdf = await PDFDocument.create();
    const { regular } = await embedDocumentFonts(pdf);
    expect(regular.widthOfTextAtSize('王', 10)).toBeCloseTo(regular.widthOfTextAtSize('?', 10), 6);
  });

  it('names each font once in a page resources however many texts the page draws', async () => {
    const { page } = await documentWith(Array.from({ length: 40 }, (_, i) => `rândul ${i}`));
    const fonts = page.node.Resources()?.lookup(PDFName.of('Font'), PDFDict);
    expect(fonts?.keys().length).toBe(2);
  });
});
