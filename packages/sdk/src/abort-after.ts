/** A signal that aborts after `ms`; AbortSignal.timeout is missing before Chrome 103. */
export function abortAfter(ms: number): AbortSignal {
  if (AbortSignal.timeout) return AbortSignal.timeout(ms);
  const abort = new AbortController();
  setTimeout(() => abort.abort(), ms);
  return abort.signal;
}
