import { BUCKETS, METRICS, type Metric, type ScoreBucket } from '@cxkit/protocol';
import type { Messages, PromptTexts } from './types';

// The texts in this order: question, low and high label for NPS, CSAT and CES (METRICS' order); the
// follow-ups for the BUCKETS; then the OWN keys below. English is in the widget chunk; every other
// language is a file of its own (src/locales/, cxkit-widget-<lang>.js) that the sdk loads beside the
// chunk and passes in as `messages`, so a prompt does not ship the five languages it is not shown in.
const OWN = ['commentPlaceholder', 'send', 'thanks', 'later', 'never', 'close'] as const;

const en: Messages = [
  'How likely are you to recommend us to a friend or colleague?', 'Not at all likely', 'Extremely likely',
  'How satisfied are you with your experience?', 'Very dissatisfied', 'Very satisfied',
  'How easy was it to do what you wanted?', 'Very difficult', 'Very easy',
  'What could we do better?', 'What would make your experience better?', 'What do you like most?',
  'Your answer (optional)', 'Send', 'Thank you for your feedback!', 'Remind me later', 'Don’t ask again', 'Close',
];

/** The texts a prompt shows: the survey's own for this locale, else the widget's translation. */
export interface Texts {
  lang: string;
  dir: 'ltr' | 'rtl';
  question: string;
  lowLabel: string;
  highLabel: string;
  followUp(bucket: ScoreBucket): string;
  commentPlaceholder: string;
  send: string;
  thanks: string;
  later: string;
  never: string;
  close: string;
}

/**
 * "de-AT" uses German, given German `messages`; without them (English, a language we do not translate,
 * or a language file that did not load) the widget's own texts are English. The survey's own texts win.
 */
export function textsFor(metric: Metric, locale: string | undefined, own: PromptTexts = {}, messages?: Messages): Texts {
  const tag = (locale || 'en').toLowerCase().split('-')[0]!;
  const lang = messages ? tag : 'en';
  const m = messages ?? en;
  const at = 3 * METRICS.indexOf(metric);
  const followUp = own.followUp;
  // The survey's own texts are in the locale given (the sdk passes the one it found them in): in a
  // language the widget has no texts for, screen readers must still read them in that language.
  const ownLanguage = lang !== tag && Object.keys(own).length > 0;
  const texts = {
    lang: ownLanguage ? locale! : lang,
    dir: (ownLanguage ? tag : lang) === 'ar' ? 'rtl' : 'ltr',
    question: own.question ?? m[at]!,
    lowLabel: own.lowLabel ?? m[at + 1]!,
    highLabel: own.highLabel ?? m[at + 2]!,
    followUp: (bucket: ScoreBucket) => (typeof followUp === 'string' ? followUp : followUp?.[bucket]) ?? m[9 + BUCKETS.indexOf(bucket)]!,
  } as Texts;
  OWN.forEach((key, i) => (texts[key] = own[key] ?? m[12 + i]!));
  return texts;
}
