import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderUbl } from '../../core/src/invoicing/render-ubl.ts';
import { scenarios } from './scenarios.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

interface Finding {
  file: string;
  fatalIds: string[];
  fatal: Array<{ id: string; text: string }>;
}

/** Runs the official validator (CIUS-RO rules + UBL 2.1 XSD) once over all files. */
function validate(files: string[]): Promise<{ code: number; results: Finding[]; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, '../shared/efactura/validate.mjs'), '--xsd', '--json', ...files],
      {
        cwd: ROOT,
        env: { ...process.env, EFACTURA_NODE_MODULES: join(ROOT, 'test'), EFACTURA_SEF_CACHE: join(tmpdir(), 'efactura-sef-cache') },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 240_000,
      },
      (err, stdout, stderr) => {
        let results: Finding[] = [];
        try {
          results = JSON.parse(stdout) as Finding[];
        } catch {}
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, results, stderr });
      },
    );
  });
}

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
    const { code, results, stderr } = await validate(files);
    const failures = results.filter((r) => r.fatalIds.length > 0).map((r) => `${r.file}: ${r.fatal.map((f) => `[${f.id}] ${f.text.slice(0, 160)}`).join(' | ')}`);
    expect(failures, stderr).toEqual([]);
    expect(results).toHaveLength(files.length);
    expect(code).toBe(0);
  });

  it('the validator is a real gate: a Bucharest buyer without a sector fails BR-RO-101', { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'expedio-ubl-bad-'));
    const doc = scenarios().find((s) => s.name === 'bucharest-sector-buyer')!.doc;
    const bad = { ...doc, buyer: { ...doc.buyer, city: 'București' } };
    const f = join(dir, 'bad.xml');
    writeFileSync(f, renderUbl(bad));
    const { code, results } = await validate([f]);
    expect(code).toBe(1);
    expect(results[0]!.fatalIds).toContain('BR-RO-101');
  });
});
