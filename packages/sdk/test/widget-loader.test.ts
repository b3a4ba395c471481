import type { MountOptions, WidgetModule } from '@cxkit/widget';
import { expect, test, vi } from 'vitest';
import { widgetLoader } from '../src/widget-loader';

const options = { survey: { id: 's1', metric: 'nps' }, onScore() {}, onComment() {}, onClose() {} } satisfies MountOptions;

function setup(languageFile: () => Promise<{ default: string[] }> = async () => ({ default: ['Wie wahrscheinlich …'] })) {
  const widget: WidgetModule = { mount: vi.fn(() => ({ unmount() {} })) };
  let resolveChunk!: (module: WidgetModule) => void;
  const chunk = vi.fn(() => new Promise<WidgetModule>((resolve) => (resolveChunk = resolve)));
  const file = vi.fn(languageFile);
  return { widget, chunk, file, load: widgetLoader(chunk, file), resolve: () => resolveChunk(widget) };
}

test('a German prompt asks for the widget chunk and its language file at once, and mounts with its texts', async () => {
  const { widget, chunk, file, load, resolve } = setup();
  const loading = load('de-AT');
  expect([chunk.mock.calls.length, file.mock.calls]).toEqual([1, [['de']]]);
  resolve();
  (await loading).mount(options);
  expect(widget.mount).toHaveBeenCalledWith({ ...options, messages: ['Wie wahrscheinlich …'] });
});

test('English, and a language the widget does not speak, load no language file', async () => {
  for (const locale of ['en', 'EN-gb', 'pt-BR']) {
    const { widget, file, load, resolve } = setup();
    const loading = load(locale);
    resolve();
    (await loading).mount(options);
    expect(file).not.toHaveBeenCalled();
    expect(widget.mount).toHaveBeenCalledWith({ ...options, messages: undefined });
  }
});

test('a language file that fails to load leaves the prompt English instead of unshown', async () => {
  const { widget, load, resolve } = setup(() => Promise.reject(new Error('404')));
  const loading = load('ar');
  resolve();
  (await loading).mount(options);
  expect(widget.mount).toHaveBeenCalledWith({ ...options, messages: undefined });
});
