import { describe, expect, it } from 'vitest';
import { selfTest } from './validate-ubl.ts';

describe('the e-Factura rule runner', () => {
  it('gives every official example exactly the fatal findings expected.json lists (CIUS-RO and EN 16931, with the XSD)', { timeout: 300_000 }, async () => {
    expect(await selfTest()).toEqual([]);
  });
});

describe('the XSD check of a batch', () => {
  it('gives each file its own XSD findings: an invalid file and one with a control character among valid ones', { timeout: 300_000 }, async () => {
    const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { validateUblFiles } = await import('./validate-ubl.ts');
    const ex = (p: string) => new URL(`./examples/${p}`, import.meta.url).pathname;
    const dir = mkdtempSync(join(tmpdir(), 'efactura-batch-'));
    const control = join(dir, 'control-char.xml');
    writeFileSync(control, readFileSync(ex('ro-valid/minimal-ro-invoice.xml'), 'utf8').replace(/<cbc:Name>([^<]*)<\/cbc:Name>/, '<cbc:Name>$1&#x7;</cbc:Name>'));
    const files = [ex('ro-valid/minimal-ro-invoice.xml'), ex('invalid/ro1_xsd_unexpected_element.xml'), ex('ro-valid/ro_ubl_b2g_example1.xml'), control, ex('ro-valid/anaf_creditNote_ex_cius101.xml')];
    const xsd = (await validateUblFiles(files, { rules: 'ro', xsd: true })).map((r) => r.fatal.some((f) => f.id === 'XSD'));
    expect(xsd).toEqual([false, true, false, true, false]);
  });
});
