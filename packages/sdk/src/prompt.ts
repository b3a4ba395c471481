import type { WidgetModule } from '@cxkit/widget';
import { METRICS, surveyTextsFor, type DismissReason, type PromptTrigger, type SurveyDefinition, type SurveyResponseItem } from '@cxkit/protocol';
import type { Draft } from './client';
import type { LoadWidget } from './widget-loader';

export interface PrompterOptions {
  loadWidget: LoadWidget;
  enqueue: (draft: Draft) => void;
  /** Makes the responseId (the core's uuidv7, passed in so that it is not shipped twice). */
  newId: () => string;
  locale: () => string;
  theme: () => 'light' | 'dark' | 'auto' | undefined;
  /** The prompt closed (answered or not): a good moment to send. */
  onClosed: (surveyId: string) => void;
  log: (...args: unknown[]) => void;
}

export interface Prompter {
  /**
   * Shows the survey; resolves true when it was shown. One at a time is the caller's to ensure
   * (prompt-lock.ts). The trigger goes with the answer, for breakdowns by its event's properties.
   */
  show(survey: SurveyDefinition, trigger: PromptTrigger): Promise<boolean>;
}

/** The bridge between a survey definition and the widget: shows it and turns answers into items. */
export function createPrompter({ loadWidget, enqueue, newId, locale, theme, onClosed, log }: PrompterOptions): Prompter {
  return {
    async show(survey, trigger) {
      if (typeof survey?.id !== 'string' || !survey.id || !(METRICS as readonly unknown[]).includes(survey.metric)) {
        log('a survey needs an id and a metric (nps, csat or ces):', survey);
        return false;
      }
      // The locale is known before the widget loads, so its language file loads beside it.
      const localized = surveyTextsFor(survey.texts, locale());
      let widget: WidgetModule;
      try {
        widget = await loadWidget(localized.locale);
      } catch (error) {
        log('could not load the widget', error);
        return false;
      }
      // Looked up once the widget is here: a single-page app may have replaced the element meanwhile.
      const target = survey.placement === 'inline' ? inlineTarget(survey.target) : undefined;
      if (survey.placement === 'inline' && !target) {
        log(`survey ${survey.id}: no element matches its target`, survey.target);
        return false;
      }
      const responseId = newId();
      let score: number | undefined;
      const respond = (final: boolean, comment?: string) =>
        enqueue({
          type: 'survey_response',
          surveyId: survey.id,
          responseId,
          metric: survey.metric,
          score: score!,
          final,
          trigger,
          ...(comment ? { comment } : {}),
        } satisfies Omit<SurveyResponseItem, 'id' | 'timestamp' | 'anonymousId' | 'sessionId'>);
      try {
        widget.mount({
          survey: {
            id: survey.id,
            metric: survey.metric,
            scaleMax: survey.scaleMax,
            scaleStyle: survey.scaleStyle,
            comment: survey.comment,
            texts: localized.texts,
          },
          locale: localized.locale,
          theme: survey.theme ?? theme(),
          placement: survey.placement,
          target,
          // Without a follow-up the score is the whole answer: the response is complete at once.
          onScore(value) {
            score = value;
            respond(survey.comment === false);
          },
          onComment(comment) {
            if (score !== undefined) respond(true, comment);
          },
          // "later" and "never" are reported as given; what they mean for the next display is targeting's.
          onClose(reason: DismissReason) {
            if (score === undefined) enqueue({ type: 'survey_dismissed', surveyId: survey.id, reason });
            onClosed(survey.id);
          },
        });
      } catch (error) {
        log('could not show survey', survey.id, error);
        return false;
      }
      enqueue({ type: 'survey_shown', surveyId: survey.id });
      return true;
    },
  };
}

function inlineTarget(selector: string | undefined): Element | undefined {
  try {
    return (selector && document.querySelector(selector)) || undefined;
  } catch {
    return undefined; // not a valid selector: reported like a missing element
  }
}
