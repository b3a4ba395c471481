import { h } from 'preact';
import { afterEach, expect, test, vi } from 'vitest';
import { mount } from '../src/index';
import type { MountOptions } from '../src/types';

afterEach(() => {
  document.body.innerHTML = '';
});

function options(extra: Partial<MountOptions> = {}): MountOptions {
  return { survey: { id: 'nps-1', metric: 'nps' }, onScore: vi.fn(), onComment: vi.fn(), onClose: vi.fn(), ...extra };
}

const shadow = () => document.querySelector('cxkit-prompt')!.shadowRoot!;

test('mount renders into an open shadow root styled by an adopted stylesheet, and close removes it', () => {
  const opts = options();
  mount(opts);
  const root = shadow();
  expect(root.querySelectorAll('[role="radio"]')).toHaveLength(11);
  expect(document.querySelectorAll('[role="radio"]')).toHaveLength(0);
  expect(root.adoptedStyleSheets).toHaveLength(1);
  expect(root.querySelector('style')).toBeNull();
  (root.querySelector('button[aria-label="Close"]') as HTMLButtonElement).click();
  expect(opts.onClose).toHaveBeenCalledWith('close');
  expect(document.querySelector('cxkit-prompt')).toBeNull();
});

test('placement inline renders inside the target element; without a target it is refused clearly', () => {
  const slot = document.createElement('section');
  document.body.appendChild(slot);
  mount(options({ placement: 'inline', target: slot }));
  expect(slot.querySelector('cxkit-prompt')).not.toBeNull();
  expect(shadow().querySelector('.card')!.classList.contains('inline')).toBe(true);
  expect(() => mount(options({ placement: 'inline' }))).toThrow(/needs a target/);
});

test('an inline prompt whose host element leaves the page closes itself', async () => {
  document.body.innerHTML = '<main><section id="slot"></section></main>';
  const opts = options({ placement: 'inline', target: document.querySelector('#slot')! });
  mount(opts);
  document.querySelector('main')!.replaceChildren(document.createElement('p'));
  await vi.waitFor(() => expect(opts.onClose).toHaveBeenCalledExactlyOnceWith('close'));
});

test('a corner prompt closes itself when the page swaps its whole <body>', async () => {
  const opts = options();
  mount(opts);
  document.documentElement.replaceChild(document.createElement('body'), document.body);
  await vi.waitFor(() => expect(opts.onClose).toHaveBeenCalledExactlyOnceWith('close'));
});

test('closing with focus inside returns focus to where it was; unmount twice is harmless', async () => {
  const opener = document.createElement('button');
  document.body.appendChild(opener);
  opener.focus();
  const handle = mount(options({ placement: 'center' }));
  await vi.waitFor(() => expect(shadow().activeElement?.getAttribute('role')).toBe('radio'));
  (shadow().querySelector('[role="radio"]') as HTMLElement).dispatchEvent(
    new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }),
  );
  expect(document.activeElement).toBe(opener);
  expect(() => handle.unmount()).not.toThrow();
});

test('corner and centred prompts go into the top layer as manual popovers; inline ones stay in the page', () => {
  const showPopover = vi.fn(function (this: HTMLElement) {
    expect(this.isConnected).toBe(true);
  });
  HTMLElement.prototype.showPopover = showPopover;
  try {
    for (const placement of ['bottom-left', 'center'] as const) {
      const { unmount } = mount(options({ placement }));
      expect(document.querySelector('cxkit-prompt')!.getAttribute('popover')).toBe('manual');
      unmount();
    }
    expect(showPopover).toHaveBeenCalledTimes(2);
    const slot = document.body.appendChild(document.createElement('section'));
    mount(options({ placement: 'inline', target: slot }));
    expect(slot.querySelector('cxkit-prompt')!.hasAttribute('popover')).toBe(false);
    expect(showPopover).toHaveBeenCalledTimes(2);
  } finally {
    delete (HTMLElement.prototype as Partial<HTMLElement>).showPopover;
  }
});

test('where showing the popover fails the prompt stays, as a fixed box above the page', () => {
  HTMLElement.prototype.showPopover = () => {
    throw new DOMException('not allowed', 'NotSupportedError');
  };
  try {
    mount(options());
    const host = document.querySelector('cxkit-prompt')!;
    expect(host.hasAttribute('popover')).toBe(false);
    expect(host.shadowRoot!.querySelectorAll('[role="radio"]')).toHaveLength(11);
  } finally {
    delete (HTMLElement.prototype as Partial<HTMLElement>).showPopover;
  }
});
