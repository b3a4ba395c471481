import type { MountOptions, WidgetModule } from '@cxkit/widget';
import { afterEach, expect, test, vi } from 'vitest';
import type { Draft } from '../src/client';
import { createPrompter } from '../src/prompt';
import type { SurveyDefinition } from '@cxkit/protocol';
import { uuidv7 } from '../src/uuid';

afterEach(() => {
  document.body.innerHTML = '';
});

/** A widget that records what it was asked to render and lets the test play the user. */
function setup(locale = 'en', mount?: (options: MountOptions) => void, loading?: () => void) {
  const mounted: MountOptions[] = [];
  const widget: WidgetModule = {
    mount(options) {
      mount?.(options);
      mounted.push(options);
      return { unmount: vi.fn() };
    },
  };
  const items: Draft[] = [];
  const log = vi.fn();
  const onClosed = vi.fn();
  const loadWidget = vi.fn(async (_locale: string) => (loading?.(), widget));
  const prompter = createPrompter({
    loadWidget,
    enqueue: (draft) => items.push(draft),
    newId: uuidv7,
    locale: () => locale,
    theme: () => 'dark',
    onClosed,
    log,
  });
  return { prompter, mounted, items, log, onClosed, loadWidget, user: () => mounted.at(-1)! };
}

const MANUAL = { kind: 'manual' } as const;

const csat: SurveyDefinition = {
  id: 'csat-support',
  metric: 'csat',
  scaleStyle: 'faces',
  comment: false,
  placement: 'top-left',
  theme: 'light',
  texts: {
    en: { question: 'How was your chat?', followUp: { negative: 'What went wrong?' }, later: 'Not now' },
    de: { question: 'Wie war Ihr Chat?' },
  },
};

test('the widget gets the survey resolved for the locale, its placement and theme', async () => {
  const { prompter, user, loadWidget } = setup('de-CH');
  expect(await prompter.show(csat, MANUAL)).toBe(true);
  // Loaded for the locale its texts were found in, so its language file comes with the chunk.
  expect(loadWidget).toHaveBeenCalledExactlyOnceWith('de');
  expect(user()).toMatchObject({
    survey: { id: 'csat-support', metric: 'csat', scaleStyle: 'faces', comment: false, texts: { question: 'Wie war Ihr Chat?' } },
    locale: 'de',
    theme: 'light',
    placement: 'top-left',
  });
});

test('a score is sent at once and the comment later as the same response; closing then keeps the score', async () => {
  const { prompter, items, user, onClosed } = setup();
  await prompter.show({ id: 'nps-1', metric: 'nps' }, MANUAL);
  user().onScore(4);
  user().onComment('Too slow');
  user().onClose('close');
  expect(items.map((i) => i.type)).toEqual(['survey_shown', 'survey_response', 'survey_response']);
  const [, score, comment] = items as Extract<Draft, { type: 'survey_response' }>[];
  expect(score).toMatchObject({ surveyId: 'nps-1', metric: 'nps', score: 4, final: false });
  expect(score).not.toHaveProperty('comment');
  expect(score!.trigger).toEqual(MANUAL);
  expect(comment).toMatchObject({ score: 4, comment: 'Too slow', final: true, responseId: score!.responseId });
  expect(onClosed).toHaveBeenCalledExactlyOnceWith('nps-1');
});

test('a survey without a follow-up sends its score as the final answer', async () => {
  const { prompter, items, user } = setup();
  await prompter.show(csat, MANUAL);
  user().onScore(5);
  user().onClose('close');
  expect(items.map((i) => i.type)).toEqual(['survey_shown', 'survey_response']);
  expect(items[1]).toMatchObject({ surveyId: 'csat-support', score: 5, final: true });
});

test.each(['close', 'later', 'never'] as const)('closing before a score is reported as dismissed, reason %s', async (reason) => {
  const { prompter, items, user } = setup();
  await prompter.show(csat, MANUAL);
  user().onClose(reason);
  expect(items.at(-1)).toEqual({ type: 'survey_dismissed', surveyId: 'csat-support', reason });
});

test('an inline survey renders into the element its target names', async () => {
  document.body.innerHTML = '<section id="feedback"></section>';
  const { prompter, user } = setup();
  await prompter.show({ id: 'ces-1', metric: 'ces', placement: 'inline', target: '#feedback' }, MANUAL);
  expect(user().target).toBe(document.querySelector('#feedback'));
});

test('an inline target the page removed while the widget loaded counts as missing: nothing is mounted into a detached element', async () => {
  document.body.innerHTML = '<section id="feedback"></section>';
  // A single-page app re-renders the view while the chunk is on its way.
  const { prompter, mounted, items, log } = setup('en', undefined, () => (document.body.innerHTML = '<section id="other"></section>'));
  expect(await prompter.show({ id: 'ces-1', metric: 'ces', placement: 'inline', target: '#feedback' }, MANUAL)).toBe(false);
  expect([mounted, items]).toEqual([[], []]);
  expect(log).toHaveBeenCalledWith(expect.stringMatching(/no element matches its target/), '#feedback');
});

test.each([['#missing'], ['[[not a selector'], [undefined]])(
  'an inline survey whose target %s matches nothing is not shown, and says why',
  async (target) => {
    const { prompter, mounted, items, log } = setup();
    expect(await prompter.show({ id: 'ces-1', metric: 'ces', placement: 'inline', target }, MANUAL)).toBe(false);
    expect(mounted).toHaveLength(0);
    expect(items).toHaveLength(0);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/no element matches its target/), target);
    expect(await prompter.show({ id: 'nps-1', metric: 'nps' }, MANUAL)).toBe(true);
  },
);

test('a widget that fails to mount is logged, counts as not shown and does not block the next survey', async () => {
  let fail = true;
  const { prompter, items, log } = setup('en', () => {
    if (fail) throw new Error('boom');
  });
  expect(await prompter.show(csat, MANUAL)).toBe(false);
  expect(items).toHaveLength(0);
  expect(log).toHaveBeenCalledWith('could not show survey', 'csat-support', expect.any(Error));
  fail = false;
  expect(await prompter.show(csat, MANUAL)).toBe(true);
});

test.each([
  ['no metric', { id: 'x' }],
  ['an unknown metric', { id: 'x', metric: 'stars' }],
  ['no id', { metric: 'nps' }],
  ['nothing', null],
])('a definition with %s is refused with a clear message, not rendered half', async (_, definition) => {
  const { prompter, mounted, items, log } = setup();
  expect(await prompter.show(definition as never, MANUAL)).toBe(false);
  expect([mounted, items]).toEqual([[], []]);
  expect(log).toHaveBeenCalledWith(expect.stringMatching(/needs an id and a metric/), definition);
  expect(await prompter.show({ id: 'nps-1', metric: 'nps' }, MANUAL)).toBe(true);
});
