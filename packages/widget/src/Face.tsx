import { h } from 'preact';

/** A face drawn, not an emoji, so it looks the same without an emoji font. mood: 0 frowning … 1 smiling. */
export function Face({ mood }: { mood: number }) {
  const bend = Math.round((mood - 0.5) * 12);
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <circle cx="12" cy="12" r="10" />
      <path d={`M8 9v1m8-1v1M7.5 ${15.5 - bend / 4}Q12 ${15.5 + bend * 0.75} 16.5 ${15.5 - bend / 4}`} />
    </svg>
  );
}
