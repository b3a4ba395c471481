import { expect, test } from 'vitest';
import { getAt, parseValue, setAt, valueText } from '../dashboard/src/draft';

test('a field is set and read by the dot path the server names its issues by', () => {
  let draft = setAt({ id: 'nps' }, 'trigger.where.0.key', 'plan');
  draft = setAt(draft, 'trigger.where.0.op', 'eq');
  draft = setAt(draft, 'texts.en.question', 'Why?');
  expect(draft).toEqual({ id: 'nps', trigger: { where: [{ key: 'plan', op: 'eq' }] }, texts: { en: { question: 'Why?' } } });
  expect(getAt(draft, 'trigger.where.0.key')).toBe('plan');
  expect(getAt(draft, 'trigger.url')).toBeUndefined();
  expect(getAt(draft, 'id.length')).toBeUndefined();
});

test('an emptied field is left out, and so is the object it leaves empty; the draft given is not changed', () => {
  const draft = { id: 'nps', audience: { minDaysSinceFirstSeen: 3 }, texts: { en: { question: 'Why?', thanks: 'Ta' } } };
  const cleared = setAt(setAt(draft, 'audience.minDaysSinceFirstSeen', undefined), 'texts.en.question', '');
  expect(cleared).toEqual({ id: 'nps', texts: { en: { thanks: 'Ta' } } });
  expect(setAt(cleared, 'texts.en.thanks', '')).toEqual({ id: 'nps' });
  expect(draft.audience.minDaysSinceFirstSeen).toBe(3);
});

test('a text becomes an object where a path goes on through it', () => {
  expect(setAt({ texts: { en: { followUp: 'Why?' } } }, 'texts.en.followUp.negative', 'What went wrong?')).toEqual({
    texts: { en: { followUp: { negative: 'What went wrong?' } } },
  });
});

test.each([
  ['42', 42],
  ['4.5', 4.5],
  ['true', true],
  ['false', false],
  ['team', 'team'],
  ['"42"', '42'],
  ['"true"', 'true'],
  ['', ''],
])('a condition value typed as %j is %j, and shows as typed', (typed, value) => {
  expect(parseValue(typed)).toBe(value);
  expect(parseValue(valueText(value))).toBe(value);
});
