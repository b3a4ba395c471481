import { h } from 'preact';
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, expect, test, vi } from 'vitest';
import ar from '../src/locales/ar';
import { Prompt } from '../src/Prompt';
import type { MountOptions } from '../src/types';

afterEach(cleanup);

function setup(options: Partial<MountOptions> = {}) {
  const cb = { onScore: vi.fn(), onComment: vi.fn(), onClose: vi.fn() };
  render(<Prompt survey={{ id: 's1', metric: 'nps' }} {...cb} {...options} />);
  return cb;
}

const radios = () => screen.getAllByRole('radio');
const tabbable = () => radios().filter((r) => r.tabIndex === 0).map((r) => r.dataset.score);
const focused = () => (document.activeElement as HTMLElement).dataset.score;

test('the scale is one tab stop; arrows, Home and End move focus and that stop without choosing', () => {
  const cb = setup();
  expect(tabbable()).toEqual(['0']);
  radios()[0]!.focus();
  fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
  expect([focused(), tabbable()]).toEqual(['1', ['1']]);
  fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
  expect(focused()).toBe('2');
  fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' });
  fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
  expect(focused()).toBe('0');
  fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
  expect(focused()).toBe('10');
  fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
  expect(focused()).toBe('0');
  fireEvent.keyDown(document.activeElement!, { key: 'End' });
  expect([focused(), tabbable()]).toEqual(['10', ['10']]);
  fireEvent.keyDown(document.activeElement!, { key: 'Home' });
  expect(focused()).toBe('0');
  expect(cb.onScore).not.toHaveBeenCalled();
});

test('right to left, the left arrow moves to the next score', () => {
  setup({ locale: 'ar', messages: ar });
  radios()[0]!.focus();
  fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
  expect(focused()).toBe('1');
  fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
  expect(focused()).toBe('0');
});

test('a number key chooses that score; keys outside the scale or with a modifier do nothing', () => {
  const csat = setup({ survey: { id: 'c', metric: 'csat' } });
  radios()[0]!.focus();
  fireEvent.keyDown(document.activeElement!, { key: '7' });
  fireEvent.keyDown(document.activeElement!, { key: '0' });
  fireEvent.keyDown(document.activeElement!, { key: '4', ctrlKey: true });
  expect(csat.onScore).not.toHaveBeenCalled();
  fireEvent.keyDown(document.activeElement!, { key: '4' });
  expect(csat.onScore).toHaveBeenCalledExactlyOnceWith(4);
  cleanup();
  const nps = setup();
  radios()[5]!.focus();
  fireEvent.keyDown(document.activeElement!, { key: '0' });
  expect(nps.onScore).toHaveBeenCalledExactlyOnceWith(0);
});

test('+ (or =) chooses NPS 10, and only on a scale that has a 10', () => {
  for (const key of ['+', '=']) {
    const nps = setup();
    radios()[0]!.focus();
    fireEvent.keyDown(document.activeElement!, { key });
    expect(nps.onScore).toHaveBeenCalledExactlyOnceWith(10);
    cleanup();
  }
  const ces = setup({ survey: { id: 'c', metric: 'ces' } });
  radios()[0]!.focus();
  fireEvent.keyDown(document.activeElement!, { key: '+' });
  expect(ces.onScore).not.toHaveBeenCalled();
});

test('the stage\'s controls come before the close button in tab order, in a corner prompt too', () => {
  setup();
  const order = Array.from(screen.getByRole('dialog').querySelectorAll('button:not([tabindex="-1"]), textarea'));
  expect(order.map((e) => e.getAttribute('aria-label') ?? e.textContent)).toEqual(['0 Not at all likely', 'Remind me later', "Don’t ask again", 'Close']);
  fireEvent.click(radios()[4]!);
  const next = Array.from(screen.getByRole('dialog').querySelectorAll('button, textarea'));
  expect(next.map((e) => e.tagName + (e.getAttribute('aria-label') ?? e.textContent))).toEqual(['TEXTAREA', 'BUTTONSend', 'BUTTONClose']);
});

test('choosing with focus inside moves focus to the comment, then to the thanks', () => {
  setup();
  radios()[9]!.focus();
  fireEvent.click(document.activeElement!);
  const box = screen.getByRole('textbox');
  expect(document.activeElement).toBe(box);
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));
  expect(document.activeElement).toBe(screen.getByRole('dialog'));
});

test('a non-modal prompt takes no focus, and keeps its hands off focus when chosen from outside', () => {
  const outside = document.createElement('button');
  document.body.appendChild(outside);
  outside.focus();
  setup({ placement: 'bottom-left' });
  expect(document.activeElement).toBe(outside);
  fireEvent.click(radios()[2]!);
  expect(document.activeElement).toBe(outside);
  outside.remove();
});

test('a centred prompt is modal: focus starts on the scale and Tab cycles inside', () => {
  setup({ placement: 'center' });
  const dialog = screen.getByRole('dialog');
  expect(dialog.getAttribute('aria-modal')).toBe('true');
  expect(document.activeElement).toBe(radios()[0]);
  const stops = ['0 Not at all likely', 'Remind me later', "Don’t ask again", 'Close'];
  const name = () => document.activeElement!.getAttribute('aria-label') ?? document.activeElement!.textContent;
  // Tab from the last stop wraps to the first, Shift+Tab from the first to the last.
  screen.getByRole('button', { name: stops[3] }).focus();
  fireEvent.keyDown(document.activeElement!, { key: 'Tab' });
  expect(name()).toBe(stops[0]);
  fireEvent.keyDown(document.activeElement!, { key: 'Tab', shiftKey: true });
  expect(name()).toBe(stops[3]);
});

test('a centred prompt told not to take focus leaves it where the user is typing', () => {
  const field = document.body.appendChild(document.createElement('input'));
  field.focus();
  setup({ placement: 'center', takeFocus: false });
  expect(screen.getByRole('dialog').getAttribute('aria-modal')).toBe('true');
  expect(document.activeElement).toBe(field);
  field.remove();
});
