import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** The official verdict on one document: the ids of its fatal findings (empty: it may be sent). */
export interface GateVerdict {
  fatalIds: string[];
  /** "[BR-RO-101] text" per fatal finding, for the operator. */
  messages: string[];
}

export type PreUploadGate = (xml: string) => Promise<GateVerdict>;

/**
 * The XML ANAF would get, checked first with the official CIUS-RO rules (ANAF 1.0.9 schematron)
 * and the UBL 2.1 XSD by tools/efactura. The validator (saxon-js and a 7 MB stylesheet, ~200 MB
 * resident) is imported on the first upload only, so the core's idle memory and the intake path
 * never pay for it; the compiled stylesheet is cached under EFACTURA_SEF_CACHE, else the data
 * dir (EXPEDIO_DATA_DIR), else the system tmpdir.
 */
export const officialRulesGate: PreUploadGate = async (xml) => {
  // A retry after a technical error or a lost answer sends the same bytes: its verdict is known.
  const key = createHash('sha256').update(xml).digest('base64url');
  const known = verdicts.get(key);
  if (known) return known;
  const { validateUblXml } = await import('@expedio/efactura-rules');
  const cacheDir = process.env.EFACTURA_SEF_CACHE ?? (process.env.EXPEDIO_DATA_DIR ? join(process.env.EXPEDIO_DATA_DIR, 'efactura-sef') : undefined);
  const r = await validateUblXml(xml, { rules: 'ro', xsd: true, ...(cacheDir ? { cacheDir } : {}) });
  const verdict = { fatalIds: r.fatalIds, messages: r.fatal.map((f) => `[${f.id}] ${f.text.slice(0, 300)}`) };
  if (verdicts.size >= 500) verdicts.delete(verdicts.keys().next().value!);
  verdicts.set(key, verdict);
  return verdict;
};

const verdicts = new Map<string, GateVerdict>();
