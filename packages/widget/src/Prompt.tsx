import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { messagesFor } from './messages';
import type { MountOptions } from './types';

/** How long the thank-you stays before the prompt closes itself. */
export const THANKS_MS = 4000;

export function Prompt({ survey, locale, onScore, onComment, onClose }: MountOptions) {
  const m = messagesFor(locale);
  const stage = useSignal<'score' | 'comment' | 'thanks'>('score');
  const score = useSignal<number | undefined>(undefined);
  const comment = useSignal('');
  const max = survey.scaleMax ?? 10;
  const min = survey.metric === 'nps' ? 0 : 1;
  const values = Array.from({ length: max - min + 1 }, (_, i) => min + i);

  useEffect(() => {
    if (stage.value !== 'thanks') return;
    const timer = setTimeout(() => onClose('close'), THANKS_MS);
    return () => clearTimeout(timer);
  }, [stage.value]);

  return (
    <div class="cxkit" part="container" role="dialog" aria-labelledby="cxkit-question">
      <button type="button" class="close" part="close" aria-label={m.close} onClick={() => onClose('close')}>
        ×
      </button>
      {stage.value === 'score' && (
        <div>
          <span class="question" id="cxkit-question">
            {survey.question ?? m.npsQuestion}
          </span>
          <div class="scale" role="radiogroup" aria-labelledby="cxkit-question">
            {values.map((value) => (
              <button
                type="button"
                class="score"
                part="score"
                role="radio"
                aria-checked={score.value === value}
                data-score={value}
                onClick={() => {
                  score.value = value;
                  stage.value = 'comment';
                  onScore(value);
                }}
              >
                {value}
              </button>
            ))}
          </div>
          <div class="ends" aria-hidden="true">
            <span>{m.npsLow}</span>
            <span>{m.npsHigh}</span>
          </div>
        </div>
      )}
      {stage.value === 'comment' && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const text = comment.value.trim();
            if (text) onComment(text);
            stage.value = 'thanks';
          }}
        >
          <label class="question" id="cxkit-question" for="cxkit-comment">
            {m.followUp}
          </label>
          <textarea
            id="cxkit-comment"
            part="comment"
            placeholder={m.commentPlaceholder}
            value={comment.value}
            onInput={(event) => (comment.value = (event.target as HTMLTextAreaElement).value)}
          />
          <button type="submit" class="send" part="send">
            {m.send}
          </button>
        </form>
      )}
      {stage.value === 'thanks' && (
        <p class="question" id="cxkit-question" role="status">
          {m.thanks}
        </p>
      )}
    </div>
  );
}
