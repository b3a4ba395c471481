// The ES module build, for apps that install @cxkit/sdk from npm.
import { createBrowserClient } from './browser';
import type { Cxkit } from './client';

export type { Cxkit, InitOptions } from './client';
export type { CxkitEventName, CxkitEvents } from './events';
export type * from '@cxkit/protocol';

const nothing = () => undefined;
/** Where there is no DOM (an app rendered on the server imports this module too): every call does nothing. */
const inert: Cxkit = {
  init: nothing,
  identify: nothing,
  track: nothing,
  showSurvey: nothing,
  flush: async () => undefined,
  optOut: nothing,
  optIn: nothing,
  reset: nothing,
  on: () => nothing,
};

const client =
  typeof document === 'undefined'
    ? inert
    : createBrowserClient(
        () => import('@cxkit/widget'),
        () => import('./survey-runtime'),
      );

export const { init, identify, track, showSurvey, flush, optOut, optIn, reset, on } = client;
export default client;
