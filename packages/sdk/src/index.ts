// The ES module build, for apps that install @cxkit/sdk from npm.
import { createBrowserClient } from './browser';
import type { Cxkit } from './client';
import { widgetLoader, type LanguageFiles } from './widget-loader';

export type { Cxkit, InitOptions } from './client';
export type { CxkitEventName, CxkitEvents } from './events';
export type * from '@cxkit/protocol';

const nothing = () => undefined;
/** Where there is no DOM (an app rendered on the server imports this module too): every call does nothing. */
const inert: Cxkit = {
  init: nothing,
  identify: nothing,
  group: nothing,
  track: nothing,
  showSurvey: nothing,
  flush: async () => undefined,
  optOut: nothing,
  optIn: nothing,
  reset: nothing,
  on: () => nothing,
};

// Spelled out, so that an app's bundler makes each language a chunk of its own.
const languageFiles: { [L in Parameters<LanguageFiles>[0]]: () => ReturnType<LanguageFiles> } = {
  de: () => import('@cxkit/widget/locales/de'),
  ro: () => import('@cxkit/widget/locales/ro'),
  fr: () => import('@cxkit/widget/locales/fr'),
  es: () => import('@cxkit/widget/locales/es'),
  ar: () => import('@cxkit/widget/locales/ar'),
};

const client =
  typeof document === 'undefined'
    ? inert
    : createBrowserClient(
        widgetLoader(() => import('@cxkit/widget'), (language) => languageFiles[language]()),
        () => import('./survey-definitions'),
        () => import('./survey-runtime'),
      );

export const { init, identify, group, track, showSurvey, flush, optOut, optIn, reset, on } = client;
export default client;
