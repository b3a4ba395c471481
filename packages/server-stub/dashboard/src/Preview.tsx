import { LOCALES, METRICS, type SurveyDefinition } from '@cxkit/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Draft } from './draft';
import { isPreviewAnswer, type PreviewRequest } from './preview-request';

/** How long typing may go on before the preview draws again. */
const REDRAW_AFTER_MS = 150;

/** The survey as it will look, drawn by the real widget in a frame as wide as a desktop page or a phone. */
export function Preview({ draft }: { draft: Draft }) {
  const [locale, setLocale] = useState<string>('en');
  const [theme, setTheme] = useState<PreviewRequest['theme']>('light');
  const [width, setWidth] = useState<'desktop' | 'phone'>('desktop');
  const [ready, setReady] = useState(false);
  const frame = useRef<HTMLIFrameElement>(null);
  const drawable = typeof draft.metric === 'string' && (METRICS as readonly string[]).includes(draft.metric);
  const locales = [...new Set([...LOCALES, ...Object.keys((draft.texts as Record<string, unknown> | undefined) ?? {})])];

  useEffect(() => {
    const listener = (event: MessageEvent<unknown>) => {
      if (event.origin !== location.origin || event.source !== frame.current?.contentWindow || !isPreviewAnswer(event.data)) return;
      setReady(true);
    };
    addEventListener('message', listener);
    return () => removeEventListener('message', listener);
  }, []);

  useEffect(() => {
    if (!ready || !drawable) return;
    const timer = setTimeout(() => {
      const request: PreviewRequest = { survey: { id: 'preview', ...draft } as SurveyDefinition, locale, theme };
      frame.current?.contentWindow?.postMessage(request, location.origin);
    }, REDRAW_AFTER_MS);
    return () => clearTimeout(timer);
  }, [ready, drawable, draft, locale, theme, width]);

  return (
    <section class="preview" aria-label="Preview">
      <div class="preview-controls">
        <span class="filter">
          <label for="preview-locale">Language</label>
          <select id="preview-locale" value={locale} onChange={(e) => setLocale(e.currentTarget.value)}>
            {locales.map((tag) => (
              <option value={tag}>{tag}</option>
            ))}
          </select>
        </span>
        <span class="filter">
          <label for="preview-theme">Theme</label>
          <select id="preview-theme" value={theme} onChange={(e) => setTheme(e.currentTarget.value as PreviewRequest['theme'])}>
            <option value="light">light</option>
            <option value="dark">dark</option>
          </select>
        </span>
        <span class="filter">
          <label for="preview-width">Width</label>
          <select id="preview-width" value={width} onChange={(e) => setWidth(e.currentTarget.value as 'desktop' | 'phone')}>
            <option value="desktop">desktop</option>
            <option value="phone">phone</option>
          </select>
        </span>
      </div>
      {!drawable && <p class="sub">Pick a metric to see the prompt.</p>}
      <iframe ref={frame} class={`preview-frame ${width}`} title="Survey preview" src="/dashboard/preview.html" />
      <p class="hint">Answers given here are not sent. Change a field, or the language, to show it again.</p>
    </section>
  );
}
