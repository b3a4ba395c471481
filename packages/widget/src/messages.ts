import { BUCKETS, METRICS, type Metric, type ScoreBucket } from '@cxkit/protocol';
import type { PromptTexts } from './types';

// One array a locale, in this order, so the six catalogues stay small in the shipped chunk: question,
// low and high label for NPS, CSAT and CES (METRICS' order); the follow-ups for the BUCKETS; then the OWN keys below. French puts a no-break space before ? and !, so the
// mark never wraps onto a line of its own.
const OWN = ['commentPlaceholder', 'send', 'thanks', 'later', 'never', 'close'] as const;

const catalogues: Record<string, string[]> = {
  en: [
    'How likely are you to recommend us to a friend or colleague?', 'Not at all likely', 'Extremely likely',
    'How satisfied are you with your experience?', 'Very dissatisfied', 'Very satisfied',
    'How easy was it to do what you wanted?', 'Very difficult', 'Very easy',
    'What could we do better?', 'What would make your experience better?', 'What do you like most?',
    'Your answer (optional)', 'Send', 'Thank you for your feedback!', 'Remind me later', 'Don’t ask again', 'Close',
  ],
  de: [
    'Wie wahrscheinlich ist es, dass Sie uns einem Freund oder Kollegen empfehlen?', 'Sehr unwahrscheinlich', 'Äußerst wahrscheinlich',
    'Wie zufrieden sind Sie mit Ihrer Erfahrung?', 'Sehr unzufrieden', 'Sehr zufrieden',
    'Wie einfach war es, Ihr Anliegen zu erledigen?', 'Sehr schwierig', 'Sehr einfach',
    'Was könnten wir besser machen?', 'Was würde Ihre Erfahrung verbessern?', 'Was gefällt Ihnen am besten?',
    'Ihre Antwort (optional)', 'Senden', 'Vielen Dank für Ihr Feedback!', 'Später erinnern', 'Nicht mehr fragen', 'Schließen',
  ],
  ro: [
    'Cât de probabil este să ne recomandați unui prieten sau coleg?', 'Deloc probabil', 'Extrem de probabil',
    'Cât de mulțumit sunteți de experiența dumneavoastră?', 'Foarte nemulțumit', 'Foarte mulțumit',
    'Cât de ușor v-a fost să faceți ce v-ați propus?', 'Foarte dificil', 'Foarte ușor',
    'Ce am putea face mai bine?', 'Ce v-ar îmbunătăți experiența?', 'Ce vă place cel mai mult?',
    'Răspunsul dumneavoastră (opțional)', 'Trimite', 'Vă mulțumim pentru feedback!', 'Amintește-mi mai târziu', 'Nu mă mai întreba', 'Închide',
  ],
  fr: [
    'Quelle est la probabilité que vous nous recommandiez à un ami ou à un collègue ?', 'Pas du tout probable', 'Très probable',
    'Dans quelle mesure êtes-vous satisfait de votre expérience ?', 'Très insatisfait', 'Très satisfait',
    'Dans quelle mesure a-t-il été facile de faire ce que vous vouliez ?', 'Très difficile', 'Très facile',
    'Que pourrions-nous améliorer ?', 'Qu’est-ce qui améliorerait votre expérience ?', 'Qu’appréciez-vous le plus ?',
    'Votre réponse (facultatif)', 'Envoyer', 'Merci pour votre avis !', 'Me le rappeler plus tard', 'Ne plus me demander', 'Fermer',
  ],
  es: [
    '¿Qué probabilidad hay de que nos recomiende a un amigo o colega?', 'Nada probable', 'Muy probable',
    '¿Qué tan satisfecho está con su experiencia?', 'Muy insatisfecho', 'Muy satisfecho',
    '¿Qué tan fácil le resultó hacer lo que quería?', 'Muy difícil', 'Muy fácil',
    '¿Qué podríamos mejorar?', '¿Qué mejoraría su experiencia?', '¿Qué es lo que más le gusta?',
    'Su respuesta (opcional)', 'Enviar', '¡Gracias por sus comentarios!', 'Recordármelo más tarde', 'No volver a preguntar', 'Cerrar',
  ],
  ar: [
    'ما مدى احتمال أن توصي بنا لصديق أو زميل؟', 'غير محتمل على الإطلاق', 'محتمل للغاية',
    'ما مدى رضاك عن تجربتك؟', 'غير راضٍ تمامًا', 'راضٍ جدًا',
    'ما مدى سهولة إنجاز ما أردت؟', 'صعب جدًا', 'سهل جدًا',
    'ما الذي يمكننا تحسينه؟', 'ما الذي سيجعل تجربتك أفضل؟', 'ما الذي أعجبك أكثر؟',
    'إجابتك (اختياري)', 'إرسال', 'شكرًا لك على ملاحظاتك!', 'ذكّرني لاحقًا', 'لا تسألني مرة أخرى', 'إغلاق',
  ],
};

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

/** "de-AT" uses German, a language we do not translate English; the survey's own texts win over both. */
export function textsFor(metric: Metric, locale: string | undefined, own: PromptTexts = {}): Texts {
  const tag = (locale || 'en').toLowerCase().split('-')[0]!;
  const lang = tag in catalogues ? tag : 'en';
  const m = catalogues[lang]!;
  const at = 3 * METRICS.indexOf(metric);
  const followUp = own.followUp;
  const texts = {
    // The survey's own texts are in the locale given (the sdk passes the one it found them in): in a
    // language the widget does not translate, screen readers must still read them in that language.
    lang: lang === tag || !Object.keys(own).length ? lang : locale!,
    dir: lang === 'ar' ? 'rtl' : 'ltr',
    question: own.question ?? m[at]!,
    lowLabel: own.lowLabel ?? m[at + 1]!,
    highLabel: own.highLabel ?? m[at + 2]!,
    followUp: (bucket: ScoreBucket) => (typeof followUp === 'string' ? followUp : followUp?.[bucket]) ?? m[9 + BUCKETS.indexOf(bucket)]!,
  } as Texts;
  OWN.forEach((key, i) => (texts[key] = own[key] ?? m[12 + i]!));
  return texts;
}
