import { describe, expect, test } from 'vitest';
import { commentThemes, holdsPhrase, phrasesOf, type ThemeComment } from '../src/comment-themes';

const sorted = (phrases: Set<string>) => [...phrases].sort();

describe('the phrases of one comment', () => {
  test.each([
    // Stop words, numbers and punctuation end a phrase; what is left runs up to three words.
    ['en', 'The export is 100% broken', ['broken', 'export']],
    ['en', 'Export button broken, search slow', ['broken', 'button', 'button broken', 'export', 'export button', 'export button broken', 'search', 'search slow', 'slow']],
    ['de', 'Die Suche ist sehr langsam', ['langsam', 'suche']],
    // Romanian written with cedillas reads as written with commas below.
    ['ro', 'Exportul este lent şi greu', ['exportul', 'greu', 'lent']],
    ['ro', 'Exportul este lent și greu', ['exportul', 'greu', 'lent']],
    // French elisions: the article glued by an apostrophe (straight or curly) is not part of the phrase.
    ['fr', "L'export est très lent", ['export', 'lent']],
    ['fr', 'L’application plante souvent', ['application', 'application plante', 'application plante souvent', 'plante', 'plante souvent', 'souvent']],
    ['es', 'La búsqueda es muy lenta', ['búsqueda', 'lenta']],
    // Arabic is read without its optional vowel marks and with one form of alef.
    ['ar', 'التصدير بطيء جدًا', ['التصدير', 'التصدير بطيء', 'بطيء']],
    ['ar', 'التَّصدير بطيء', ['التصدير', 'التصدير بطيء', 'بطيء']],
  ])('%s: %s', (_, comment, phrases) => {
    expect(sorted(phrasesOf(comment))).toEqual([...phrases].sort());
  });

  test.each([
    ['en', 'Search does not work', ['not work', 'search', 'work']],
    ['de', 'Der Export funktioniert nicht', ['export', 'export funktioniert', 'funktioniert']],
    ['es', 'No funciona la exportación', ['exportación', 'funciona', 'no funciona']],
    ['ro', 'Nu merge exportul', ['exportul', 'merge', 'merge exportul', 'nu merge', 'nu merge exportul']],
  ])('%s: a negation begins a phrase and is never one alone: %s', (_, comment, phrases) => {
    expect(sorted(phrasesOf(comment))).toEqual([...phrases].sort());
  });

  test('a word that is a stop word only in another language stays in an English comment', () => {
    // "die" is a German article; this comment's stop words are English.
    expect(phrasesOf('The batteries die after an hour')).toContain('batteries die');
  });

  test('the same phrase said twice in a comment is held once', () => {
    expect(phrasesOf('slow, slow, slow').size).toBe(1);
  });

  test('a phrase typed in another case or with curly apostrophes matches as the comment reads', () => {
    expect(holdsPhrase('L’Export Button is broken', 'export BUTTON')).toBe(true);
    expect(holdsPhrase('The export is broken', 'export broken')).toBe(false);
    expect(holdsPhrase('Exportul este lent şi greu', 'lent')).toBe(true);
  });
});

describe('themes of many comments', () => {
  const comments = (bucket: ThemeComment['bucket'], ...texts: string[]) => texts.map((comment) => ({ bucket, comment }));

  test('the phrases most comments of each bucket hold, each comment counted once, most first', () => {
    const themes = commentThemes(
      [
        ...comments('negative', 'Export is slow', 'The export is slow and slow', 'Export fails on big files', 'Search is slow'),
        ...comments('positive', 'Love the new editor', 'The new editor is great', 'Great support'),
      ],
      10,
    );
    expect(themes.map((b) => [b.bucket, b.comments])).toEqual([
      ['negative', 4],
      ['neutral', 0],
      ['positive', 3],
    ]);
    expect(themes[0]!.themes).toEqual([
      { phrase: 'export', count: 3 },
      { phrase: 'slow', count: 3 },
    ]);
    expect(themes[1]!.themes).toEqual([]);
    // Held equally often: the longer phrase first.
    expect(themes[2]!.themes).toEqual([
      { phrase: 'new editor', count: 2 },
      { phrase: 'great', count: 2 },
    ]);
  });

  test('a phrase held by one comment only is no theme', () => {
    const [negative] = commentThemes(comments('negative', 'Export is slow', 'Search broken'), 10);
    expect(negative!.themes).toEqual([]);
  });

  test('a shorter phrase held by exactly the comments of a longer one gives way to it; one held more often stays', () => {
    const [negative] = commentThemes(
      comments('negative', 'Export button broken', 'Export button broken again', 'Export is slow'),
      10,
    );
    // "button" and "button broken" are only ever in "export button broken"; "export" is said once more.
    expect(negative!.themes).toEqual([
      { phrase: 'export', count: 3 },
      { phrase: 'export button broken', count: 2 },
    ]);
  });

  test('ties go to the longer phrase, then alphabetically; the limit keeps the first', () => {
    const [negative] = commentThemes(comments('negative', 'zoom; login page', 'zoom; login page', 'alpha', 'alpha'), 2);
    expect(negative!.themes).toEqual([
      { phrase: 'login page', count: 2 },
      { phrase: 'alpha', count: 2 },
    ]);
  });

  test('comments in the six languages each give their themes', () => {
    const [negative] = commentThemes(
      comments(
        'negative',
        'Die Suche ist langsam',
        'Die Suche ist sehr langsam',
        'La búsqueda es lenta',
        'La búsqueda es muy lenta',
        'التصدير بطيء',
        'التَّصدير بطيء جدا',
      ),
      10,
    );
    expect(negative!.themes.map((t) => t.phrase).sort()).toEqual(['búsqueda', 'langsam', 'lenta', 'suche', 'التصدير بطيء'].sort());
  });
});
