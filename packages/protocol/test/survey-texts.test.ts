import { expect, test } from 'vitest';
import { surveyTextsFor } from '../src/surveys';

test('texts fall back from region to language to English, and the widget is told which language they are in', () => {
  const texts = { en: { question: 'Q' }, pt: { question: 'P' }, 'pt-BR': { question: 'B' } };
  expect(surveyTextsFor(texts, 'pt-BR')).toEqual({ locale: 'pt-BR', texts: { question: 'B' } });
  expect(surveyTextsFor(texts, 'pt-PT')).toEqual({ locale: 'pt', texts: { question: 'P' } });
  expect(surveyTextsFor(texts, 'fr')).toEqual({ locale: 'en', texts: { question: 'Q' } });
  expect(surveyTextsFor(undefined, 'fr')).toEqual({ locale: 'fr' });
});

test('locale tags match whatever their case (BCP 47): a page in "pt-br" gets the texts written as "pt-BR"', () => {
  const texts = { en: { question: 'Q' }, 'pt-BR': { question: 'B' }, de: { question: 'D' } };
  expect(surveyTextsFor(texts, 'pt-br')).toEqual({ locale: 'pt-BR', texts: { question: 'B' } });
  expect(surveyTextsFor(texts, 'DE-CH')).toEqual({ locale: 'de', texts: { question: 'D' } });
  expect(surveyTextsFor({ EN: { question: 'E' } }, 'fr')).toEqual({ locale: 'EN', texts: { question: 'E' } });
});
