export interface Messages {
  npsQuestion: string;
  npsLow: string;
  npsHigh: string;
  followUp: string;
  commentPlaceholder: string;
  send: string;
  close: string;
  thanks: string;
}

const en: Messages = {
  npsQuestion: 'How likely are you to recommend us to a friend or colleague?',
  npsLow: 'Not at all likely',
  npsHigh: 'Extremely likely',
  followUp: 'What is the main reason for your score?',
  commentPlaceholder: 'Your answer (optional)',
  send: 'Send',
  close: 'Close',
  thanks: 'Thank you for your feedback!',
};

const catalog: Record<string, Messages> = { en };

export function messagesFor(locale: string | undefined): Messages {
  const lang = (locale ?? 'en').toLowerCase().split('-')[0]!;
  return catalog[lang] ?? en;
}
