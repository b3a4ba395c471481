import type { Messages } from '../types';

// Romanian, the language file cxkit-widget-ro.js: the sdk loads it beside the widget chunk for a
// Romanian prompt. The texts in messages.ts's order.
export default [
  'Cât de probabil este să ne recomandați unui prieten sau coleg?', 'Deloc probabil', 'Extrem de probabil',
  'Cât de mulțumit sunteți de experiența dumneavoastră?', 'Foarte nemulțumit', 'Foarte mulțumit',
  'Cât de ușor v-a fost să faceți ce v-ați propus?', 'Foarte dificil', 'Foarte ușor',
  'Ce am putea face mai bine?', 'Ce v-ar îmbunătăți experiența?', 'Ce vă place cel mai mult?',
  'Răspunsul dumneavoastră (opțional)', 'Trimite', 'Vă mulțumim pentru feedback!', 'Amintește-mi mai târziu', 'Nu mă mai întreba', 'Închide',
] satisfies Messages;
