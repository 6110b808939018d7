import { readFile } from 'node:fs/promises';

const FONT_DIR = new URL('../../../assets/fonts/', import.meta.url);
let cache: Promise<{ regular: Uint8Array; bold: Uint8Array }> | null = null;

/** DejaVu Sans (Unicode: ă â î ș ț and Arabic-script names fall back to boxes, never crash). */
export function labelFonts(): Promise<{ regular: Uint8Array; bold: Uint8Array }> {
  cache ??= (async () => ({
    regular: new Uint8Array(await readFile(new URL('DejaVuSans.ttf', FONT_DIR))),
    bold: new Uint8Array(await readFile(new URL('DejaVuSans-Bold.ttf', FONT_DIR))),
  }))();
  return cache;
}
