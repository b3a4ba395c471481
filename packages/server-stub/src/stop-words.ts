import type { Locale } from '@cxkit/protocol';

// Words that carry no theme, in each language the widget speaks: articles, pronouns, prepositions,
// conjunctions, auxiliaries and fillers. Words that judge (good, slow, gut, lent) are themes and are
// never listed here; negations are kept apart in NEGATIONS, because "not working" is a theme that
// "working" is not. Written as the comments are read: lower case, as normalizeWord leaves them.

const STOP_WORDS: Record<Locale, string> = {
  en: `a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing done down during each even ever every few for from
    further get gets getting got had has have having he her here hers herself him himself his how i i'd i'll
    i'm i've if in into is it it's its itself just let lot lots me more most much must my myself now of off
    on once one only or other our ours ourselves out over own quite rather really same she should so some
    still such than that that's the their theirs them themselves then there there's these they they're this
    those through to too under until up upon us very was we we're were what when where which while who whom
    why will with would you you're your yours yourself yourselves yet though although however whether`,
  de: `aber alle allem allen aller alles als also am an ander andere anderen auch auf aus bei beim bin bis
    bist da damit dann das dass dein deine dem den denn der des dessen deshalb die dies diese diesem diesen
    dieser dieses doch dort du durch ein eine einem einen einer eines er es etwas euch euer eure für gegen
    hab habe haben hat hatte hätte hier hin ich ihr ihre ihrem ihren ihrer im in ist ja jede jedem jeden
    jeder jedes jetzt kann können könnte man manche mehr mein meine mich mir mit muss müssen nach noch nun
    nur ob oder ohne schon sehr sein seine sich sie sind so solche soll sollte sondern um und uns unser
    unsere unter viel vom von vor war waren was weil wenn wer werde werden wie wieder will wir wird wo wurde
    würde zu zum zur über`,
  ro: `a acea aceasta această aceea acei aceia acel acela acele acest acesta aceste acestea acestui acolo
    acum ai aici al ale alt alte altă am ar are as asta așa ați au avea aveam avem aveți avut azi care ce
    cea cei cel cele cine cu cum când că către da dacă dar de deci deja despre din dintre doar după e ea
    ei el ele era este eu fi fie fost foarte fără ia iar ii il îl îi în într într-o într-un își la le li
    lor lui m-a mai mea mei mele meu mi mie mult multe mă ne nici noi noastră nostru o ori pe pentru peste
    poate pot prin prea s-a sa sau se si sine spre sub sunt suntem sunteți să sînt și te tot toate toți tu
    un una unde unei unor unui vă vom voi vor`,
  fr: `a ai aie au aura aurai aussi autre autres aux avait avec avez avoir avons ayant bien ça car ce ceci
    cela celle celui ces cet cette chaque comme dans de des donc du elle elles en encore est et était été
    être eu eux fait faire il ils je la le les leur leurs lui là ma mais me même mes moi mon nos notre
    nous on ont ou où par parce peu plus pour qu que quel quelle quelque qui sa sans se ses si son sont
    suis sur ta te tes toi ton tous tout toute toutes très trop tu un une vos votre vous y à`,
  es: `a al algo algunos ante antes aquí así aun aunque bien cada como con cual cuando de del desde donde
    dos durante e el ella ellas ellos en entre era es esa ese eso esta estaba estar este esto estos está
    están fue fueron ha había han hasta hay la las le les lo los me mi mis mucho muy más nada ni nos
    nosotros o os otra otro para pero poco por porque que quien qué se ser si sido sin sobre son su sus
    también tan te tengo tiene ti todo todos tu tus un una uno unos usted y ya yo él`,
  ar: `أن أنا أنت أو إلى إن التي الذي الذين الى ان انا او ايضا أيضا به بها بعد بين تلك ثم جدا حتى
    ذلك على عن عند عندما غير فقط في فيه فيها قد كان كانت كل كما لقد له لها لهذا مع من منذ هذا هذه هو
    هي هل و يا`,
};

/** Words that turn the words after them around; they begin a phrase and are never one alone. */
const NEGATIONS: Record<Locale, string> = {
  en: `no not never nothing nobody cannot can't don't doesn't didn't isn't wasn't aren't won't wouldn't couldn't`,
  de: `nicht nichts kein keine keinen keiner nie niemals`,
  ro: `nu niciodată nimic niciun nicio`,
  fr: `ne pas jamais rien aucun aucune`,
  es: `no nunca nada ningún ninguna ninguno`,
  ar: `لا لم لن ليس ما`,
};

/** Lower case, one apostrophe, Romanian's comma-below letters, Arabic without its optional marks. */
export function normalizeWord(word: string): string {
  return word
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\u2019\u02bc]/g, "'")
    .replace(/ş/g, 'ș')
    .replace(/ţ/g, 'ț')
    .replace(/[\u064b-\u065f\u0670\u0640]/g, '')
    .replace(/[أإآ]/g, 'ا');
}

const wordSet = (words: string): Set<string> => new Set(words.split(/\s+/).filter(Boolean).map(normalizeWord));

/** Per language, its stop words and its negations. */
export const WORD_LISTS = Object.fromEntries(
  Object.entries(STOP_WORDS).map(([locale, words]) => [
    locale,
    { stop: wordSet(words), negations: wordSet(NEGATIONS[locale as Locale]) },
  ]),
) as Record<Locale, { stop: Set<string>; negations: Set<string> }>;
