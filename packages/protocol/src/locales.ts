/** The languages the widget speaks and the server reads comments in (docs/widget.md#languages-and-texts). */
export const LOCALES = ['en', 'de', 'ro', 'fr', 'es', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];

/** The widget's language for a locale: "de-AT" and "DE" speak German, a language not in LOCALES English. */
export function languageOf(locale: string | undefined): Locale {
  const tag = (locale || 'en').toLowerCase().split('-')[0] as Locale;
  return LOCALES.includes(tag) ? tag : 'en';
}
