import { h } from 'preact';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, expect, test, vi } from 'vitest';
import ar from '../src/locales/ar';
import de from '../src/locales/de';
import { ANNOUNCE_MS, Prompt, THANKS_MS } from '../src/Prompt';
import type { Messages, PromptSurvey } from '../src/types';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function setup(survey: Omit<PromptSurvey, 'id'>, locale?: string, messages?: Messages) {
  const cb = { onScore: vi.fn(), onComment: vi.fn(), onClose: vi.fn() };
  render(<Prompt survey={{ id: 's1', ...survey }} locale={locale} messages={messages} {...cb} />);
  return cb;
}

const names = () => screen.getAllByRole('radio').map((r) => r.textContent);

test('NPS offers 0 to 10 with labelled ends, and a score is reported at once', () => {
  const cb = setup({ metric: 'nps' });
  expect(screen.getByRole('dialog').getAttribute('aria-labelledby')).toBe('cxkit-question');
  expect(screen.getByRole('radiogroup', { name: 'How likely are you to recommend us to a friend or colleague?' })).toBeTruthy();
  expect(names()).toEqual(['0 Not at all likely', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10 Extremely likely']);
  fireEvent.click(screen.getByRole('radio', { name: '9' }));
  expect(cb.onScore).toHaveBeenCalledWith(9);
  expect(cb.onComment).not.toHaveBeenCalled();
  expect(cb.onClose).not.toHaveBeenCalled();
});

test('CSAT offers 1 to 5 as numbers or as faces, each face named by its score', () => {
  setup({ metric: 'csat' });
  expect(names()).toEqual(['1 Very dissatisfied', '2', '3', '4', '5 Very satisfied']);
  cleanup();
  const cb = setup({ metric: 'csat', scaleStyle: 'faces' });
  const faces = screen.getAllByRole('radio');
  expect(faces.map((f) => f.querySelector('svg[aria-hidden="true"]') !== null)).toEqual([true, true, true, true, true]);
  expect(faces.map((f) => f.textContent)).toEqual(['1 Very dissatisfied', '2', '3', '4', '5 Very satisfied']);
  fireEvent.click(faces[3]!);
  expect(cb.onScore).toHaveBeenCalledWith(4);
});

test('CES offers 1 to 7, or 1 to 5 when the survey says so', () => {
  setup({ metric: 'ces' });
  expect(names()).toEqual(['1 Very difficult', '2', '3', '4', '5', '6', '7 Very easy']);
  cleanup();
  setup({ metric: 'ces', scaleMax: 5 });
  expect(names()).toEqual(['1 Very difficult', '2', '3', '4', '5 Very easy']);
});

test.each([
  ['nps', 3, 'What could we do better?'],
  ['nps', 7, 'What would make your experience better?'],
  ['nps', 10, 'What do you like most?'],
  ['csat', 3, 'What would make your experience better?'],
  ['ces', 5, 'What do you like most?'],
] as const)('the follow-up question after %s %i fits its score bucket', (metric, score, followUp) => {
  setup({ metric });
  fireEvent.click(screen.getAllByRole('radio').find((r) => r.dataset.score === String(score))!);
  expect(screen.getByRole('textbox', { name: followUp })).toBeTruthy();
});

test("a survey's own follow-up per bucket is used for that bucket only", () => {
  const followUp = { negative: 'What went wrong at checkout?', positive: 'What did you love?' };
  setup({ metric: 'csat', texts: { followUp } });
  fireEvent.click(screen.getByRole('radio', { name: /^1/ }));
  expect(screen.getByRole('textbox', { name: 'What went wrong at checkout?' })).toBeTruthy();
  cleanup();
  setup({ metric: 'csat', texts: { followUp } });
  fireEvent.click(screen.getByRole('radio', { name: '3' }));
  expect(screen.getByRole('textbox', { name: 'What would make your experience better?' })).toBeTruthy();
});

test('the follow-up comment is sent trimmed for the score already given, then thanks are shown', () => {
  const cb = setup({ metric: 'nps' });
  fireEvent.click(screen.getByRole('radio', { name: '3' }));
  const box = screen.getByRole('textbox') as HTMLTextAreaElement;
  expect(box.maxLength).toBe(2000);
  fireEvent.input(box, { target: { value: '  Too slow  ' } });
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));
  expect(cb.onComment).toHaveBeenCalledWith('Too slow');
  expect(screen.getByRole('status').textContent).toBe('Thank you for your feedback!');
});

test('an empty comment sends nothing more but still thanks', () => {
  const cb = setup({ metric: 'ces' });
  fireEvent.click(screen.getByRole('radio', { name: '6' }));
  fireEvent.input(screen.getByRole('textbox'), { target: { value: '   ' } });
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));
  expect(cb.onComment).not.toHaveBeenCalled();
  expect(screen.getByRole('status').textContent).toBe('Thank you for your feedback!');
});

test('with comments off the score goes straight to thanks, which closes by itself', () => {
  vi.useFakeTimers();
  const cb = setup({ metric: 'csat', comment: false });
  fireEvent.click(screen.getByRole('radio', { name: '5 Very satisfied' }));
  expect(screen.queryByRole('textbox')).toBeNull();
  expect(screen.getByRole('status').textContent).toBe('Thank you for your feedback!');
  act(() => void vi.advanceTimersByTime(THANKS_MS - 1));
  expect(cb.onClose).not.toHaveBeenCalled();
  act(() => void vi.advanceTimersByTime(1));
  expect(cb.onClose).toHaveBeenCalledExactlyOnceWith('close');
});

test.each([
  ['Remind me later', 'later'],
  ["Don’t ask again", 'never'],
  ['Close', 'close'],
])('"%s" closes with reason %s', (name, reason) => {
  const cb = setup({ metric: 'nps' });
  fireEvent.click(screen.getByRole('button', { name }));
  expect(cb.onClose).toHaveBeenCalledExactlyOnceWith(reason);
  expect(cb.onScore).not.toHaveBeenCalled();
});

test('Escape closes, from the scale and from the comment', () => {
  const cb = setup({ metric: 'nps' });
  fireEvent.keyDown(screen.getAllByRole('radio')[0]!, { key: 'Escape' });
  expect(cb.onClose).toHaveBeenCalledWith('close');
  cleanup();
  const after = setup({ metric: 'nps' });
  fireEvent.click(screen.getByRole('radio', { name: '8' }));
  fireEvent.keyDown(screen.getByRole('textbox'), { key: 'Escape' });
  expect(after.onScore).toHaveBeenCalledWith(8);
  expect(after.onClose).toHaveBeenCalledWith('close');
});

test('a live region announces the question once the prompt is in the page, then the thanks', () => {
  vi.useFakeTimers();
  setup({ metric: 'ces', comment: false });
  const status = screen.getByRole('status');
  expect(status.textContent).toBe('');
  act(() => void vi.advanceTimersByTime(ANNOUNCE_MS));
  expect(status.textContent).toBe('How easy was it to do what you wanted?');
  // The visible question is the same text: screen readers skip it, so they read the question once.
  expect(document.querySelector('#cxkit-question')!.getAttribute('aria-hidden')).toBe('true');
  fireEvent.click(screen.getByRole('radio', { name: '4' }));
  expect(screen.getByRole('status')).toBe(status);
  expect(status.textContent).toBe('Thank you for your feedback!');
});

test('the centred prompt announces nothing: focus moves in and its name is the question, read once', () => {
  vi.useFakeTimers();
  const cb = { onScore: vi.fn(), onComment: vi.fn(), onClose: vi.fn() };
  render(<Prompt survey={{ id: 's1', metric: 'ces' }} placement="center" {...cb} />);
  act(() => void vi.advanceTimersByTime(ANNOUNCE_MS * 10));
  expect(screen.getByRole('status').textContent).toBe('');
  expect(document.querySelector('#cxkit-question')!.hasAttribute('aria-hidden')).toBe(false);
});

test('the prompt speaks the language of its language file: German texts, Arabic right to left, survey texts first', () => {
  setup({ metric: 'nps', texts: { question: 'Würden Sie Acme Books empfehlen?' } }, 'de-DE', de);
  expect(screen.getByRole('radiogroup', { name: 'Würden Sie Acme Books empfehlen?' })).toBeTruthy();
  expect(screen.getByRole('radio', { name: /^0/ }).textContent).toBe('0 Sehr unwahrscheinlich');
  expect(screen.getByRole('button', { name: 'Später erinnern' })).toBeTruthy();
  expect(screen.getByRole('dialog').getAttribute('lang')).toBe('de');
  cleanup();
  setup({ metric: 'csat' }, 'ar', ar);
  const dialog = screen.getByRole('dialog');
  expect([dialog.getAttribute('dir'), dialog.getAttribute('lang')]).toEqual(['rtl', 'ar']);
  expect(screen.getByRole('button', { name: 'إغلاق' })).toBeTruthy();
});

test("survey texts are shown as text, never parsed as HTML", () => {
  setup({ metric: 'nps', texts: { question: '<img src=x onerror="alert(1)">Recommend <b>us</b>?' } });
  expect(document.querySelector('img, b')).toBeNull();
  expect(screen.getByRole('radiogroup', { name: '<img src=x onerror="alert(1)">Recommend <b>us</b>?' })).toBeTruthy();
});
