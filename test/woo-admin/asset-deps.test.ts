/**
 * The wp-admin bundles load on Debian's WordPress 6.1 as well as on 6.6+: every script handle
 * their `*.asset.php` asks for is one WordPress 6.1 registers (the list is copied from its
 * script-loader into test/fixtures/wordpress-6.1/ by `node scripts/wordpress-61.mjs --fixture`).
 * wp-scripts' default automatic JSX runtime would add `react-jsx-runtime` (WordPress 6.6+ only);
 * woo-plugin/babel.config.js compiles JSX to createElement instead.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const build = join(root, 'woo-plugin', 'build');
const wp61 = new Set<string>((JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'wordpress-6.1', 'script-handles.json'), 'utf8')) as { handles: string[] }).handles);

/** The `dependencies` array of a wp-scripts asset file: `<?php return array('dependencies' => array('a', 'b'), ...`. */
export function assetDependencies(php: string): string[] {
	const list = php.match(/'dependencies'\s*=>\s*array\(([^)]*)\)/)?.[1];
	if (list === undefined) throw new Error(`no dependencies array in: ${php.slice(0, 200)}`);
	return [...list.matchAll(/'([^']+)'/g)].map((m) => m[1] as string);
}

export function missingOnWordPress61(deps: string[]): string[] {
	return deps.filter((d) => !wp61.has(d));
}

function ensureBuilt(): void {
	if (existsSync(join(build, 'admin.asset.php')) && existsSync(join(build, 'order-box.asset.php'))) return;
	execFileSync(process.execPath, [join(root, 'scripts', 'run-pnpm.mjs'), '--filter', '@expedio/woo-plugin', 'build'], { cwd: root, stdio: 'inherit' });
}

describe('woo-plugin bundles on WordPress 6.1', () => {
	it('reads the dependency list of an asset file and flags a handle WordPress 6.1 lacks', () => {
		const wp66Bundle = "<?php return array('dependencies' => array('react-jsx-runtime', 'wp-components', 'wp-element'), 'version' => 'abc');";
		expect(assetDependencies(wp66Bundle)).toEqual(['react-jsx-runtime', 'wp-components', 'wp-element']);
		expect(missingOnWordPress61(assetDependencies(wp66Bundle))).toEqual(['react-jsx-runtime']);
	});

	it.each(['admin', 'order-box'])('build/%s.asset.php asks only for handles WordPress 6.1 registers', (name) => {
		ensureBuilt();
		const deps = assetDependencies(readFileSync(join(build, `${name}.asset.php`), 'utf8'));
		expect(deps).toContain('wp-element');
		expect(deps).toContain('wp-data');
		expect(missingOnWordPress61(deps)).toEqual([]);
	});

	it('the bundles call createElement, never the automatic runtime’s jsx()', () => {
		ensureBuilt();
		for (const name of ['admin', 'order-box']) {
			const js = readFileSync(join(build, `${name}.js`), 'utf8');
			expect(js).not.toContain('ReactJSXRuntime');
			expect(js).toMatch(/createElement\)?\(/);
		}
	});
});
