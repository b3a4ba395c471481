import type { SurveyDefinition } from '@cxkit/protocol';
import type { Storage } from './ports.js';

export const DEMO_PROJECT = {
  id: 'demo',
  name: 'Demo project',
  writeKey: 'pk_demo',
  readKey: 'sk_demo',
  allowedOrigins: ['*'],
};

export const DEMO_RULES = { cooldownDays: 0, maxRemindLater: 2 };

// One survey per prompt type, each after its own key action in the demo app, each placed differently.
// The NPS survey brings its own English and German texts; the others use the widget's six languages.
// Their rules are the ones a product team would pick, so the demo shows them at work: NPS two seconds
// after checkout and at most once a quarter, CSAT again a month after a support chat, CES only after
// the first export.
export const DEMO_SURVEYS: SurveyDefinition[] = [
  {
    id: 'nps-checkout',
    metric: 'nps',
    name: 'NPS after checkout',
    texts: {
      en: {
        question: 'How likely are you to recommend Acme Books to a friend or colleague?',
        followUp: {
          negative: 'What let you down at Acme Books?',
          neutral: 'What would make Acme Books a 10 for you?',
          positive: 'What do you like most about Acme Books?',
        },
      },
      de: { question: 'Wie wahrscheinlich ist es, dass Sie Acme Books einem Freund oder Kollegen empfehlen?' },
    },
    trigger: { event: 'checkout_completed' },
    delaySeconds: 2,
    sampleRate: 1,
    recontactDays: 90,
  },
  {
    id: 'csat-support',
    metric: 'csat',
    name: 'CSAT after a support chat',
    scaleStyle: 'faces',
    placement: 'bottom-left',
    trigger: { event: 'support_chat_closed' },
    sampleRate: 1,
    recontactDays: 30,
  },
  {
    id: 'ces-export',
    metric: 'ces',
    name: 'CES after a report export',
    placement: 'inline',
    target: '#export-feedback',
    comment: false,
    trigger: { event: 'report_exported' },
    sampleRate: 1,
    maxDisplays: 1,
  },
];

/**
 * The demo project with the keys pk_demo / sk_demo and its surveys; only with --demo. A demo survey
 * is saved only when the project never had it, so what was edited, paused or deleted on the
 * dashboard stays so on the next start.
 */
export async function seedDemo(storage: Pick<Storage, 'projects' | 'surveys'>): Promise<void> {
  // A new demo project lets surveys follow each other (no cooldown), so a first visit can try all
  // three prompts; per-survey rules still hold. Real projects start at 14 days.
  if (await storage.projects.ensure(DEMO_PROJECT)) await storage.projects.setRules(DEMO_PROJECT.id, { ...DEMO_RULES });
  const known = new Set((await storage.surveys.all(DEMO_PROJECT.id)).map((s) => s.definition.id));
  for (const survey of DEMO_SURVEYS) {
    if (!known.has(survey.id)) await storage.surveys.put(DEMO_PROJECT.id, survey, true);
  }
}
