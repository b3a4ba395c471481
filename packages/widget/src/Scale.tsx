import { h } from 'preact';
import { useRef, useState } from 'preact/hooks';
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
 * Enter, Space or a click chooses, and a number key chooses that score directly. Arrows only move
 * focus, because choosing a score sends it at once.
 */
export function Scale({ values, faces, dir, labelledBy, lowLabel, highLabel, onChoose }: ScaleProps) {
  const [active, setActive] = useState(0);
  const group = useRef<HTMLDivElement>(null);
  const last = values.length - 1;

  const moveTo = (index: number) => {
    (group.current!.children[(index + values.length) % values.length] as HTMLElement).focus();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const forward = dir === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
    const back = dir === 'rtl' ? 'ArrowRight' : 'ArrowLeft';
    const { key } = event;
    if (key === forward || key === 'ArrowDown') moveTo(active + 1);
    else if (key === back || key === 'ArrowUp') moveTo(active - 1);
    else if (key === 'Home') moveTo(0);
    else if (key === 'End') moveTo(last);
    else if (/^\d$/.test(key) && values.includes(+key) && !event.ctrlKey && !event.metaKey && !event.altKey) onChoose(+key);
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
          tabIndex={i === active ? 0 : -1}
          data-score={value}
          onFocus={() => setActive(i)}
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
