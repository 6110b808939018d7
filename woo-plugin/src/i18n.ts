/**
 * Romanian for the bundles' texts (text domain `expedio`). Applied with @wordpress/i18n's
 * setLocaleData when the user's locale is Romanian, on WordPress 6.1 and later alike; a
 * translation WordPress loads for the script (wp_set_script_translations) is merged over it.
 */
import { setLocaleData } from '@wordpress/i18n';
import { RO } from './i18n-ro';

export function applyLocale(locale: string | undefined): void {
	if (!locale || !/^ro([_-]|$)/i.test(locale)) return;
	const data: Record<string, string[] | { domain: string; lang: string; plural_forms: string }> = {
		'': { domain: 'expedio', lang: 'ro', plural_forms: 'nplurals=3; plural=(n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2);' },
	};
	for (const [en, ro] of Object.entries(RO)) data[en] = [ro];
	setLocaleData(data as never, 'expedio');
}
