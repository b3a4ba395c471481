// The ES module build, for apps that install @cxkit/sdk from npm.
import { createBrowserClient } from './browser';

export type { Cxkit, InitOptions } from './client';
export type { CxkitEventName, CxkitEvents } from './events';
export type * from './protocol';

const client = createBrowserClient(
  () => import('@cxkit/widget'),
  () => import('./survey-runtime'),
);

export const { init, identify, track, showSurvey, flush, optOut, optIn, reset, on } = client;
export default client;
