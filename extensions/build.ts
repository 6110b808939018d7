/*
 * Bundles each admin UI extension (every folder here with a shopify.extension.toml) the way the
 * Shopify CLI does: one ES module per target, Preact's automatic JSX, everything inlined. The core's
 * address is fixed at build time (EXPEDIO_CORE_URL). Shopify limits an extension bundle to 64 KB,
 * so a bigger one fails the build.
 * Run: node extensions/build.ts   (the suite does; the render tests call buildExtensions themselves)
 */
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const HERE = dirname(fileURLToPath(import.meta.url));
const MAX_BUNDLE_BYTES = 64 * 1024;

export interface BuiltExtension {
  /** The folder under extensions/ (order-actions, order-block, bulk-ship). */
  name: string;
  handle: string;
  target: string;
  /** The bundle's path. */
  file: string;
  bytes: number;
}

/** The extensions' folders, handles and targets, read from their shopify.extension.toml. */
export function extensionSpecs(): Array<{ name: string; dir: string; handle: string; target: string; module: string }> {
  return readdirSync(HERE)
    .filter((name) => existsSync(join(HERE, name, 'shopify.extension.toml')))
    .sort()
    .map((name) => {
      const toml = readFileSync(join(HERE, name, 'shopify.extension.toml'), 'utf8');
      const field = (key: string) => {
        const m = new RegExp(`^\\s*${key}\\s*=\\s*"([^"]+)"`, 'm').exec(toml);
        if (!m) throw new Error(`extensions/${name}/shopify.extension.toml has no ${key}`);
        return m[1]!;
      };
      return { name, dir: join(HERE, name), handle: field('handle'), target: field('target'), module: field('module') };
    });
}

export async function buildExtensions(o: { coreUrl?: string; outdir?: string } = {}): Promise<BuiltExtension[]> {
  const coreUrl = o.coreUrl ?? process.env.EXPEDIO_CORE_URL ?? 'https://core.expedio.example';
  const built: BuiltExtension[] = [];
  for (const spec of extensionSpecs()) {
    const file = join(o.outdir ? resolve(o.outdir) : join(spec.dir, 'dist'), `${spec.handle}.js`);
    await build({
      entryPoints: [join(spec.dir, spec.module)],
      outfile: file,
      bundle: true,
      format: 'esm',
      target: 'es2020',
      minify: true,
      jsx: 'automatic',
      jsxImportSource: 'preact',
      define: { EXPEDIO_CORE_URL: JSON.stringify(coreUrl) },
      legalComments: 'none',
      logLevel: 'warning',
    });
    const bytes = statSync(file).size;
    if (bytes > MAX_BUNDLE_BYTES) throw new Error(`${spec.handle} is ${bytes} bytes; Shopify refuses extension bundles over 64 KB`);
    built.push({ name: spec.name, handle: spec.handle, target: spec.target, file, bytes });
  }
  return built;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const b of await buildExtensions()) console.log(`${b.target}: ${b.file} (${(b.bytes / 1024).toFixed(1)} KB)`);
}
