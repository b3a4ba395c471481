import type { SurveyDefinition } from '@cxkit/sdk/protocol';
import type { Storage } from './storage.js';

export const DEMO_PROJECT = {
  id: 'demo',
  name: 'Demo project',
  writeKey: 'pk_demo',
  readKey: 'sk_demo',
  allowedOrigins: ['*'],
};

export const DEMO_SURVEYS: SurveyDefinition[] = [
  {
    id: 'nps-checkout',
    metric: 'nps',
    name: 'NPS after checkout',
    texts: {
      en: { question: 'How likely are you to recommend Acme Books to a friend or colleague?' },
      de: { question: 'Wie wahrscheinlich ist es, dass Sie Acme Books einem Freund oder Kollegen empfehlen?' },
    },
    trigger: { event: 'checkout_completed' },
  },
];

/** The demo project with the keys pk_demo / sk_demo and its surveys; only with --demo. */
export function seedDemo(storage: Storage): void {
  storage.ensureProject(DEMO_PROJECT);
  for (const survey of DEMO_SURVEYS) storage.saveSurvey(DEMO_PROJECT.id, survey, true);
}
