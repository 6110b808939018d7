import { useRouteLoaderData } from 'react-router';
import { type Locale, LOCALES } from './locale';
import { type Translate, translator } from './messages';

export type { Locale } from './locale';
export type { MessageKey, Translate } from './messages';
export { translator } from './messages';

/** The admin's locale, as the app layout's loader read it from the embedded load. */
export function useLocale(): Locale {
  const data = useRouteLoaderData('routes/app') as { locale?: string } | undefined;
  return (LOCALES as readonly string[]).includes(data?.locale ?? '') ? (data!.locale as Locale) : 'en';
}

export function useT(): Translate {
  return translator(useLocale());
}

/** Dates as the merchant reads them, in UTC so the server render and the hydration print the same text. */
export function formatDate(locale: Locale, iso: string): string {
  return new Intl.DateTimeFormat(locale === 'ro' ? 'ro-RO' : 'en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' }).format(new Date(iso));
}
