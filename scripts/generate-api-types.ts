import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_TYPES_FILES, renderApiTypes } from '../core/src/contracts/index.ts';

/*
 * Writes the core's vocabulary and DTOs (core/src/contracts) as a TypeScript module into the
 * Shopify app and the WooCommerce admin, so neither types them by hand.
 * `test/api/generated-types.test.ts` fails when a committed file is out of date.
 * Run: node scripts/generate-api-types.ts
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const text = renderApiTypes();
for (const file of API_TYPES_FILES) {
  writeFileSync(resolve(ROOT, file), text);
  console.log(`wrote ${file}`);
}
