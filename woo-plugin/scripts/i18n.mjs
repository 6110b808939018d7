#!/usr/bin/env node
// Translations of the plugin (text domain `expedio`), with GNU gettext (Debian's `gettext`):
//   1. languages/expedio.pot from the PHP (__, esc_html__, _n, …) and the plain scripts in assets/;
//   2. every languages/expedio-<locale>.po merged with it (msgmerge) and compiled to .mo (msgfmt);
//   3. for each script in assets/, the JSON WordPress's wp_set_script_translations() loads:
//      languages/expedio-<locale>-<md5 of the script's path>.json (Jed 1.x).
// Usage: node woo-plugin/scripts/i18n.mjs [--check]   (--check: fail when a string has no translation)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const plugin = join(dirname(fileURLToPath(import.meta.url)), '..');
const languages = join(plugin, 'languages');
const check = process.argv.includes('--check');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: plugin, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

const phpFiles = ['expedio.php', 'uninstall.php', ...readdirSync(join(plugin, 'includes')).filter((f) => f.endsWith('.php')).map((f) => `includes/${f}`)].sort();
const jsFiles = readdirSync(join(plugin, 'assets')).filter((f) => f.endsWith('.js')).map((f) => `assets/${f}`).sort();
const common = ['--from-code=UTF-8', '--add-comments=translators:', '--package-name=expedio', '--msgid-bugs-address=https://github.com/expedio', '--sort-by-file'];

const scratch = mkdtempSync(join(tmpdir(), 'expedio-i18n-'));
try {
  const php = join(scratch, 'php.pot');
  const js = join(scratch, 'js.pot');
  run('xgettext', [...common, '--language=PHP', '--keyword=__', '--keyword=_e', '--keyword=esc_html__', '--keyword=esc_html_e', '--keyword=esc_attr__', '--keyword=esc_attr_e', '--keyword=_n:1,2', '--keyword=_x:1,2c', '-o', php, ...phpFiles]);
  run('xgettext', [...common, '--language=JavaScript', '--keyword=__', '--keyword=_n:1,2', '--keyword=_x:1,2c', '-o', js, ...jsFiles]);
  const pot = run('msgcat', ['--use-first', '--sort-by-file', php, js])
    // The creation date would change the file on every run.
    .replace(/^"POT-Creation-Date: .*\\n"\n/m, '')
    .replace('"Content-Type: text/plain; charset=CHARSET\\n"', '"Content-Type: text/plain; charset=UTF-8\\n"');
  writeFileSync(join(languages, 'expedio.pot'), pot);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

let untranslated = 0;
for (const po of readdirSync(languages).filter((f) => /^expedio-[a-z]{2}_[A-Z]{2}\.po$/.test(f))) {
  const locale = po.slice('expedio-'.length, -'.po'.length);
  const path = join(languages, po);
  run('msgmerge', ['--quiet', '--update', '--backup=none', '--no-fuzzy-matching', '--sort-by-file', path, join(languages, 'expedio.pot')]);
  run('msgfmt', ['--check', '-o', join(languages, `expedio-${locale}.mo`), path]);
  const entries = parsePo(readFileSync(path, 'utf8'));
  const missing = entries.filter((e) => e.msgid !== '' && e.msgstr.every((s) => s === ''));
  untranslated += missing.length;
  for (const e of missing) console.error(`[i18n] ${locale}: no translation for "${e.msgid}"`);
  const header = entries.find((e) => e.msgid === '');
  const pluralForms = /Plural-Forms: ([^\n]*)/.exec(header?.msgstr[0] ?? '')?.[1] ?? 'nplurals=2; plural=(n != 1);';
  for (const file of jsFiles) {
    const messages = { '': { domain: 'messages', lang: locale, 'plural-forms': pluralForms } };
    for (const e of entries) if (e.msgid !== '' && e.refs.some((r) => r.startsWith(`${file}:`)) && e.msgstr.some((s) => s !== '')) messages[e.msgctxt ? `${e.msgctxt}\u0004${e.msgid}` : e.msgid] = e.msgstr;
    const json = { 'translation-revision-date': '', generator: 'woo-plugin/scripts/i18n.mjs', domain: 'messages', locale_data: { messages } };
    const md5 = createHash('md5').update(file).digest('hex');
    writeFileSync(join(languages, `expedio-${locale}-${md5}.json`), `${JSON.stringify(json)}\n`);
  }
  console.log(`[i18n] ${locale}: ${entries.length - 1} strings, ${missing.length} untranslated`);
}
if (check && untranslated > 0) process.exitCode = 1;

/** The entries of a .po file: msgctxt, msgid, msgstr (one per plural form) and #: references. */
function parsePo(text) {
  const unquote = (lines) => lines.map((l) => JSON.parse(l.slice(l.indexOf('"')))).join('');
  return text
    .split(/\n\n+/)
    .map((block) => {
      const lines = block.split('\n');
      const refs = lines.filter((l) => l.startsWith('#: ')).flatMap((l) => l.slice(3).split(' '));
      const fields = {};
      let current = null;
      for (const line of lines) {
        const m = /^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$/.exec(line);
        if (m) {
          current = m[1];
          fields[current] = [m[2]];
        } else if (current && line.startsWith('"')) fields[current].push(line);
        else if (line.startsWith('#~')) return null;
      }
      if (!fields.msgid) return null;
      const msgstr = Object.keys(fields)
        .filter((k) => k.startsWith('msgstr'))
        .sort()
        .map((k) => unquote(fields[k]));
      return { msgctxt: fields.msgctxt ? unquote(fields.msgctxt) : null, msgid: unquote(fields.msgid), msgstr, refs };
    })
    .filter((e) => e !== null);
}
