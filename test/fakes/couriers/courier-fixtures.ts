import { CONTRACT_FIXTURES_DIR, readContractJson } from '../../fixtures/contract-fixtures.ts';

/** The couriers' real sample payloads, in the repo's copy of the contract fixtures. */
export const COURIER_FIXTURES_DIR = `${CONTRACT_FIXTURES_DIR}couriers/`;

export function readCourierFixture<T = unknown>(name: string): T {
  return readContractJson<T>(`couriers/${name}`);
}

const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * How a request body departs from a contract fixture's shape: every key of the fixture present with
 * the same JSON type (objects in depth, every array item against the fixture's first, named `key[]`). `nullable` names the
 * keys (dotted paths) that may be null; keys beyond the fixture's are allowed only when in `extra`.
 */
export function shapeProblems(fixture: unknown, body: unknown, o: { nullable?: string[]; extra?: string[] } = {}, path = ''): string[] {
  const at = (k: string) => (path ? `${path}.${k}` : k);
  if (kindOf(fixture) !== kindOf(body)) return o.nullable?.includes(path) && body === null ? [] : [`${path || 'body'}: ${kindOf(fixture)} expected, got ${kindOf(body)}`];
  if (Array.isArray(fixture)) return fixture.length ? (body as unknown[]).flatMap((b) => shapeProblems(fixture[0], b, o, `${path}[]`)) : [];
  if (kindOf(fixture) !== 'object') return [];
  const f = fixture as Record<string, unknown>;
  const b = body as Record<string, unknown>;
  const out: string[] = [];
  for (const k of Object.keys(f)) {
    if (!(k in b)) out.push(`${at(k)} is missing`);
    else out.push(...shapeProblems(f[k], b[k], o, at(k)));
  }
  for (const k of Object.keys(b)) if (!(k in f) && !o.extra?.includes(at(k))) out.push(`${at(k)} is not a field of this request`);
  return out;
}
