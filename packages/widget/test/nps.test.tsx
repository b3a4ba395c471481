import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, expect, test, vi } from 'vitest';
import { mount } from '../src/index';
import { Prompt } from '../src/Prompt';

afterEach(cleanup);

const survey = { id: 'nps-1', metric: 'nps' as const };

function callbacks() {
  return { onScore: vi.fn(), onComment: vi.fn(), onClose: vi.fn() };
}

test('NPS offers 0 to 10 with labelled ends, and a score is reported at once', () => {
  const cb = callbacks();
  render(<Prompt survey={survey} {...cb} />);
  const radios = screen.getAllByRole('radio');
  expect(radios.map((r) => r.textContent)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
  expect(screen.getByText('Not at all likely')).toBeTruthy();
  expect(screen.getByText('Extremely likely')).toBeTruthy();
  fireEvent.click(screen.getByRole('radio', { name: '9' }));
  expect(cb.onScore).toHaveBeenCalledWith(9);
  expect(cb.onComment).not.toHaveBeenCalled();
});

test('the follow-up comment is sent for the score already given, then thanks are shown', () => {
  const cb = callbacks();
  render(<Prompt survey={survey} {...cb} />);
  fireEvent.click(screen.getByRole('radio', { name: '3' }));
  fireEvent.input(screen.getByRole('textbox'), { target: { value: '  Too slow  ' } });
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));
  expect(cb.onComment).toHaveBeenCalledWith('Too slow');
  expect(screen.getByRole('status').textContent).toBe('Thank you for your feedback!');
});

test('mount renders into a shadow root and close removes it', () => {
  const cb = callbacks();
  mount({ survey, ...cb });
  const host = document.querySelector('cxkit-prompt')!;
  expect(host.shadowRoot?.querySelectorAll('[role="radio"]')).toHaveLength(11);
  expect(document.querySelectorAll('[role="radio"]')).toHaveLength(0);
  (host.shadowRoot!.querySelector('button[aria-label="Close"]') as HTMLButtonElement).click();
  expect(cb.onClose).toHaveBeenCalledWith('close');
  expect(document.querySelector('cxkit-prompt')).toBeNull();
});
