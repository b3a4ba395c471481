import { useEffect } from 'preact/hooks';

/**
 * Loads whenever `inputs` change and hands the result to `use` (or the error to `fail`) only if
 * no newer load has started since: answers can come back out of order, and an older one must
 * not replace what the filters now ask for.
 */
export function useLatest<T>(load: () => Promise<T>, use: (value: T) => void, fail: (error: unknown) => void, inputs: readonly unknown[]): void {
  useEffect(() => {
    let latest = true;
    load().then(
      (value) => latest && use(value),
      (error: unknown) => latest && fail(error),
    );
    return () => {
      latest = false;
    };
  }, inputs);
}
