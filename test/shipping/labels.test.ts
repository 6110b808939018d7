import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { labelFormatOf, mergeLabels } from '../../core/src/shipping/labels/merge-labels.ts';
import { MM, type OwnLabelInput, renderOwnLabel } from '../../core/src/shipping/labels/own-label.ts';
import { fakeLabelPdf } from '../fakes/couriers/fake-courier-base.ts';

const input: OwnLabelInput = {
  awb: '5108002',
  courierName: 'Bosta',
  service: 'Deliver (10)',
  sender: { name: 'Depozit CLJ1', phone: '+40 264 000 000', countryCode: 'RO', locality: 'Cluj-Napoca', county: 'Cluj', addressLine: 'Str. Fabricii 1' },
  recipient: { name: 'Ștefan Țărănescu', phone: '01000000000', countryCode: 'EG', locality: 'Cairo', district: 'Nasr City', addressLine: '12 Example Street, Nasr City, building 12, floor 3' },
  weightKg: 1.25,
  cod: { amount: '615.00', currency: 'EGP' },
  reference: 'PL-42-1',
  contents: 'T-shirt ×2',
};

describe('labels', () => {
  it('renders our own label as one 100×150 mm PDF page with the Unicode names embedded', async () => {
    const pdf = await renderOwnLabel(input);
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getPage(0).getWidth() / MM).toBeCloseTo(100, 1);
    expect(doc.getPage(0).getHeight() / MM).toBeCloseTo(150, 1);
    expect(await labelFormatOf(pdf)).toBe('A6');
    mkdirSync('test/artifacts', { recursive: true });
    writeFileSync('test/artifacts/own-label.pdf', pdf);
    execFileSync('pdftoppm', ['-png', '-r', '100', '-singlefile', 'test/artifacts/own-label.pdf', 'test/artifacts/own-label']);
    const text = execFileSync('pdftotext', ['test/artifacts/own-label.pdf', '-']).toString();
    expect(text).toContain('Ștefan Țărănescu');
    expect(text).toContain('RAMBURS 615.00 EGP');
    expect(text).toContain('5108002');
  });

  it('merges N label PDFs into one, reporting progress per label', async () => {
    const a = await renderOwnLabel(input);
    const b = await fakeLabelPdf('1SDY1', 'A4');
    const progress: number[] = [];
    const merged = await mergeLabels([a, b, a], (p) => progress.push(p.done));
    expect((await PDFDocument.load(merged)).getPageCount()).toBe(3);
    expect(progress).toEqual([1, 2, 3]);
  });

  it('puts four thermal labels on one A4 sheet and scales A4 labels onto 100×150 for thermal printers', async () => {
    const a6 = await renderOwnLabel(input);
    const a4 = await fakeLabelPdf('X', 'A4');
    const sheet = await PDFDocument.load(await mergeLabels([a6, a6, a6, a6, a6], undefined, { target: 'A4' }));
    expect(sheet.getPageCount()).toBe(2);
    expect(Math.round(sheet.getPage(0).getWidth())).toBe(595);
    const thermal = await PDFDocument.load(await mergeLabels([a4], undefined, { target: 'A6' }));
    expect(thermal.getPage(0).getWidth() / MM).toBeCloseTo(100, 1);
  });
});
