import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E_INVOICE_STATES } from '../../core/src/invoicing/index.ts';
import { ORDER_STATUSES } from '../../extensions/shared/generated/expedio-api.ts';

/*
 * Every string an extension shows comes from its locales/ (Shopify's convention: en.default.json and
 * one file per language), in English and Romanian alike: the same keys in both, and every key the
 * code asks for present — including the ones built from the core's vocabulary (statuses, e-Factura
 * states, label formats).
 */

const ROOT = join(process.cwd(), 'extensions');
const EXTENSIONS = readdirSync(ROOT, { withFileTypes: true }).filter((d) => d.isDirectory() && readdirSync(join(ROOT, d.name)).includes('shopify.extension.toml')).map((d) => d.name);

const flatten = (o: Record<string, unknown>, prefix = ''): Record<string, string> =>
  Object.fromEntries(
    Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? Object.entries(flatten(v as Record<string, unknown>, `${prefix}${k}.`)) : [[`${prefix}${k}`, String(v)]])),
  );
const locale = (ext: string, file: string) => flatten(JSON.parse(readFileSync(join(ROOT, ext, 'locales', file), 'utf8')));
/** The extensions' own shared modules (extensions/shared in this repository). */
const EXTENSIONS_SHARED = new URL('../../extensions/shared/', import.meta.url).pathname;
const sources = (ext: string) => [join(ROOT, ext, 'src', 'index.tsx'), ...readdirSync(EXTENSIONS_SHARED).filter((f) => f.endsWith('.ts')).map((f) => join(EXTENSIONS_SHARED, f))].map((f) => readFileSync(f, 'utf8')).join('\n');

describe('the extensions’ strings', () => {
  it('finds the three extensions', () => {
    expect(EXTENSIONS.sort()).toEqual(['bulk-ship', 'order-actions', 'order-block']);
  });

  it.each(EXTENSIONS)('%s has the same keys in English and Romanian, none left empty or untranslated placeholders', (ext) => {
    const en = locale(ext, 'en.default.json');
    const ro = locale(ext, 'ro.json');
    expect(Object.keys(ro).sort()).toEqual(Object.keys(en).sort());
    for (const [k, v] of Object.entries(ro)) {
      expect(v.trim(), k).not.toBe('');
      // The same {{placeholders}} in both languages: a missing one would print the raw braces.
      expect([...v.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort(), k).toEqual([...en[k]!.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort());
    }
  });

  it.each(EXTENSIONS)('%s has every key its code asks for, and a name for every order status and e-Factura state', (ext) => {
    const en = locale(ext, 'en.default.json');
    const code = sources(ext);
    const asked = [...code.matchAll(/\bt\('([\w.]+)'/g)].map((m) => m[1]!);
    expect(asked.length).toBeGreaterThan(5);
    // The shared code's keys (errors) too: every extension can show them.
    for (const key of asked) expect(en, key).toHaveProperty([key]);
    for (const s of ORDER_STATUSES) expect(en, s).toHaveProperty([`status.${s}`]);
    for (const s of [...E_INVOICE_STATES, 'none']) expect(en, s).toHaveProperty([`eInvoice.${s}`]);
    for (const f of ['A4', 'A6']) expect(en).toHaveProperty([`format.${f}`]);
    const toml = readFileSync(join(ROOT, ext, 'shopify.extension.toml'), 'utf8');
    for (const m of toml.matchAll(/"t:(\w+)"/g)) expect(en).toHaveProperty([m[1]!]);
  });
});
