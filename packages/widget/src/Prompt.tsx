import { bucketOf, LIMITS, scaleOf, type ScoreBucket } from '@cxkit/protocol';
import { useSignal } from '@preact/signals';
import { Fragment, h } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { textsFor } from './messages';
import { Scale } from './Scale';
import type { MountOptions } from './types';

/** How long the thank-you stays before the prompt closes itself. */
export const THANKS_MS = 4000;
/**
 * Corner and inline prompts do not take focus, so a live region announces their question: screen
 * readers only announce changes to a region already in the page, so it is filled a moment later.
 */
export const ANNOUNCE_MS = 150;

type Stage = 'score' | 'comment' | 'thanks';
type PromptProps = Omit<MountOptions, 'target'>;

export function Prompt({ survey, locale, messages, theme = 'auto', placement = 'bottom-right', takeFocus = true, onScore, onComment, onClose }: PromptProps) {
  const t = textsFor(survey.metric, locale, survey.texts, messages);
  const { min, max } = scaleOf(survey.metric, survey.scaleMax);
  const stage = useSignal<Stage>('score');
  const bucket = useSignal<ScoreBucket>('neutral');
  const comment = useSignal('');
  const announcement = useSignal('');
  const card = useRef<HTMLDivElement>(null);
  // Focus follows a stage change only if the user was working inside the prompt.
  const focusNext = useRef(false);
  const modal = placement === 'center';

  // In tab order: the stage's controls (the scale first, or the comment box), then the close button.
  const focusables = () =>
    Array.from(card.current!.querySelectorAll<HTMLElement>('button:not([tabindex="-1"]),textarea'));
  const focused = () => (card.current!.getRootNode() as Document | ShadowRoot).activeElement;
  const hasFocus = () => card.current!.contains(focused());

  const goTo = (next: Stage) => {
    focusNext.current = hasFocus();
    stage.value = next;
  };

  useEffect(() => {
    // Moving focus into the centred dialog makes screen readers read its name, the question.
    if (modal && takeFocus) return void focusables()[0]!.focus();
    const timer = setTimeout(() => (announcement.value = t.question), ANNOUNCE_MS);
    return () => clearTimeout(timer);
  }, []);

  useEffect(() => {
    if (focusNext.current) (stage.value === 'thanks' ? card.current! : focusables()[0]!).focus();
    if (stage.value !== 'thanks') return;
    const timer = setTimeout(() => onClose('close'), THANKS_MS);
    return () => clearTimeout(timer);
  }, [stage.value]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose('close');
    } else if (modal && event.key === 'Tab') {
      const items = focusables();
      const from = focused();
      // The card itself holds focus on the thank-you; Shift+Tab from it would leave the dialog.
      if (from === card.current || from === items[event.shiftKey ? 0 : items.length - 1]) {
        event.preventDefault();
        items[event.shiftKey ? items.length - 1 : 0]!.focus();
      }
    }
  };

  const cardElement = (
    <div
      ref={card}
      class={`card ${placement} ${theme}`}
      part="card"
      role="dialog"
      aria-modal={modal ? 'true' : undefined}
      aria-labelledby="cxkit-question"
      lang={t.lang}
      dir={t.dir}
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      {/*
        One live region, there from the start and first in reading order: it holds the question of a
        prompt that did not take focus (the visible one is hidden from screen readers then, so it is
        read once), then shows the thanks.
      */}
      <p
        class={stage.value === 'thanks' ? 'question thanks' : 'sr'}
        part={stage.value === 'thanks' ? 'question thanks' : undefined}
        id={stage.value === 'thanks' ? 'cxkit-question' : undefined}
        role="status"
      >
        {stage.value === 'thanks' ? t.thanks : stage.value === 'score' && announcement.value}
      </p>
      {stage.value === 'score' && (
        <>
          <p class="question" part="question" id="cxkit-question" aria-hidden={modal ? undefined : 'true'}>
            {t.question}
          </p>
          <Scale
            values={Array.from({ length: max - min + 1 }, (_, i) => min + i)}
            faces={survey.metric === 'csat' && survey.scaleStyle === 'faces'}
            dir={t.dir}
            labelledBy="cxkit-question"
            lowLabel={t.lowLabel}
            highLabel={t.highLabel}
            onChoose={(score) => {
              bucket.value = bucketOf(survey.metric, survey.scaleMax, score);
              onScore(score);
              goTo(survey.comment === false ? 'thanks' : 'comment');
            }}
          />
          <div class="ends" part="ends" aria-hidden="true">
            <span>{t.lowLabel}</span>
            <span>{t.highLabel}</span>
          </div>
          <div class="actions">
            <button type="button" class="link" part="later" onClick={() => onClose('later')}>
              {t.later}
            </button>
            <button type="button" class="link" part="never" onClick={() => onClose('never')}>
              {t.never}
            </button>
          </div>
        </>
      )}
      {stage.value === 'comment' && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const text = comment.value.trim();
            if (text) onComment(text);
            goTo('thanks');
          }}
        >
          <label class="question" part="question" id="cxkit-question" for="cxkit-comment">
            {t.followUp(bucket.value)}
          </label>
          <textarea
            id="cxkit-comment"
            part="comment"
            placeholder={t.commentPlaceholder}
            maxLength={LIMITS.commentChars}
            value={comment.value}
            onInput={(event) => (comment.value = (event.target as HTMLTextAreaElement).value)}
          />
          <button type="submit" class="send" part="send">
            {t.send}
          </button>
        </form>
      )}
      {/* Last in tab order, so Tab enters the scale first. */}
      <button type="button" class="close" part="close" aria-label={t.close} onClick={() => onClose('close')}>
        <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false">
          <path d="M4 4l8 8M12 4l-8 8" />
        </svg>
      </button>
    </div>
  );

  return modal ? (
    <div class="backdrop" part="backdrop">
      {cardElement}
    </div>
  ) : (
    cardElement
  );
}
