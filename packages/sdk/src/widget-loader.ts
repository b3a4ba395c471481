import { languageOf, type Locale } from '@cxkit/protocol';
import type { Messages, WidgetModule } from '@cxkit/widget';

/** Loads the widget for a prompt in `locale` (the one its texts were found in). */
export type LoadWidget = (locale: string) => Promise<WidgetModule>;

export type LanguageFiles = (language: Exclude<Locale, 'en'>) => Promise<{ default: Messages }>;

/**
 * The widget chunk and, at the same time, the language file of a prompt that is not in English: the
 * sdk knows the locale when it decides to show, so a German prompt waits for no second round trip.
 * A language file that does not load leaves the widget's own texts English, not the prompt unshown.
 */
export function widgetLoader(chunk: () => Promise<WidgetModule>, languageFile: LanguageFiles): LoadWidget {
  return (locale) => {
    const language = languageOf(locale);
    return Promise.all([
      chunk(),
      language === 'en' ? undefined : languageFile(language).then((file) => file.default, () => undefined),
    ]).then(([widget, messages]) => ({ mount: (options) => widget.mount({ messages, ...options }) }));
  };
}
