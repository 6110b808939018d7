/** The admin's language: Shopify passes `locale` (ro-RO, en) on the embedded load; else the browser's Accept-Language. */
export const LOCALES = ['en', 'ro'] as const;
export type Locale = (typeof LOCALES)[number];

export function localeOf(request: Request): Locale {
  const param = new URL(request.url).searchParams.get('locale');
  const header = request.headers.get('accept-language') ?? '';
  for (const candidate of [param ?? '', ...header.split(',').map((p) => p.split(';')[0]!.trim())]) {
    const base = candidate.toLowerCase().split('-')[0];
    if (base === 'ro' || base === 'en') return base;
  }
  return 'en';
}
