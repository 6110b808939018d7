import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The real sample payloads in shared/contracts/fixtures/couriers (read-only, outside the repo). */
export const COURIER_FIXTURES_DIR = fileURLToPath(new URL('../../../../shared/contracts/fixtures/couriers/', import.meta.url));

export function readCourierFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(`${COURIER_FIXTURES_DIR}${name}`, 'utf8')) as T;
}
