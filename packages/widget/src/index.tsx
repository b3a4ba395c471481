import type { DismissReason } from '@cxkit/protocol';
import { h, render } from 'preact';
import { Prompt } from './Prompt';
import { adoptStyles } from './styles';
import type { MountOptions, WidgetHandle } from './types';

export type { Messages, MountOptions, PromptSurvey, PromptTexts, WidgetHandle, WidgetModule } from './types';

/**
 * Renders a prompt in its own shadow root: in the target element for placement "inline", else at the
 * end of <body>, shown in the top layer. When it goes away with focus inside, focus returns to where
 * it was before.
 */
export function mount(options: MountOptions): WidgetHandle {
  const inline = options.placement === 'inline';
  if (inline && !options.target) throw new TypeError('cxkit: placement "inline" needs a target element');
  const host = document.createElement('cxkit-prompt');
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root);
  let returnTo = document.activeElement;
  host.addEventListener('focusin', (event) => {
    const from = event.relatedTarget as Element | null;
    if (from && !host.contains(from)) returnTo = from;
  });
  // The top layer is above every z-index of the page, and a transform, filter, contain or overflow on
  // <body> or an ancestor can neither move nor clip what is in it. A manual popover: no light dismiss.
  // Where popovers are missing (or showing one fails), the prompt is a fixed box at a high z-index.
  const popover = !inline && !!host.showPopover;
  if (popover) host.popover = 'manual';
  (inline ? options.target! : document.body).appendChild(host);
  try {
    if (popover) host.showPopover();
  } catch {
    host.removeAttribute('popover');
  }

  let mounted = true;
  const unmount = () => {
    if (!mounted) return;
    mounted = false;
    removal.disconnect();
    const hadFocus = root.activeElement !== null;
    render(null, root);
    host.remove();
    if (hadFocus && returnTo instanceof HTMLElement && returnTo.isConnected) returnTo.focus();
  };
  const close = (reason: DismissReason) => {
    unmount();
    options.onClose(reason);
  };
  // A single-page app may replace the inline target, or a Turbo-style navigation the whole <body>: that
  // closes the prompt, so the sdk does not wait forever for a prompt nobody can see.
  const removal = new MutationObserver(() => host.isConnected || close('close'));
  removal.observe(document.documentElement, { childList: true, subtree: true });
  render(<Prompt {...options} onClose={close} />, root);
  return { unmount };
}
