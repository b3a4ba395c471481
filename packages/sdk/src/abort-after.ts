/**
 * A signal that aborts after `ms`. Browsers before AbortSignal.timeout (Chrome 103, Safari 16) get
 * none: their requests wait as long as the browser lets them, as they always did.
 */
export const abortAfter = (ms: number): AbortSignal | undefined => AbortSignal.timeout?.(ms);
