import type { Messages } from '../types';

// German, the language file cxkit-widget-de.js: the sdk loads it beside the widget chunk for a
// German prompt. The texts in messages.ts's order.
export default [
  'Wie wahrscheinlich ist es, dass Sie uns einem Freund oder Kollegen empfehlen?', 'Sehr unwahrscheinlich', 'Äußerst wahrscheinlich',
  'Wie zufrieden sind Sie mit Ihrer Erfahrung?', 'Sehr unzufrieden', 'Sehr zufrieden',
  'Wie einfach war es, Ihr Anliegen zu erledigen?', 'Sehr schwierig', 'Sehr einfach',
  'Was könnten wir besser machen?', 'Was würde Ihre Erfahrung verbessern?', 'Was gefällt Ihnen am besten?',
  'Ihre Antwort (optional)', 'Senden', 'Vielen Dank für Ihr Feedback!', 'Später erinnern', 'Nicht mehr fragen', 'Schließen',
] satisfies Messages;
