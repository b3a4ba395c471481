// Accessibility of the widget in a real Chromium: axe-core on the shadow content of every prompt
// type in both themes, the keyboard path a person takes, focus handling, and the contrast of the
// non-text parts axe does not measure. Answers go through the real sdk to the fixture server.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import type { SurveyDefinition } from '@cxkit/protocol';
import { focusedInPrompt, itemsOf, openHost, screenshot, show, styleOf, useHost, waitForItem } from './fixtures/prompt-page';

const host = useHost();
let page: Page;

async function freshPage(options: Parameters<typeof openHost>[1] = {}): Promise<Page> {
  await page?.context().close();
  page = await openHost(host, options);
  await page.addScriptTag({ url: '/axe.min.js' });
  return page;
}

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core on the prompt only (it walks into the open shadow root), WCAG 2.0–2.2 A and AA rules. */
async function axe(page: Page): Promise<{ violations: AxeViolation[]; checkedNodes: number }> {
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<any> } }).axe;
    const result = await axe.run(
      { include: [['cxkit-prompt']] },
      { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } },
    );
    const checked = new Set<string>();
    for (const rule of [...result.passes, ...result.violations]) {
      for (const node of rule.nodes) checked.add(JSON.stringify(node.target));
    }
    return {
      violations: result.violations.map((v: AxeViolation) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })),
      checkedNodes: checked.size,
    };
  });
}

const prompts: [string, Partial<SurveyDefinition> & Pick<SurveyDefinition, 'metric'>][] = [
  ['NPS', { metric: 'nps' }],
  ['CSAT numbers', { metric: 'csat' }],
  ['CSAT faces', { metric: 'csat', scaleStyle: 'faces' }],
  ['CES 1–7', { metric: 'ces' }],
  ['CES 1–5, centred', { metric: 'ces', scaleMax: 5, placement: 'center' }],
];

for (const theme of ['light', 'dark'] as const) {
  test(`axe finds no WCAG 2.2 AA violation in any prompt, on the scale and the comment, ${theme} theme`, async () => {
    await freshPage({ colorScheme: theme });
    for (const [name, survey] of prompts) {
      await show(page, { ...survey, theme });
      const onScale = await axe(page);
      expect(onScale.checkedNodes, `${name}: axe looked inside the shadow root`).toBeGreaterThan(10);
      expect(onScale.violations, `${name} scale`).toEqual([]);
      await page.locator('cxkit-prompt [data-score="3"]').click();
      expect((await axe(page)).violations, `${name} comment`).toEqual([]);
      await page.keyboard.press('Escape');
      await page.locator('cxkit-prompt').waitFor({ state: 'detached' });
    }
  });
}

test('axe is not blind to the shadow root: a low-contrast host theme is reported', async () => {
  await freshPage();
  await page.evaluate(() => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync('cxkit-prompt { --cxkit-muted: #c8c8c8; }');
    document.adoptedStyleSheets = [sheet];
  });
  await show(page, { metric: 'nps', theme: 'light' });
  expect((await axe(page)).violations.map((v) => v.id)).toContain('color-contrast');
});

test('Arabic, right to left, has no violation either', async () => {
  await freshPage();
  await page.evaluate(() => (document.documentElement.lang = 'ar'));
  await show(page, { metric: 'csat', scaleStyle: 'faces', theme: 'light' });
  expect((await axe(page)).violations).toEqual([]);
});

test('the keyboard path: Tab in, arrows, Enter to choose, type, send; score then comment reach the server', async () => {
  await freshPage();
  await page.locator('#opener').focus();
  await show(page, { id: 'kbd-nps', metric: 'nps' });
  // A corner prompt does not take focus from the page.
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('opener');
  expect(await focusedInPrompt(page)).toBeNull();

  // The prompt is last in the page: Tab enters it at the one tab stop of the scale.
  await page.keyboard.press('Tab');
  expect(await focusedInPrompt(page)).toBe('button[score]:0 Not at all likely');
  const outline = await styleOf(page, '[data-score="0"]', ['outline-style', 'outline-width']);
  expect(outline).toEqual({ 'outline-style': 'solid', 'outline-width': '3px' });
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  expect(await focusedInPrompt(page)).toBe('button[score]:9');
  await screenshot(page, 'nps-keyboard-focus');
  await page.keyboard.press('Enter');

  const score = await waitForItem(host.server, page, 'survey_response', 'kbd-nps');
  expect(score).toMatchObject({ score: 9, final: false, metric: 'nps' });
  expect(await focusedInPrompt(page)).toBe('textarea[comment]:');
  await page.keyboard.type('Quick export');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  const comment = await waitForItem(host.server, page, 'survey_response', 'kbd-nps', (item) => 'final' in item && item.final);
  expect(comment).toMatchObject({ score: 9, final: true, comment: 'Quick export', responseId: (score as { responseId: string }).responseId });
  expect(await page.getByRole('status').textContent()).toBe('Thank you for your feedback!');
  // Focus came in from the page's button; when the prompt goes, it goes back there.
  await page.keyboard.press('Escape');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('opener');
});

test('in a corner prompt Tab goes through the scale, the links, then the close button', async () => {
  await freshPage();
  await page.locator('#opener').focus();
  await show(page, { id: 'tab-order', metric: 'csat', placement: 'top-left' });
  const stops: (string | null)[] = [];
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab');
    stops.push(await focusedInPrompt(page));
  }
  expect(stops).toEqual(['button[score]:1 Very dissatisfied', 'button[later]:Remind me later', 'button[never]:Don’t ask again', 'button[close]:']);
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  expect(await focusedInPrompt(page)).toBe('button[score]:1 Very dissatisfied');
});

test('+ chooses NPS 10 in one key; in the comment box +, = and digits are just typed', async () => {
  await freshPage();
  await page.locator('#opener').focus();
  await show(page, { id: 'kbd-ten', metric: 'nps' });
  await page.keyboard.press('Tab');
  await page.keyboard.press('+');
  expect(await waitForItem(host.server, page, 'survey_response', 'kbd-ten')).toMatchObject({ score: 10, final: false });
  expect(await focusedInPrompt(page)).toBe('textarea[comment]:');
  await page.keyboard.type('10+ = 3');
  expect(await page.getByRole('textbox').inputValue()).toBe('10+ = 3');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  const answers = await waitForItem(host.server, page, 'survey_response', 'kbd-ten', (item) => 'final' in item && item.final);
  expect(answers).toMatchObject({ score: 10, comment: '10+ = 3' });
  expect(itemsOf(host.server, 'survey_response', 'kbd-ten').map((item) => 'score' in item && item.score)).toEqual([10, 10]);
});

/** Text nodes in Chromium's accessibility tree (what a screen reader reads) that say exactly this. */
async function textsInAccessibilityTree(page: Page, text: string): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
    nodes: { ignored: boolean; role?: { value: string }; name?: { value: string }; parentId?: string; nodeId: string }[];
  };
  const byId = new Map(nodes.map((node) => [node.nodeId, node]));
  return nodes
    .filter((node) => !node.ignored && node.role?.value === 'StaticText' && node.name?.value === text)
    .map((node) => byId.get(node.parentId!)?.role?.value ?? '?');
}

test('screen readers meet the question once: a corner prompt says it in its live region only', async () => {
  await freshPage();
  const question = 'How likely are you to recommend us to a friend or colleague?';
  await show(page, { id: 'sr-corner', metric: 'nps' });
  await expect.poll(() => page.getByRole('status').textContent()).toBe(question);
  expect(await textsInAccessibilityTree(page, question)).toEqual(['status']);
  // Still the name of the dialog and of the radio group.
  expect(await page.getByRole('dialog', { name: question }).count()).toBe(1);
  expect(await page.getByRole('radiogroup', { name: question }).count()).toBe(1);
});

test('screen readers meet the question once: the centred prompt, which takes focus, announces nothing', async () => {
  await freshPage();
  const question = 'How easy was it to do what you wanted?';
  await show(page, { id: 'sr-center', metric: 'ces', placement: 'center' });
  await page.waitForTimeout(500);
  expect(await page.getByRole('status').textContent()).toBe('');
  expect(await textsInAccessibilityTree(page, question)).toEqual(['paragraph']);
  expect(await page.getByRole('dialog', { name: question }).count()).toBe(1);
});

test('Space chooses too, and a number key chooses its score directly', async () => {
  await freshPage();
  await show(page, { id: 'kbd-csat', metric: 'csat', comment: false });
  await page.locator('cxkit-prompt [data-score="1"]').focus();
  await page.keyboard.press('4');
  expect(await waitForItem(host.server, page, 'survey_response', 'kbd-csat')).toMatchObject({ score: 4, final: true });
  await page.getByText('Thank you for your feedback!').waitFor();
  await page.keyboard.press('Escape');
  await page.locator('cxkit-prompt').waitFor({ state: 'detached' });

  await show(page, { id: 'kbd-ces', metric: 'ces', comment: false });
  await page.locator('cxkit-prompt [data-score="6"]').focus();
  await page.keyboard.press(' ');
  expect(await waitForItem(host.server, page, 'survey_response', 'kbd-ces')).toMatchObject({ score: 6 });
});

test('the centred prompt traps focus, Escape closes it, and focus returns to the button that opened it', async () => {
  await freshPage();
  await page.locator('#opener').focus();
  await show(page, { id: 'modal-ces', metric: 'ces', placement: 'center' });
  expect(await focusedInPrompt(page)).toBe('button[score]:1 Very difficult');
  const seen = new Set<string | null>();
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    seen.add(await focusedInPrompt(page));
  }
  await page.keyboard.press('Shift+Tab');
  seen.add(await focusedInPrompt(page));
  expect(seen).not.toContain(null);
  expect(seen.size).toBe(4); // close, the scale, later, never
  await page.keyboard.press('Escape');
  await page.locator('cxkit-prompt').waitFor({ state: 'detached' });
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('opener');
  expect(await waitForItem(host.server, page, 'survey_dismissed', 'modal-ces')).toMatchObject({ reason: 'close' });
});

test('the centred prompt keeps focus inside on its thank-you too, in both directions', async () => {
  await freshPage();
  await page.locator('#opener').focus();
  await show(page, { id: 'modal-thanks', metric: 'csat', placement: 'center', comment: false });
  await page.keyboard.press('4');
  // Focus follows the stage once it has rendered.
  await expect.poll(() => focusedInPrompt(page)).toBe('div[card]:Thank you for your feedback!');
  await page.keyboard.press('Shift+Tab');
  expect(await focusedInPrompt(page)).toBe('button[close]:');
  await page.keyboard.press('Shift+Tab');
  expect(await focusedInPrompt(page)).toBe('button[close]:');
  await page.keyboard.press('Tab');
  expect(await focusedInPrompt(page)).toBe('button[close]:');
});

test('"Remind me later" and "Don’t ask again" are reported as dismissals with their reason', async () => {
  await freshPage();
  await show(page, { id: 'later-nps', metric: 'nps' });
  await page.getByRole('button', { name: 'Remind me later' }).click();
  expect(await waitForItem(host.server, page, 'survey_dismissed', 'later-nps')).toMatchObject({ reason: 'later' });
  await show(page, { id: 'never-nps', metric: 'nps' });
  await page.getByRole('button', { name: 'Don’t ask again' }).click();
  expect(await waitForItem(host.server, page, 'survey_dismissed', 'never-nps')).toMatchObject({ reason: 'never' });
  expect(itemsOf(host.server, 'survey_response', 'later-nps')).toEqual([]);
});

/** WCAG relative luminance contrast of two computed "rgb(r, g, b)" colours. */
function contrast(a: string, b: string): number {
  const luminance = (color: string) => {
    const [r, g, bl] = color.match(/\d+(\.\d+)?/g)!.slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

for (const theme of ['light', 'dark'] as const) {
  test(`score borders and the focus ring stand out 3:1 against the card, ${theme} theme`, async () => {
    await freshPage();
    await show(page, { metric: 'nps', theme });
    const card = (await styleOf(page, '.card', ['background-color']))['background-color']!;
    await page.locator('cxkit-prompt [data-score="5"]').focus();
    await page.keyboard.press('ArrowRight');
    const score = await styleOf(page, '[data-score="4"]', ['border-top-color']);
    const focused = await styleOf(page, '[data-score="6"]', ['outline-color', 'background-color', 'color']);
    expect(contrast(score['border-top-color']!, card)).toBeGreaterThanOrEqual(3);
    expect(contrast(focused['outline-color']!, card)).toBeGreaterThanOrEqual(3);
    expect(contrast(focused.color!, focused['background-color']!)).toBeGreaterThanOrEqual(4.5);
  });
}
