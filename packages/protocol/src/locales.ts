/** The languages the widget speaks and the server reads comments in (docs/widget.md#languages-and-texts). */
export const LOCALES = ['en', 'de', 'ro', 'fr', 'es', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];
