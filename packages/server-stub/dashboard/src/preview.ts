// The editor's live preview, in a frame of its own: the survey is drawn by the widget chunk the sdk
// loads and its language file, with the texts a device in the chosen locale would get. Nothing it is
// answered is sent.
import { languageOf, surveyTextsFor } from '@cxkit/protocol';
import type { Messages, WidgetHandle, WidgetModule } from '@cxkit/widget';
import { isPreviewRequest, type PreviewRequest } from './preview-request';
import './preview.css';

const WIDGET_URL = '/sdk/cxkit-widget.js';
const widget = import(/* @vite-ignore */ WIDGET_URL) as Promise<WidgetModule>;
let shown: WidgetHandle | undefined;
let draws = 0;

/** The widget's own texts for a locale from its language file, as the sdk passes them (none for English). */
async function messagesFor(locale: string): Promise<Messages | undefined> {
  const language = languageOf(locale);
  if (language === 'en') return undefined;
  // As in the sdk: without its language file the widget's own texts are English.
  return import(/* @vite-ignore */ `/sdk/cxkit-widget-${language}.js`).then((file: { default: Messages }) => file.default, () => undefined);
}

function problem(text: string) {
  const node = document.getElementById('preview-problem')!;
  node.textContent = text;
  node.hidden = false;
}

async function draw({ survey, locale, theme }: PreviewRequest) {
  const turn = ++draws;
  let module: WidgetModule;
  try {
    module = await widget;
  } catch {
    return problem(`The widget could not be loaded from ${WIDGET_URL}: is the server running with the sdk built?`);
  }
  const localized = surveyTextsFor(survey.texts, locale);
  const messages = await messagesFor(localized.locale);
  // A later request drawn meanwhile (its language file came first) stays on screen.
  if (turn !== draws) return;
  shown?.unmount();
  shown = undefined;
  const inline = survey.placement === 'inline';
  try {
    shown = module.mount({
      survey: { id: survey.id, metric: survey.metric, scaleMax: survey.scaleMax, scaleStyle: survey.scaleStyle, comment: survey.comment, texts: localized.texts },
      locale: localized.locale,
      messages,
      theme: survey.theme === 'light' || survey.theme === 'dark' ? survey.theme : theme,
      placement: survey.placement,
      target: inline ? document.getElementById('inline-target')! : undefined,
      // A centred prompt takes focus only when the frame has it: typing in the form goes on undisturbed.
      takeFocus: document.hasFocus(),
      onScore() {},
      onComment() {},
      onClose() {
        shown = undefined;
      },
    });
    document.getElementById('preview-problem')!.hidden = true;
  } catch (error) {
    problem(`The widget could not show this survey: ${(error as Error).message}`);
  }
}

addEventListener('message', (event: MessageEvent<unknown>) => {
  if (event.origin === location.origin && event.source === parent && isPreviewRequest(event.data)) void draw(event.data);
});
parent.postMessage({ ready: true }, location.origin);
