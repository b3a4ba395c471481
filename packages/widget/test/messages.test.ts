import { LOCALES } from '@cxkit/protocol';
import { expect, test } from 'vitest';
import ar from '../src/locales/ar';
import de from '../src/locales/de';
import es from '../src/locales/es';
import fr from '../src/locales/fr';
import ro from '../src/locales/ro';
import { textsFor } from '../src/messages';
import type { Messages } from '../src/types';

const files: Record<string, Messages | undefined> = { en: undefined, de, ro, fr, es, ar };

test('every locale translates every text, and none is left empty', () => {
  expect(Object.keys(files)).toEqual([...LOCALES]);
  for (const locale of LOCALES) {
    const t = textsFor('nps', locale, {}, files[locale]);
    expect(t.lang).toBe(locale);
    const all = [
      ...(['nps', 'csat', 'ces'] as const).flatMap((metric) => {
        const m = textsFor(metric, locale, {}, files[locale]);
        return [m.question, m.lowLabel, m.highLabel];
      }),
      ...(['negative', 'neutral', 'positive'] as const).map((bucket) => t.followUp(bucket)),
      t.commentPlaceholder, t.send, t.thanks, t.later, t.never, t.close,
    ];
    expect(all.every((text) => typeof text === 'string' && text.trim().length > 0)).toBe(true);
    expect(new Set(all).size).toBe(all.length);
    if (locale !== 'en') expect(files[locale]).toHaveLength(all.length);
  }
});

test('a region tag uses its language, an untranslated language English, and only Arabic is right to left', () => {
  expect(textsFor('csat', 'de-AT', {}, de).send).toBe('Senden');
  expect(textsFor('csat', 'FR-ca', {}, fr).send).toBe('Envoyer');
  expect(textsFor('csat', 'pt-BR')).toMatchObject({ lang: 'en', dir: 'ltr', send: 'Send' });
  expect(textsFor('csat', undefined).lang).toBe('en');
  expect(textsFor('ces', 'ar-EG', {}, ar)).toMatchObject({ lang: 'ar', dir: 'rtl' });
  expect(textsFor('ces', 'ro', {}, ro).dir).toBe('ltr');
});

test('without its language file the prompt is English, except the texts the survey brings', () => {
  expect(textsFor('csat', 'de')).toMatchObject({ lang: 'en', dir: 'ltr', send: 'Send' });
  const arabic = textsFor('csat', 'ar', { question: 'ما مدى رضاك؟' });
  expect(arabic).toMatchObject({ lang: 'ar', dir: 'rtl', question: 'ما مدى رضاك؟', send: 'Send' });
});

test("the survey's own texts win over the translation, the follow-up per bucket or one for all", () => {
  const perBucket = textsFor('nps', 'de', { question: 'Würden Sie Acme empfehlen?', followUp: { negative: 'Was fehlt?' } }, de);
  expect(perBucket.question).toBe('Würden Sie Acme empfehlen?');
  expect(perBucket.followUp('negative')).toBe('Was fehlt?');
  expect(perBucket.followUp('positive')).toBe('Was gefällt Ihnen am besten?');
  expect(perBucket.lowLabel).toBe('Sehr unwahrscheinlich');
  const one = textsFor('csat', 'en', { followUp: 'Tell us more', send: 'Submit', close: 'Dismiss' });
  expect([one.followUp('negative'), one.followUp('positive'), one.send, one.close]).toEqual([
    'Tell us more', 'Tell us more', 'Submit', 'Dismiss',
  ]);
});

test('texts a survey brings in a language the widget does not translate are marked as that language', () => {
  expect(textsFor('nps', 'pt-BR', { question: 'Qual a probabilidade de nos recomendar?' })).toMatchObject({ lang: 'pt-BR', dir: 'ltr' });
  expect(textsFor('nps', 'pt-BR').lang).toBe('en');
  expect(textsFor('nps', 'de', { question: 'Würden Sie Acme empfehlen?' }, de).lang).toBe('de');
});
