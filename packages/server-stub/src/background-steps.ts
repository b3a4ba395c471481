import { StorageUnavailableError } from './storage.js';

/** Retries a step that storage could not commit (locked by another writer, disk full) after this long. */
export const STEP_RETRY_MS = 5000;

/**
 * Runs long work a step at a time on the event loop: each step after the I/O already waiting
 * (setImmediate), so requests keep being answered and ingest keeps committing between steps.
 * `step` answers whether it found work; the steps stop when it finds none and start again on start().
 */
export function backgroundSteps(step: () => Promise<boolean>, schedule: (run: () => Promise<void>) => void = setImmediate): { start(): void } {
  let running = false;
  async function run(): Promise<void> {
    try {
      if (await step()) schedule(run);
      else running = false;
    } catch (error) {
      console.error(error);
      // What storage cannot commit now it may commit later; anything else waits for the next start().
      if (error instanceof StorageUnavailableError) setTimeout(() => void run(), STEP_RETRY_MS).unref();
      else running = false;
    }
  }
  return {
    start() {
      if (running) return;
      running = true;
      schedule(run);
    },
  };
}
