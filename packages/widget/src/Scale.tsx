import { useSignal } from '@preact/signals';
import { h } from 'preact';
import { useRef } from 'preact/hooks';
import { Face } from './Face';

interface ScaleProps {
  values: number[];
  faces: boolean;
  dir: 'ltr' | 'rtl';
  labelledBy: string;
  lowLabel: string;
  highLabel: string;
  onChoose(value: number): void;
}

/**
 * A radio group with a roving tabindex: Tab enters at one option, arrows move between them,
 * Enter, Space or a click chooses, and a number key chooses that score directly, with + (or =, the
 * same key on a US keyboard) for NPS 10. Arrows only move focus, because choosing a score sends it
 * at once. The keys are the scale's, so typing in the comment box is never taken for a score.
 */
export function Scale({ values, faces, dir, labelledBy, lowLabel, highLabel, onChoose }: ScaleProps) {
  const active = useSignal(0);
  const group = useRef<HTMLDivElement>(null);
  const last = values.length - 1;

  const moveTo = (index: number) => {
    (group.current!.children[(index + values.length) % values.length] as HTMLElement).focus();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const forward = dir === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
    const back = dir === 'rtl' ? 'ArrowRight' : 'ArrowLeft';
    const { key } = event;
    const score = key === '+' || key === '=' ? 10 : /^\d$/.test(key) ? +key : NaN;
    if (key === forward || key === 'ArrowDown') moveTo(active.value + 1);
    else if (key === back || key === 'ArrowUp') moveTo(active.value - 1);
    else if (key === 'Home') moveTo(0);
    else if (key === 'End') moveTo(last);
    else if (values.includes(score) && !event.ctrlKey && !event.metaKey && !event.altKey) onChoose(score);
    else return;
    event.preventDefault();
  };

  return (
    <div
      ref={group}
      class={faces ? 'scale faces' : 'scale'}
      part="scale"
      role="radiogroup"
      aria-labelledby={labelledBy}
      onKeyDown={onKeyDown}
    >
      {values.map((value, i) => (
        <button
          type="button"
          class="score"
          part="score"
          role="radio"
          aria-checked="false"
          tabIndex={i === active.value ? 0 : -1}
          data-score={value}
          onFocus={() => (active.value = i)}
          onClick={() => onChoose(value)}
        >
          {faces ? <Face mood={i / last} /> : value}
          {faces && <span class="sr">{value}</span>}
          {(i === 0 || i === last) && <span class="sr">{` ${i ? highLabel : lowLabel}`}</span>}
        </button>
      ))}
    </div>
  );
}
