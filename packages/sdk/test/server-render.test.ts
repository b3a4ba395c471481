// @vitest-environment node
// Apps that render on the server (Next.js, Nuxt, SvelteKit…) import @cxkit/sdk there too.
import { expect, test } from 'vitest';

test('imported where there is no DOM (server-side rendering), the module loads and every call does nothing', async () => {
  const cxkit = await import('../src/index');
  expect(() => {
    cxkit.init({ writeKey: 'pk_test' });
    cxkit.identify('user-1', { plan: 'team' });
    cxkit.track('checkout_completed');
    cxkit.showSurvey('nps-checkout');
    cxkit.optOut();
    cxkit.optIn();
    cxkit.reset();
  }).not.toThrow();
  await expect(cxkit.flush()).resolves.toBeUndefined();
  const off = cxkit.on('sent', () => undefined);
  expect(() => off()).not.toThrow();
  expect(cxkit.default.track).toBe(cxkit.track);
});
