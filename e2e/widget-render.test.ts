// The widget as it renders in a real Chromium on host pages served with a strict CSP: themes,
// right to left, narrow screens, placements, hostile host CSS, and that nothing leaks either way.
// Screenshots land in test-results/widget/ for a person to look at; the assertions check the
// computed styles and boxes that make those screenshots right.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { boxOf, cspViolations, openHost, screenshot, show, styleOf, useHost } from './fixtures/prompt-page';

const host = useHost();

async function withPage<T>(options: Parameters<typeof openHost>[1], run: (page: Page) => Promise<T>): Promise<T> {
  const page = await openHost(host, options);
  try {
    return await run(page);
  } finally {
    await page.context().close();
  }
}

const WHITE = 'rgb(255, 255, 255)';
const DARK = 'rgb(28, 33, 40)';

test('under a strict CSP the prompt renders fully styled, with no violation and no <style> in the page', async () => {
  await withPage({}, async (page) => {
    await show(page, { metric: 'nps', theme: 'light' });
    await screenshot(page, 'nps-light');
    expect(await cspViolations(page)).toEqual([]);
    expect(await styleOf(page, '.card', ['position', 'background-color', 'font-size', 'z-index'])).toEqual({
      position: 'fixed',
      'background-color': WHITE,
      'font-size': '15px',
      'z-index': '2147483000',
    });
    expect(
      await page.evaluate(() => [document, document.querySelector('cxkit-prompt')!.shadowRoot!].map((root) => root.querySelectorAll('style, [style]').length)),
    ).toEqual([0, 0]);
    expect(await page.getByRole('radio').count()).toBe(11);
  });
});

test('light, dark and auto themes; auto follows prefers-color-scheme', async () => {
  const background = (page: Page) => styleOf(page, '.card', ['background-color']).then((s) => s['background-color']);
  await withPage({ colorScheme: 'light' }, async (page) => {
    await show(page, { metric: 'csat', scaleStyle: 'faces', theme: 'dark' });
    await screenshot(page, 'csat-faces-dark');
    expect(await background(page)).toBe(DARK);
    expect((await styleOf(page, '.question', ['color'])).color).toBe('rgb(230, 237, 243)');
  });
  await withPage({ colorScheme: 'dark' }, async (page) => {
    await show(page, { metric: 'ces', theme: 'auto' });
    await screenshot(page, 'ces-auto-dark');
    expect(await background(page)).toBe(DARK);
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await background(page)).toBe(WHITE);
  });
});

test('Arabic pages get the Arabic prompt laid out right to left, its language file loaded beside the chunk', async () => {
  await withPage({}, async (page) => {
    const widgetFiles: string[] = [];
    const file = (url: string) => url.match(/cxkit-widget[^/]*\.js$/)?.[0];
    page.on('request', (request) => file(request.url()) && widgetFiles.push(`asked ${file(request.url())}`));
    page.on('requestfinished', (request) => file(request.url()) && widgetFiles.push(`got ${file(request.url())}`));
    await page.evaluate(() => (document.documentElement.lang = 'ar'));
    await show(page, { metric: 'nps' });
    // In parallel: no second round trip for a prompt that is not in English.
    expect(widgetFiles.slice(0, 2).sort()).toEqual(['asked cxkit-widget-ar.js', 'asked cxkit-widget.js']);
    expect(widgetFiles).toHaveLength(4);
    await screenshot(page, 'nps-rtl');
    expect(await page.locator('cxkit-prompt [part~="card"]').getAttribute('dir')).toBe('rtl');
    expect(await page.getByRole('radiogroup').getAttribute('aria-labelledby')).toBe('cxkit-question');
    expect(await page.locator('cxkit-prompt #cxkit-question').textContent()).toBe('ما مدى احتمال أن توصي بنا لصديق أو زميل؟');
    const zero = await boxOf(page, '[data-score="0"]');
    const ten = await boxOf(page, '[data-score="10"]');
    const close = await boxOf(page, '[part="close"]');
    const card = await boxOf(page, '[part~="card"]');
    expect(zero.x).toBeGreaterThan(ten.x);
    expect(close.x - card.x).toBeLessThan(card.width / 4);
  });
});

test('on a narrow screen corner and centred prompts become a bottom sheet that fits, above the safe area', async () => {
  await withPage({ viewport: { width: 375, height: 700 } }, async (page) => {
    await show(page, { metric: 'nps', placement: 'top-left' });
    await screenshot(page, 'nps-narrow');
    const card = await boxOf(page, '[part~="card"]');
    expect([card.x, card.width, Math.round(card.y + card.height)]).toEqual([0, 375, 700]);
    for (const radio of await page.getByRole('radio').all()) {
      const box = (await radio.boundingBox())!;
      expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(24);
      expect(box.x + box.width).toBeLessThanOrEqual(375);
    }
    // A phone's home indicator: the sheet keeps its controls clear of it.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setSafeAreaInsetsOverride', { insets: { top: 0, left: 0, right: 0, bottom: 34 } });
    expect((await styleOf(page, '.card', ['padding-bottom']))['padding-bottom']).toBe('50px');
    await page.getByRole('button', { name: 'Close' }).click();

    await show(page, { metric: 'ces', placement: 'center' });
    const sheet = await boxOf(page, '[part~="card"]');
    expect([sheet.x, sheet.width, Math.round(sheet.y + sheet.height)]).toEqual([0, 375, 700]);
  });
});

test('the four corners, 16px from the edges and clear of the safe area; the centre is a modal over a backdrop', async () => {
  await withPage({}, async (page) => {
    const cdp = await page.context().newCDPSession(page);
    const corners = {
      'top-left': (b: Box) => [b.x, b.y],
      'top-right': (b: Box) => [1024 - b.x - b.width, b.y],
      'bottom-left': (b: Box) => [b.x, 720 - b.y - b.height],
      'bottom-right': (b: Box) => [1024 - b.x - b.width, 720 - b.y - b.height],
    };
    for (const [placement, gaps] of Object.entries(corners)) {
      await show(page, { metric: 'csat', placement: placement as keyof typeof corners });
      expect(gaps(await boxOf(page, '[part~="card"]')).map(Math.round)).toEqual([16, 16]);
      await page.getByRole('button', { name: 'Close' }).click();
    }
    await cdp.send('Emulation.setSafeAreaInsetsOverride', { insets: { top: 20, left: 0, right: 30, bottom: 0 } });
    await show(page, { metric: 'csat', placement: 'top-right' });
    expect(corners['top-right'](await boxOf(page, '[part~="card"]')).map(Math.round)).toEqual([46, 36]);
    await page.getByRole('button', { name: 'Close' }).click();

    await show(page, { metric: 'ces', placement: 'center' });
    await screenshot(page, 'ces-center');
    const card = await boxOf(page, '[part~="card"]');
    expect(Math.round(card.x + card.width / 2)).toBe(512);
    expect(Math.round(card.y + card.height / 2)).toBe(360);
    expect(await boxOf(page, '[part="backdrop"]')).toEqual({ x: 0, y: 0, width: 1024, height: 720 });
    // The backdrop takes the clicks meant for the page.
    expect(await page.evaluate(() => document.elementFromPoint(200, 240)?.tagName)).toBe('CXKIT-PROMPT');
  });
});

type Box = { x: number; y: number; width: number; height: number };

test('inline, the prompt renders in the host element, in the flow of the page', async () => {
  await withPage({}, async (page) => {
    await show(page, { metric: 'ces', scaleMax: 5, placement: 'inline', target: '#slot' });
    await screenshot(page, 'ces-inline');
    expect(await page.evaluate(() => document.querySelector('#slot > cxkit-prompt') !== null)).toBe(true);
    const slot = (await page.locator('#slot').boundingBox())!;
    const card = await boxOf(page, '[part~="card"]');
    expect(card).toEqual({ ...slot, height: card.height });
    expect(await page.locator('#slot').evaluate((el) => el.getBoundingClientRect().height)).toBeCloseTo(card.height, 0);
    expect(await page.getByRole('radio').count()).toBe(5);
  });
});

test('it stays above the page: a z-index 9999 chat bubble in the same corner is covered', async () => {
  await withPage({}, async (page) => {
    await show(page, { metric: 'nps' });
    const bubble = (await page.locator('.chat').boundingBox())!;
    const hit = await page.evaluate(
      ([x, y]) => document.elementFromPoint(x!, y!)?.tagName,
      [bubble.x + bubble.width / 2, bubble.y + bubble.height / 2],
    );
    expect(hit).toBe('CXKIT-PROMPT');
  });
});

test('a hostile stylesheet (all: unset !important, hidden buttons, 40px root font, RTL, uppercase) does not break it', async () => {
  await withPage({ path: '/hostile.html' }, async (page) => {
    await show(page, { metric: 'nps', theme: 'light' });
    await screenshot(page, 'nps-hostile');
    expect(await cspViolations(page)).toEqual([]);
    const card = await boxOf(page, '[part~="card"]');
    expect([Math.round(1024 - card.x - card.width), Math.round(720 - card.y - card.height), card.width]).toEqual([16, 16, 400]);
    expect(await styleOf(page, '.question', ['font-size', 'line-height', 'direction', 'text-transform', 'letter-spacing', 'color', 'visibility'])).toEqual({
      'font-size': '15px',
      'line-height': '21px',
      direction: 'ltr',
      'text-transform': 'none',
      'letter-spacing': 'normal',
      color: 'rgb(31, 41, 51)',
      visibility: 'visible',
    });
    const radios = await page.getByRole('radio').all();
    expect(radios).toHaveLength(11);
    for (const radio of radios) {
      expect(await radio.isVisible()).toBe(true);
      expect((await radio.boundingBox())!.height).toBe(40);
    }
    await page.getByRole('radio', { name: '7', exact: true }).click();
    await page.getByRole('textbox').fill('Works anyway');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Thank you for your feedback!').waitFor();
  });
});

test("its styles do not leak out: the page's own elements compute the same before and after", async () => {
  await withPage({}, async (page) => {
    const snapshot = () =>
      page.evaluate(() =>
        ['html', 'body', 'main', 'h1', 'p', 'button', '.chat'].map((selector) => {
          const style = getComputedStyle(document.querySelector(selector)!);
          return Array.from(style, (name) => `${selector} ${name}: ${style.getPropertyValue(name)}`).join('\n');
        }),
      );
    const before = await snapshot();
    await show(page, { metric: 'csat' });
    expect(await snapshot()).toEqual(before);
    expect(await page.evaluate(() => [document.styleSheets.length, document.adoptedStyleSheets.length])).toEqual([1, 0]);
  });
});

test('hosts theme it with --cxkit-* properties and ::part()', async () => {
  await withPage({}, async (page) => {
    await page.evaluate(() => {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(`
        cxkit-prompt { --cxkit-accent: rgb(190, 18, 60); --cxkit-font: Georgia, serif; --cxkit-radius: 0px; }
        cxkit-prompt::part(card) { box-shadow: none; }
        cxkit-prompt::part(send) { text-transform: uppercase; }`);
      document.adoptedStyleSheets = [sheet];
    });
    await show(page, { metric: 'nps' });
    await page.getByRole('radio', { name: '10 Extremely likely' }).click();
    await screenshot(page, 'nps-themed-comment');
    expect(await styleOf(page, '.send', ['background-color', 'text-transform', 'font-family'])).toEqual({
      'background-color': 'rgb(190, 18, 60)',
      'text-transform': 'uppercase',
      'font-family': 'Georgia, serif',
    });
    expect(await styleOf(page, '.card', ['border-radius', 'box-shadow'])).toEqual({ 'border-radius': '0px', 'box-shadow': 'none' });
  });
});

test('it slides in, unless the user prefers reduced motion', async () => {
  await withPage({}, async (page) => {
    await show(page, { metric: 'nps' });
    expect((await styleOf(page, '.card', ['animation-name']))['animation-name']).toBe('cxkit-in');
  });
  await withPage({ reducedMotion: 'reduce' }, async (page) => {
    await show(page, { metric: 'nps' });
    expect((await styleOf(page, '.card', ['animation-name']))['animation-name']).toBe('none');
  });
});
