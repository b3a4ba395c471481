// The core holds survey calls until the definitions chunk is in: none lost while it loads, none kept without bound.
import { expect, test, vi } from 'vitest';
import { deferSurveyCalls, WAITING_CALLS_MAX } from '../src/survey-calls';
import type { SurveyTriggers } from '../src/survey-triggers';

const fakeTriggers = (): SurveyTriggers => ({ start: vi.fn(), load: vi.fn(), event: vi.fn(), show: vi.fn() });

test('calls before the definitions chunk is in wait for it, in order and bounded; after, they go straight through', async () => {
  const triggers = fakeTriggers();
  const calls = deferSurveyCalls(async () => triggers, vi.fn());
  for (let n = 0; n < WAITING_CALLS_MAX + 5; n++) calls.event(`event ${n}`);
  calls.show('nps');
  expect(triggers.event).not.toHaveBeenCalled();
  calls.open();
  await vi.waitFor(() => expect(triggers.show).toHaveBeenCalledWith('nps'));
  expect(triggers.event).toHaveBeenCalledTimes(WAITING_CALLS_MAX);
  expect(triggers.event).toHaveBeenNthCalledWith(1, 'event 0', undefined);
  calls.event('later', { a: 1 });
  expect(triggers.event).toHaveBeenLastCalledWith('later', { a: 1 });
});

test('a chunk that failed to load is imported again at the next event; one that throws at once does not throw', async () => {
  const triggers = fakeTriggers();
  const log = vi.fn();
  const open = vi.fn<() => Promise<SurveyTriggers>>().mockImplementationOnce(() => {
    throw new TypeError('Failed to fetch dynamically imported module');
  });
  open.mockResolvedValue(triggers);
  const calls = deferSurveyCalls(open, log);
  expect(() => calls.open()).not.toThrow();
  await vi.waitFor(() => expect(log).toHaveBeenCalledWith('surveys failed', expect.any(TypeError)));
  calls.event('checkout_completed');
  await vi.waitFor(() => expect(triggers.event).toHaveBeenCalledWith('checkout_completed', undefined));
  expect(open).toHaveBeenCalledTimes(2);
});
