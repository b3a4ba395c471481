import { render } from 'preact';
import { Prompt } from './Prompt';
import { adoptStyles } from './styles';
import type { MountOptions, WidgetHandle } from './types';

export type { CloseReason, Metric, MountOptions, PromptSurvey, WidgetHandle, WidgetModule } from './types';

export function mount(options: MountOptions): WidgetHandle {
  const host = document.createElement('cxkit-prompt');
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root);
  document.body.appendChild(host);
  const unmount = () => {
    render(null, root);
    host.remove();
  };
  render(
    <Prompt
      {...options}
      onClose={(reason) => {
        unmount();
        options.onClose(reason);
      }}
    />,
    root,
  );
  return { unmount };
}
