// The prompt in the top layer, in a real Chromium: whatever a host page does to <body> or its
// ancestors (transform, filter, overflow, z-index), a corner or centred prompt stays where it
// belongs, fully in the viewport and on top. The same page without the Popover API shows why: the
// fallback, a fixed box at a high z-index, is moved, clipped or covered by each of them.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import type { Placement } from '@cxkit/protocol';
import { openHost, screenshot, show, useHost } from './fixtures/prompt-page';

const host = useHost();

const HOSTILE = {
  transform: 'body { transform: translateZ(0) }',
  filter: 'body { filter: grayscale(1) }',
  overflow: 'body { overflow: hidden; height: 150px; will-change: transform }',
  'z-index': '.cover { position: fixed; inset: 0; z-index: 2147483647; background: #0f172a33 }',
};

/** A long page scrolled far down, with the hostile rule and a full-window cover element. */
async function hostilePage(css: string, { popover = true } = {}): Promise<Page> {
  const page = await openHost(host);
  if (!popover) {
    await page.addInitScript(() => delete (HTMLElement.prototype as Partial<HTMLElement>).showPopover);
    await page.reload();
  }
  await page.evaluate((css) => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(`${css} .tall { height: 5000px }`);
    document.adoptedStyleSheets = [sheet];
    for (const name of ['tall', 'cover']) document.body.append(Object.assign(document.createElement('div'), { className: name }));
    window.scrollTo(0, 3000);
  }, css);
  return page;
}

interface Seen {
  inTopLayer: boolean;
  box: { left: number; top: number; right: number; bottom: number };
  /** What the pointer hits at the card's centre and near its four (rounded) corners. */
  hits: string[];
}

async function seen(page: Page): Promise<Seen> {
  return page.evaluate(() => {
    const prompt = document.querySelector('cxkit-prompt')!;
    const card = prompt.shadowRoot!.querySelector('[part~="card"]')!.getBoundingClientRect();
    const [l, t, r, b] = [card.left + 6, card.top + 6, card.right - 6, card.bottom - 6];
    const points = [[(l + r) / 2, (t + b) / 2], [l, t], [r, t], [l, b], [r, b]] as const;
    return {
      inTopLayer: prompt.matches(':popover-open'),
      box: { left: card.left, top: card.top, right: card.right, bottom: card.bottom },
      hits: points.map(([x, y]) => document.elementFromPoint(x, y)?.tagName ?? 'nothing'),
    };
  });
}

const VIEWPORT = { width: 1024, height: 720 };
const inViewport = ({ box }: Seen) => box.left >= 0 && box.top >= 0 && box.right <= VIEWPORT.width && box.bottom <= VIEWPORT.height;
const onTop = ({ hits }: Seen) => hits.every((tag) => tag === 'CXKIT-PROMPT');

for (const [name, css] of Object.entries(HOSTILE)) {
  for (const placement of ['bottom-right', 'center'] as Placement[]) {
    test(`${name} on the host page: a ${placement} prompt is fully in the viewport and on top`, async () => {
      const page = await hostilePage(css);
      try {
        await show(page, { metric: 'nps', placement });
        await screenshot(page, `top-layer-${name}-${placement}`);
        const prompt = await seen(page);
        expect(prompt.inTopLayer).toBe(true);
        expect(prompt.hits).toEqual(Array(5).fill('CXKIT-PROMPT'));
        expect(inViewport(prompt), JSON.stringify(prompt.box)).toBe(true);
        if (placement === 'bottom-right') {
          expect([VIEWPORT.width - prompt.box.right, VIEWPORT.height - prompt.box.bottom].map(Math.round)).toEqual([16, 16]);
          // A corner prompt leaves the rest of the page usable.
          expect(await page.evaluate(() => document.elementFromPoint(100, 100)?.tagName)).not.toBe('CXKIT-PROMPT');
        }
        // Still a working prompt: the centred one took focus, the corner one is answered by a click.
        await page.locator('cxkit-prompt [data-score="8"]').click();
        await page.getByRole('textbox').waitFor();
      } finally {
        await page.context().close();
      }
    });
  }

  test(`without the top layer, ${name} on the host page would move, clip or cover the prompt`, async () => {
    const page = await hostilePage(css, { popover: false });
    try {
      await show(page, { metric: 'nps' });
      const prompt = await seen(page);
      expect(prompt.inTopLayer).toBe(false);
      expect(inViewport(prompt) && onTop(prompt), JSON.stringify(prompt)).toBe(false);
    } finally {
      await page.context().close();
    }
  });
}

test('without the Popover API the prompt falls back to a fixed box at a high z-index, and works', async () => {
  const page = await hostilePage('', { popover: false });
  try {
    await show(page, { metric: 'nps' });
    const prompt = await seen(page);
    expect(prompt.inTopLayer).toBe(false);
    expect(await page.locator('cxkit-prompt').getAttribute('popover')).toBeNull();
    expect([inViewport(prompt), prompt.hits]).toEqual([true, Array(5).fill('CXKIT-PROMPT')]);
    await page.locator('cxkit-prompt [data-score="8"]').click();
    await page.getByRole('textbox').waitFor();
  } finally {
    await page.context().close();
  }
});

test('an inline prompt stays in the flow of the page, not in the top layer', async () => {
  const page = await openHost(host);
  try {
    await show(page, { metric: 'ces', placement: 'inline', target: '#slot' });
    expect(await page.locator('#slot > cxkit-prompt').evaluate((el) => [el.hasAttribute('popover'), el.matches(':popover-open')])).toEqual([false, false]);
  } finally {
    await page.context().close();
  }
});
