/**
 * What the core in front of this app can do, read from its OpenAPI document: a page for a resource
 * another branch adds (returns, reports) shows once the core serves it, and stays hidden before.
 */

let cached: { at: number; paths: Set<string> } | undefined;
const TTL_MS = 5 * 60_000;

export async function corePaths(): Promise<Set<string>> {
  if (cached && Date.now() - cached.at < TTL_MS) return cached.paths;
  const coreUrl = process.env.EXPEDIO_CORE_URL;
  if (!coreUrl) return new Set();
  try {
    const r = await fetch(new URL('/openapi.json', coreUrl), { signal: AbortSignal.timeout(5_000) });
    const doc = (await r.json()) as { paths?: Record<string, unknown> };
    cached = { at: Date.now(), paths: new Set(Object.keys(doc.paths ?? {})) };
  } catch {
    // Unknown is "not there": the buttons stay hidden rather than lead to a 404.
    return new Set();
  }
  return cached.paths;
}

export async function coreHas(path: string): Promise<boolean> {
  return (await corePaths()).has(path);
}
