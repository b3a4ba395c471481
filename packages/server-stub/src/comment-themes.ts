import { BUCKETS, LOCALES, type Locale, type ScoreBucket } from '@cxkit/protocol';
import { normalizeWord, WORD_LISTS } from './stop-words.js';

// Comment themes: the key phrases most comments of a score bucket share, found with no service.
// Pure: comments in, counted phrases out (docs/metrics.md#comment-themes).

/** A phrase is at most this many words. */
export const MAX_PHRASE_WORDS = 3;
/** A phrase is a theme only when at least this many comments hold it. */
export const MIN_THEME_COMMENTS = 2;

export interface ThemeComment {
  bucket: ScoreBucket;
  comment: string;
}

export interface Theme {
  phrase: string;
  /** Comments that hold the phrase; each counts once, however often it says it. */
  count: number;
}

export interface BucketThemes {
  bucket: ScoreBucket;
  /** Comments read in this bucket. */
  comments: number;
  themes: Theme[];
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
/** French and Romanian elisions: the article or pronoun glued to the next word by an apostrophe. */
const ELISION = /^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)'(.{2,})$/;
const ARABIC = /[\u0600-\u06ff]/;

interface Token {
  word: string;
  /** Punctuation or a number stood between this word and the one before. */
  breakBefore: boolean;
}

/** The words of a comment, normalised, each marked where punctuation broke the text before it. */
function tokens(comment: string): Token[] {
  const out: Token[] = [];
  let broken = true;
  for (const { segment, isWordLike } of segmenter.segment(comment)) {
    if (!isWordLike) {
      if (segment.trim() !== '') broken = true;
      continue;
    }
    const word = normalizeWord(segment);
    if (/^\p{N}+$/u.test(word)) {
      broken = true;
      continue;
    }
    const elided = ELISION.exec(word)?.[1];
    out.push({ word: elided ?? word, breakBefore: broken || elided !== undefined });
    broken = false;
  }
  return out;
}

/** The language whose stop words the comment uses most; every tied language when no one leads. */
function languagesOf(words: readonly string[]): Locale[] {
  if (words.some((word) => ARABIC.test(word))) return ['ar'];
  const hits = LOCALES.map((locale) => words.filter((word) => WORD_LISTS[locale].stop.has(word)).length);
  const most = Math.max(...hits);
  return LOCALES.filter((_, index) => hits[index] === most);
}

/**
 * Every phrase of up to MAX_PHRASE_WORDS words the comment holds: runs of words with no stop word,
 * number or punctuation between them. A negation starts a run and never ends a phrase or stands alone.
 */
export function phrasesOf(comment: string): Set<string> {
  const words = tokens(comment);
  const lists = languagesOf(words.map((t) => t.word)).map((locale) => WORD_LISTS[locale]);
  const isStop = (word: string) => word.length < 2 || lists.some((list) => list.stop.has(word));
  const isNegation = (word: string) => lists.some((list) => list.negations.has(word));

  const phrases = new Set<string>();
  let run: string[] = [];
  const endRun = () => {
    for (let start = 0; start < run.length; start++) {
      for (let end = start + 1; end <= Math.min(run.length, start + MAX_PHRASE_WORDS); end++) {
        if (!isNegation(run[end - 1]!)) phrases.add(run.slice(start, end).join(' '));
      }
    }
    run = [];
  };
  for (const { word, breakBefore } of words) {
    if (breakBefore || isNegation(word)) endRun();
    if (isNegation(word)) run.push(word);
    else if (isStop(word)) endRun();
    else run.push(word);
  }
  endRun();
  return phrases;
}

/** Whether the comment holds the phrase, as phrasesOf reads it. */
export const holdsPhrase = (comment: string, phrase: string): boolean =>
  phrasesOf(comment).has(phrasesOfQuery(phrase));

/** A phrase as someone typed it, read like a comment's words. */
const phrasesOfQuery = (phrase: string): string =>
  tokens(phrase)
    .map((t) => t.word)
    .join(' ');

/**
 * The `limit` phrases most comments of each bucket hold, most first (then longer, then
 * alphabetical). A phrase is left out when a longer one that contains it is held by exactly the
 * same comments: "export button" says more than "button" when every "button" was an export button.
 */
export function commentThemes(comments: readonly ThemeComment[], limit: number): BucketThemes[] {
  return BUCKETS.map((bucket) => {
    const counts = new Map<string, number>();
    let read = 0;
    for (const { comment } of comments.filter((c) => c.bucket === bucket)) {
      read++;
      for (const phrase of phrasesOf(comment)) counts.set(phrase, (counts.get(phrase) ?? 0) + 1);
    }
    const frequent = [...counts].filter(([, count]) => count >= MIN_THEME_COMMENTS);
    const subsumed = new Set<string>();
    for (const [phrase, count] of frequent) {
      const words = phrase.split(' ');
      for (let start = 0; start < words.length; start++) {
        for (let end = start + 1; end <= words.length; end++) {
          if (end - start === words.length) continue;
          const part = words.slice(start, end).join(' ');
          if (counts.get(part) === count) subsumed.add(part);
        }
      }
    }
    const themes = frequent
      .filter(([phrase]) => !subsumed.has(phrase))
      .sort(([a, x], [b, y]) => y - x || b.split(' ').length - a.split(' ').length || (a < b ? -1 : 1))
      .slice(0, limit)
      .map(([phrase, count]) => ({ phrase, count }));
    return { bucket, comments: read, themes };
  });
}
