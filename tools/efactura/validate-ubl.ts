#!/usr/bin/env node
// The project's runner for the official e-Factura rules kept in this folder: the ANAF CIUS-RO
// 1.0.9 Schematron (compiled to XSLT), the CEN EN 16931 UBL rules and the OASIS UBL 2.1 XSD.
// A finding flagged `fatal` fails a document, as ANAF's own check does. The rule files are data
// copied from the steering folder (see SOURCES.txt); `--self-test` proves this runner still agrees
// with the expected findings on the official examples (expected.json).
//
//   node tools/efactura/validate-ubl.ts [--rules ro|en16931] [--xsd] [--json] file.xml…
//   node tools/efactura/validate-ubl.ts --self-test
// Exit: 0 no fatal finding, 1 a fatal finding, 2 usage or set-up error.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateXML, memoryPages } from 'xmllint-wasm';

export const RULES_DIR = fileURLToPath(new URL('.', import.meta.url));
export const RULE_SETS = {
  ro: join(RULES_DIR, 'xslt', 'EN16931-CIUS_RO-UBL-validation.xslt'),
  en16931: join(RULES_DIR, 'xslt', 'EN16931-UBL-validation.xslt'),
} as const;
export type RuleSet = keyof typeof RULE_SETS;

export interface Finding {
  id: string;
  text: string;
  location: string;
}
export interface UblResult {
  file: string;
  rules: RuleSet;
  fatalIds: string[];
  fatal: Finding[];
  warnings: Finding[];
}

const require = createRequire(import.meta.url);

// saxon-js ships no types; these are the two calls used.
interface SaxonNode {
  getAttribute(name: string): string | null;
}
interface Saxon {
  transform(o: Record<string, unknown>, mode: 'sync'): { principalResult: unknown };
  XPath: { evaluate(xpath: string, ctx: unknown, opts?: { resultForm: 'array' }): unknown };
}

export class ValidatorSetupError extends Error {}

/**
 * Compiling an XSLT to Saxon's SEF takes ~30 s, so it is done once per rule file and cached by
 * the file's hash (a changed rule file gets a new entry, never a stale one).
 */
function compiledStylesheet(xsltPath: string, cacheDir: string): string {
  if (!existsSync(xsltPath)) throw new ValidatorSetupError(`rule file not found: ${xsltPath}`);
  const hash = createHash('sha256').update(readFileSync(xsltPath)).digest('hex').slice(0, 16);
  const out = join(cacheDir, `${basename(xsltPath, '.xslt')}.${hash}.sef.json`);
  if (existsSync(out)) return out;
  mkdirSync(cacheDir, { recursive: true });
  // Test files and workers start in parallel: one compiles, the others wait for its file (a lock
  // older than the longest compile is a crashed run's and is taken over).
  const lock = `${out}.lock`;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (existsSync(out)) return out;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 180_000) unlinkSync(lock);
      } catch {}
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    if (existsSync(out)) return out;
    return compileTo(xsltPath, out);
  } finally {
    try {
      unlinkSync(lock);
    } catch {}
  }
}

function compileTo(xsltPath: string, out: string): string {
  const tmp = `${out}.${process.pid}.tmp`;
  const xslt3 = require.resolve('xslt3/xslt3.js');
  const r = spawnSync(process.execPath, [xslt3, `-xsl:${xsltPath}`, `-export:${tmp}`, '-nogo', '-relocate:on'], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0 || !existsSync(tmp)) throw new ValidatorSetupError(`compiling ${xsltPath} failed: ${r.stderr?.toString().slice(0, 2000)}`);
  renameSync(tmp, out); // atomic: two runs compiling at once both end with a whole file
  return out;
}

let xsdFiles: { common: Array<{ fileName: string; contents: string }>; main: Record<'Invoice' | 'CreditNote', { fileName: string; contents: string }> } | null = null;
function ublSchemas() {
  if (xsdFiles) return xsdFiles;
  const dir = join(RULES_DIR, 'xsd', 'ubl-2.1');
  // The maindoc schemas import `../common/…`; naming the preloaded files `common/<name>` resolves them.
  const common = readdirSync(join(dir, 'common')).map((f) => ({ fileName: `common/${f}`, contents: readFileSync(join(dir, 'common', f), 'utf8') }));
  const main = (doc: string) => ({ fileName: `maindoc/UBL-${doc}-2.1.xsd`, contents: readFileSync(join(dir, 'maindoc', `UBL-${doc}-2.1.xsd`), 'utf8') });
  xsdFiles = { common, main: { Invoice: main('Invoice'), CreditNote: main('CreditNote') } };
  return xsdFiles;
}

/**
 * XSD findings of many files with one xmllint run per document type: the schema is parsed once per
 * run, not once per file (the per-file cost was most of a batch's time). Errors are given back to
 * their file by the name xmllint reports; when one cannot be placed, each file of that run is checked alone.
 */
async function xsdFindingsBatch(inputs: Array<{ file: string; xml: string }>): Promise<Map<string, Finding[]>> {
  const out = new Map<string, Finding[]>(inputs.map((i) => [i.file, []]));
  const groups: Record<'Invoice' | 'CreditNote', Array<{ file: string; xml: string; name: string }>> = { Invoice: [], CreditNote: [] };
  inputs.forEach(({ file, xml }, i) => {
    const root = /<(?:[\w.-]+:)?(Invoice|CreditNote)[\s>/]/.exec(xml.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, ''));
    if (!root) out.get(file)!.push({ id: 'XSD', text: 'the root element is neither Invoice nor CreditNote', location: '/' });
    else groups[root[1] as 'Invoice' | 'CreditNote'].push({ file, xml, name: `f${i}-${basename(file).replace(/[^\w.-]/g, '_')}` });
  });
  const { common, main } = ublSchemas();
  const run = (doc: 'Invoice' | 'CreditNote', list: typeof groups.Invoice) =>
    validateXML({
      xml: list.map((l) => ({ fileName: l.name, contents: l.xml })),
      schema: [main[doc]],
      preload: common,
      initialMemoryPages: 1024,
      maxMemoryPages: 2 * memoryPages.GiB,
    });
  const finding = (e: { rawMessage?: string; message?: string; loc: { lineNumber: number } | null }): Finding => ({ id: 'XSD', text: (e.rawMessage || e.message || '').trim(), location: e.loc ? `line ${e.loc.lineNumber}` : '' });
  for (const [doc, list] of Object.entries(groups) as Array<['Invoice' | 'CreditNote', typeof groups.Invoice]>) {
    if (list.length === 0) continue;
    const r = await run(doc, list);
    if (r.valid) continue;
    const byName = new Map(list.map((l) => [l.name, l.file]));
    if (list.length > 1 && r.errors.some((e) => !e.loc || !byName.has(e.loc.fileName))) {
      // An error xmllint cannot pin to a file (a file it could not parse): each file of the run on its own.
      for (const l of list) {
        const one = await run(doc, [l]);
        if (!one.valid) out.get(l.file)!.push(...one.errors.map(finding));
      }
      continue;
    }
    for (const e of r.errors) out.get(byName.get(e.loc!.fileName)!)!.push(finding(e));
  }
  return out;
}

/**
 * Schematron findings from the SVRL report. The CIUS-RO rules use `<report>` as well as
 * `<assert>`, so both `failed-assert` and `successful-report` are read; `@flag` says which are fatal.
 */
function schematronFindings(saxon: Saxon, sef: unknown, source: { file: string } | { text: string }): { fatal: Finding[]; warnings: Finding[] } {
  let report: unknown;
  try {
    const input = 'file' in source ? { sourceFileName: resolve(source.file) } : { sourceText: source.text };
    report = saxon.transform({ stylesheetInternal: sef, ...input, destination: 'document' }, 'sync').principalResult;
  } catch (e) {
    return { fatal: [{ id: 'XML-PARSE', text: String((e as Error)?.message ?? e).split('\n')[0]!, location: '' }], warnings: [] };
  }
  const nodes = saxon.XPath.evaluate('//*:failed-assert | //*:successful-report', report, { resultForm: 'array' }) as SaxonNode[];
  const fatal: Finding[] = [];
  const warnings: Finding[] = [];
  for (const n of nodes) {
    const text = String(saxon.XPath.evaluate('string(*:text)', n) ?? '');
    const finding = { id: n.getAttribute('id') || '(no id)', text: text.replace(/\s+/g, ' ').trim(), location: n.getAttribute('location') || '' };
    (n.getAttribute('flag') === 'fatal' ? fatal : warnings).push(finding);
  }
  return { fatal, warnings };
}

export interface ValidateOptions {
  rules?: RuleSet;
  xsd?: boolean;
  /** Where compiled stylesheets are kept between runs; default `<tmp>/expedio-efactura-sef`. */
  cacheDir?: string;
}

/** Validates UBL files; one stylesheet load serves the whole list. */
export async function validateUblFiles(files: string[], options: ValidateOptions = {}): Promise<UblResult[]> {
  const rules = options.rules ?? 'ro';
  const saxon = require('saxon-js') as Saxon;
  const sefPath = compiledStylesheet(RULE_SETS[rules], options.cacheDir ?? process.env.EFACTURA_SEF_CACHE ?? join(tmpdir(), 'expedio-efactura-sef'));
  const sef = JSON.parse(readFileSync(sefPath, 'utf8')) as unknown;
  const found = files.map((file) => ({ file, ...schematronFindings(saxon, sef, { file }) }));
  if (options.xsd) {
    const parsed = found.filter((f) => !f.fatal.some((x) => x.id === 'XML-PARSE'));
    const xsd = await xsdFindingsBatch(parsed.map((f) => ({ file: f.file, xml: readFileSync(f.file, 'utf8') })));
    for (const f of parsed) f.fatal.unshift(...(xsd.get(f.file) ?? []));
  }
  return found.map(({ file, fatal, warnings }) => ({ file, rules, fatalIds: [...new Set(fatal.map((f) => f.id))], fatal, warnings }));
}

// The parsed stylesheets of this process: parsing a 7 MB SEF costs about a second, a long-running
// core validates every upload with it.
const loadedSef = new Map<string, unknown>();

/**
 * One document held in memory (the core's pre-upload gate): the rule set's fatal findings, and
 * the UBL 2.1 XSD's when `xsd` is on. The stylesheet is compiled (once, cached on disk) and parsed
 * (once per process) on first use.
 */
export async function validateUblXml(xml: string, options: ValidateOptions & { name?: string } = {}): Promise<UblResult> {
  const rules = options.rules ?? 'ro';
  const saxon = require('saxon-js') as Saxon;
  const sefPath = compiledStylesheet(RULE_SETS[rules], options.cacheDir ?? process.env.EFACTURA_SEF_CACHE ?? join(tmpdir(), 'expedio-efactura-sef'));
  let sef = loadedSef.get(sefPath);
  if (!sef) {
    sef = JSON.parse(readFileSync(sefPath, 'utf8')) as unknown;
    loadedSef.set(sefPath, sef);
  }
  const file = options.name ?? 'document.xml';
  const found = schematronFindings(saxon, sef, { text: xml });
  if (options.xsd && !found.fatal.some((f) => f.id === 'XML-PARSE')) found.fatal.unshift(...((await xsdFindingsBatch([{ file, xml }])).get(file) ?? []));
  return { file, rules, fatalIds: [...new Set(found.fatal.map((f) => f.id))], ...found };
}

interface Expected {
  rules: Record<RuleSet, Record<string, string[]>>;
}

/** Each official example against the fatal ids it must produce; the list of mismatches. */
export async function selfTest(options: Omit<ValidateOptions, 'rules' | 'xsd'> = {}): Promise<Array<{ rules: RuleSet; file: string; expected: string[]; got: string[] }>> {
  const expected = JSON.parse(readFileSync(join(RULES_DIR, 'expected.json'), 'utf8')) as Expected;
  const mismatches: Array<{ rules: RuleSet; file: string; expected: string[]; got: string[] }> = [];
  for (const [rules, cases] of Object.entries(expected.rules) as Array<[RuleSet, Record<string, string[]>]>) {
    const names = Object.keys(cases);
    const results = await validateUblFiles(
      names.map((n) => join(RULES_DIR, n)),
      { ...options, rules, xsd: true },
    );
    results.forEach((r, i) => {
      const want = [...cases[names[i]!]!].sort();
      const got = [...r.fatalIds].sort();
      if (JSON.stringify(want) !== JSON.stringify(got)) mismatches.push({ rules, file: names[i]!, expected: want, got });
    });
  }
  return mismatches;
}

async function main(argv: string[]): Promise<number> {
  const opts: { rules: RuleSet; xsd: boolean; json: boolean } = { rules: 'ro', xsd: false, json: false };
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--rules') {
      const r = argv[++i];
      if (r !== 'ro' && r !== 'en16931') throw new ValidatorSetupError(`--rules takes ro or en16931, not ${r}`);
      opts.rules = r;
    } else if (a === '--xsd') opts.xsd = true;
    else if (a === '--json') opts.json = true;
    else if (a === '--self-test') {
      const bad = await selfTest();
      for (const m of bad) console.log(`FAIL [${m.rules}] ${m.file} expected=[${m.expected.join(' ')}] got=[${m.got.join(' ')}]`);
      console.log(bad.length ? `${bad.length} self-test case(s) differ` : 'self-test: every example gives the expected findings');
      return bad.length ? 1 : 0;
    } else if (a.startsWith('--')) throw new ValidatorSetupError(`unknown option ${a}`);
    else files.push(a);
  }
  if (files.length === 0) throw new ValidatorSetupError('usage: validate-ubl.ts [--rules ro|en16931] [--xsd] [--json] file.xml… | --self-test');
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length) throw new ValidatorSetupError(`no such file: ${missing.join(', ')}`);
  const results = await validateUblFiles(files, opts);
  if (opts.json) console.log(JSON.stringify(results, null, 2));
  else
    for (const r of results) {
      console.log(`${r.fatalIds.length ? 'FAIL' : 'OK  '} ${r.file}${r.fatalIds.length ? `: ${r.fatalIds.join(' ')}` : ''}`);
      for (const f of r.fatal) console.log(`  fatal [${f.id}] ${f.text.slice(0, 300)}${f.location ? `  @ ${f.location}` : ''}`);
    }
  return results.some((r) => r.fatalIds.length) ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(`validate-ubl: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(2);
    },
  );
}
