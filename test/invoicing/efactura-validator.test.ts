import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateUblFiles } from '@expedio/efactura-rules';
import { describe, expect, it } from 'vitest';
import { renderUbl } from '../../core/src/invoicing/render-ubl.ts';
import { scenarios } from './scenarios.ts';

/** The official CIUS-RO rules and the UBL 2.1 XSD, run by the project's own runner (tools/efactura). */
const validate = (files: string[]) => validateUblFiles(files, { rules: 'ro', xsd: true });

describe('e-Factura UBL against the official CIUS-RO rules and the UBL 2.1 XSD', () => {
  it('every generated invoice and credit note (at least 15 scenarios) has zero fatal findings', { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'expedio-ubl-'));
    const list = scenarios();
    expect(list.length).toBeGreaterThanOrEqual(15);
    const files = list.map(({ name, doc }) => {
      const f = join(dir, `${name}.xml`);
      writeFileSync(f, renderUbl(doc));
      return f;
    });
    const results = await validate(files);
    const failures = results.filter((r) => r.fatalIds.length > 0).map((r) => `${r.file}: ${r.fatal.map((f) => `[${f.id}] ${f.text.slice(0, 160)}`).join(' | ')}`);
    expect(failures).toEqual([]);
    expect(results).toHaveLength(files.length);
  });

  it('the validator is a real gate: a Bucharest buyer without a sector fails BR-RO-101', { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'expedio-ubl-bad-'));
    const doc = scenarios().find((s) => s.name === 'bucharest-sector-buyer')!.doc;
    const bad = { ...doc, buyer: { ...doc.buyer, city: 'București' } };
    const f = join(dir, 'bad.xml');
    writeFileSync(f, renderUbl(bad));
    const results = await validate([f]);
    expect(results[0]!.fatalIds).toContain('BR-RO-101');
  });
});
