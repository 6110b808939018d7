/** Every text the bundles show has its Romanian in i18n-ro.ts (the store manager's language may be either). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RO } from './i18n-ro';

const SRC = new URL('.', import.meta.url).pathname;

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
		expect([...texts].filter((t) => !(t in RO))).toEqual([]);
		expect(Object.entries(RO).filter(([, ro]) => ro.trim() === '')).toEqual([]);
	});
});
