/** Every text the bundles show has its Romanian in i18n-ro.ts (the store manager's language may be either). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../woo-plugin/src/', import.meta.url).pathname;
/** i18n-ro.ts's dictionary, read as its text (one `"English": "Romanian",` per line). */
const RO: Record<string, string> = Object.fromEntries(
	[...readFileSync(join(SRC, 'i18n-ro.ts'), 'utf8').matchAll(/^\t("(?:[^"\\]|\\.)*"): ("(?:[^"\\]|\\.)*"),$/gm)].map((m) => [JSON.parse(m[1]!), JSON.parse(m[2]!)]),
);

function sources(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const path = join(dir, e.name);
		if (e.isDirectory()) return e.name === 'generated' ? [] : sources(path);
		return /\.tsx?$/.test(e.name) && !e.name.endsWith('.test.ts') ? [path] : [];
	});
}

describe('Romanian for the admin app and the order box', () => {
	it('has a translation for every __() string of the expedio domain', () => {
		const texts = new Set<string>();
		for (const file of sources(SRC)) {
			for (const m of readFileSync(file, 'utf8').matchAll(/__\(\s*'((?:[^'\\]|\\.)*)'\s*,\s*'expedio'\s*\)/g)) texts.add(m[1]!.replace(/\\'/g, "'"));
		}
		expect(texts.size).toBeGreaterThan(100);
		expect(Object.keys(RO).length).toBeGreaterThanOrEqual(texts.size);
		expect([...texts].filter((t) => !(t in RO))).toEqual([]);
		expect(Object.entries(RO).filter(([, ro]) => ro.trim() === '')).toEqual([]);
	});
});
