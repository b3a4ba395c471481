import type { WidgetModule } from '@cxkit/widget';
import type { DismissReason, SurveyDefinition, SurveyResponseItem, SurveyTexts } from './protocol';
import type { Draft } from './client';
import { uuidv7 } from './uuid';

export interface PrompterOptions {
  loadWidget: () => Promise<WidgetModule>;
  enqueue: (draft: Draft) => void;
  locale: () => string;
  theme: () => 'light' | 'dark' | 'auto' | undefined;
  /** The prompt closed (answered or not): a good moment to send. */
  onClosed: () => void;
  log: (...args: unknown[]) => void;
}

export interface Prompter {
  /** Shows the survey unless a prompt is already open; resolves true when it was shown. */
  show(survey: SurveyDefinition): Promise<boolean>;
}

/** The bridge between a survey definition and the widget: shows it and turns answers into items. */
export function createPrompter({ loadWidget, enqueue, locale, theme, onClosed, log }: PrompterOptions): Prompter {
  let open = false;

  return {
    async show(survey) {
      if (open) return false;
      open = true;
      let widget: WidgetModule;
      try {
        widget = await loadWidget();
      } catch (error) {
        open = false;
        log('could not load the widget', error);
        return false;
      }
      const responseId = uuidv7();
      let score: number | undefined;
      const respond = (final: boolean, comment?: string) =>
        enqueue({
          type: 'survey_response',
          surveyId: survey.id,
          responseId,
          metric: survey.metric,
          score: score!,
          final,
          ...(comment ? { comment } : {}),
        } satisfies Omit<SurveyResponseItem, 'id' | 'timestamp' | 'anonymousId' | 'sessionId'>);
      enqueue({ type: 'survey_shown', surveyId: survey.id });
      const texts = textsFor(survey.texts, locale());
      widget.mount({
        survey: {
          id: survey.id,
          metric: survey.metric,
          scaleMax: survey.scaleMax,
          question: texts?.question,
        },
        locale: locale(),
        theme: survey.theme ?? theme(),
        onScore(value) {
          score = value;
          respond(false);
        },
        onComment(comment) {
          if (score !== undefined) respond(true, comment);
        },
        onClose(reason: DismissReason) {
          open = false;
          if (score === undefined) enqueue({ type: 'survey_dismissed', surveyId: survey.id, reason });
          onClosed();
        },
      });
      return true;
    },
  };
}

/** The texts for a locale: exact ("pt-BR"), then its language ("pt"), then English. */
export function textsFor(texts: Record<string, SurveyTexts> | undefined, locale: string): SurveyTexts | undefined {
  if (!texts) return undefined;
  return texts[locale] ?? texts[locale.split('-')[0]!] ?? texts.en;
}
