import type { SurveyDefinition } from '@cxkit/sdk/protocol';
import type { Storage } from './storage.js';

export const DEMO_PROJECT = {
  id: 'demo',
  name: 'Demo project',
  writeKey: 'pk_demo',
  readKey: 'sk_demo',
  allowedOrigins: ['*'],
};

// One survey per prompt type, each after its own key action in the demo app, each placed differently.
// The NPS survey brings its own English and German texts; the others use the widget's six languages.
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
  },
  {
    id: 'csat-support',
    metric: 'csat',
    name: 'CSAT after a support chat',
    scaleStyle: 'faces',
    placement: 'bottom-left',
    trigger: { event: 'support_chat_closed' },
  },
  {
    id: 'ces-export',
    metric: 'ces',
    name: 'CES after a report export',
    placement: 'inline',
    target: '#export-feedback',
    comment: false,
    trigger: { event: 'report_exported' },
  },
];

/** The demo project with the keys pk_demo / sk_demo and its surveys; only with --demo. */
export function seedDemo(storage: Storage): void {
  storage.ensureProject(DEMO_PROJECT);
  for (const survey of DEMO_SURVEYS) storage.saveSurvey(DEMO_PROJECT.id, survey, true);
}
