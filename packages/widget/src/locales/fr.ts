import type { Messages } from '../types';

// French, the language file cxkit-widget-fr.js: the sdk loads it beside the widget chunk for a
// French prompt. The texts in messages.ts's order; a no-break space before ? and !, so the mark never
// wraps onto a line of its own.
export default [
  'Quelle est la probabilité que vous nous recommandiez à un ami ou à un collègue ?', 'Pas du tout probable', 'Très probable',
  'Dans quelle mesure êtes-vous satisfait de votre expérience ?', 'Très insatisfait', 'Très satisfait',
  'Dans quelle mesure a-t-il été facile de faire ce que vous vouliez ?', 'Très difficile', 'Très facile',
  'Que pourrions-nous améliorer ?', 'Qu’est-ce qui améliorerait votre expérience ?', 'Qu’appréciez-vous le plus ?',
  'Votre réponse (facultatif)', 'Envoyer', 'Merci pour votre avis !', 'Me le rappeler plus tard', 'Ne plus me demander', 'Fermer',
] satisfies Messages;
