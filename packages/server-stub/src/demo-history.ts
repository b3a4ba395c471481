import { bucketRange, type Item, type Metric, type ScoreBucket, type SurveyDefinition } from '@cxkit/protocol';
import { DAY_MS } from './calendar.js';
import { encodeItem } from './item-encoding.js';
import { seededRandom } from './seeded-random.js';
import type { Storage } from './ports.js';
import type { StoredItem } from './storage.js';

/** Anonymous ids of the generated visitors start with this, so tests can tell them from real ones. */
const DEMO_VISITOR_PREFIX = 'demo-visitor-';

const USERS = 420;
const DAYS = 90;

type Course = 'healthy' | 'slipping' | 'quiet';

/**
 * The companies the demo's users work for: of several sizes (share of users), plans and revenue,
 * and three courses — healthy; slipping (used less and less happily over the last month); quiet
 * (hardly seen for seven weeks, not at all for the last three) — so the accounts view has a real at-risk list from the first start.
 */
const ACCOUNTS: { id: string; name: string; plan: string; mrr: number; share: number; course: Course }[] = [
  { id: 'northwind', name: 'Northwind Traders', plan: 'business', mrr: 4800, share: 6, course: 'healthy' },
  { id: 'acme', name: 'Acme Corp', plan: 'business', mrr: 3600, share: 5, course: 'slipping' },
  { id: 'globex', name: 'Globex', plan: 'team', mrr: 1200, share: 4, course: 'healthy' },
  { id: 'initech', name: 'Initech', plan: 'team', mrr: 900, share: 3, course: 'quiet' },
  { id: 'umbrella', name: 'Umbrella Health', plan: 'team', mrr: 950, share: 3, course: 'healthy' },
  { id: 'hooli', name: 'Hooli', plan: 'business', mrr: 2400, share: 2, course: 'slipping' },
  { id: 'stark', name: 'Stark Industries', plan: 'team', mrr: 700, share: 2, course: 'healthy' },
  { id: 'wayne', name: 'Wayne Enterprises', plan: 'free', mrr: 0, share: 1.5, course: 'healthy' },
  { id: 'wonka', name: 'Wonka Sweets', plan: 'team', mrr: 600, share: 1.5, course: 'quiet' },
  { id: 'tyrell', name: 'Tyrell', plan: 'free', mrr: 0, share: 1, course: 'healthy' },
  { id: 'soylent', name: 'Soylent', plan: 'team', mrr: 450, share: 1, course: 'slipping' },
  { id: 'cyberdyne', name: 'Cyberdyne Systems', plan: 'business', mrr: 1800, share: 1, course: 'healthy' },
];
const SHARES = ACCOUNTS.reduce((sum, a) => sum + a.share, 0);

const COMMENTS: Record<Metric, Record<ScoreBucket, string[]>> = {
  nps: {
    negative: [
      'Checkout asked for my address twice.',
      'Too many emails after I bought one book.',
      'Delivery took eleven days, nobody told me why.',
      'The search never finds the edition I want.',
      'Lieferung kam beschädigt an, der Umtausch war mühsam.',
    ],
    neutral: [
      'Fine, but prices are higher than elsewhere.',
      'Good selection. The app is a bit slow on my phone.',
      'OK overall, the gift wrapping option is hard to find.',
      'Bună selecție, dar livrarea durează.',
    ],
    positive: [
      'Fast checkout and the recommendations are spot on.',
      'Best place for second-hand classics. Told my whole book club.',
      'Support fixed my order in five minutes.',
      'Schnell, günstig und gut verpackt.',
      'Love the wish list reminders.',
    ],
  },
  csat: {
    negative: ['The agent did not read my first message.', 'I had to explain the problem three times.'],
    neutral: ['Solved in the end, but it took a while.', 'Helpful, though the chat disconnected once.'],
    positive: ['Quick and friendly, thank you Mara!', 'Refund done while I was still in the chat.', 'Exactly the answer I needed.'],
  },
  ces: {
    negative: ['Could not find where to choose the CSV columns.', 'The export timed out twice on a big list.'],
    neutral: ['Worked, but the file name is cryptic.', 'Took me a minute to find the button.'],
    positive: ['One click, done.', 'Export straight into my spreadsheet, perfect.'],
  },
};

/** Plans and how much happier than the average each one answers, so the breakdown by plan shows something. */
const PLANS = [
  { plan: 'free', mood: -0.12 },
  { plan: 'team', mood: 0 },
  { plan: 'business', mood: 0.12 },
];
const COUNTRIES = [
  { country: 'DE', locale: 'de-DE' },
  { country: 'US', locale: 'en-US' },
  { country: 'GB', locale: 'en-GB' },
  { country: 'RO', locale: 'ro-RO' },
  { country: 'FR', locale: 'fr-FR' },
  { country: 'ES', locale: 'es-ES' },
];
/** The properties each demo event is tracked with, by event. */
const EVENT_PROPERTIES: Record<string, (pick: <T>(list: readonly T[]) => T) => Record<string, unknown>> = {
  checkout_completed: (pick) => ({ payment: pick(['card', 'card', 'paypal', 'invoice']), total: pick([12.5, 24, 39.9, 90.5]) }),
  report_exported: (pick) => ({ format: pick(['csv', 'csv', 'xlsx']) }),
};

/**
 * 90 days of plausible history for the demo project: visitors coming back on some days, some
 * logging in part way and a few upgrading their plan, key actions that trigger the surveys, and
 * answers with comments whose mood slowly improves, carrying the traits and trigger the sdk sends.
 * Written through the ingest path, once, into a database with no activity.
 */
export async function seedDemoHistory(
  storage: Pick<Storage, 'activity' | 'ingest' | 'accounts'>,
  projectId: string,
  surveys: readonly SurveyDefinition[],
  now = Date.now(),
): Promise<void> {
  const today = Math.floor(now / DAY_MS);
  if ((await storage.activity.totals(projectId, today)).length > 0) return;

  const random = seededRandom(20261125);
  // Accounts from a stream of their own: which one a user works for does not move the rest.
  const accountRandom = seededRandom(4);
  const accountFor = () => {
    let roll = accountRandom() * SHARES;
    return ACCOUNTS.find((a) => (roll -= a.share) < 0) ?? ACCOUNTS[0]!;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const triggered = surveys.filter((s) => s.trigger?.event);
  const items: StoredItem[] = [];
  let sequence = 0;
  const add = (at: number, fields: Record<string, unknown>) => {
    const item = { id: `demo-${String(++sequence).padStart(7, '0')}`, timestamp: new Date(at).toISOString(), ...fields } as Item;
    items.push({ item, json: encodeItem(item).payload, at, receivedAt: at });
  };

  for (let u = 0; u < USERS; u++) {
    const anonymousId = `${DEMO_VISITOR_PREFIX}${u}`;
    const userId = `customer-${String(u + 1).padStart(3, '0')}`;
    const loyalty = 0.03 + 0.55 * random() ** 2;
    const firstDay = today - DAYS + Math.floor(random() * random() * DAYS);
    // Most visitors log in on their first visit; some only after browsing for a while.
    const loginDay = random() < 0.7 ? firstDay : firstDay + Math.floor(random() * 20);
    const account = accountFor();
    // How a course bends a user's visits and mood as the days come closer to today.
    const course = (day: number) =>
      account.course === 'slipping' && day > today - 30
        ? { visits: 0.3, mood: -4 }
        : account.course === 'quiet' && day > today - 50
          ? { visits: day > today - 24 ? 0 : 0.1, mood: 0 }
          : { visits: 1, mood: 0 };
    // A user's plan is their company's; a few on free upgrade part way, their earlier answers staying with free.
    let { plan, mood } = PLANS.find((p) => p.plan === account.plan)!;
    const { country, locale } = pick(COUNTRIES);
    const upgradeDay = plan === 'free' && random() < 0.25 ? loginDay + 5 + Math.floor(random() * 40) : undefined;
    for (let day = firstDay; day <= today; day++) {
      if (day !== firstDay && random() >= loyalty * course(day).visits) continue;
      let at = day * DAY_MS + (7 + Math.floor(random() * 11)) * 3_600_000 + Math.floor(random() * 3_600_000);
      if (at > now) break;
      const sessionId = `${anonymousId}-${day}`;
      const base = { anonymousId, sessionId, context: { locale }, ...(day > loginDay && { userId, accountId: account.id }) };
      add(at, { ...base, type: 'session_start' });
      add(at + 1000, { ...base, type: 'active' });
      if (day === upgradeDay) ({ plan, mood } = PLANS[1]!);
      if (day === loginDay || day === upgradeDay) add(at + 60_000, { ...base, type: 'identify', userId, traits: { plan, country } });
      if (day === loginDay) add(at + 61_000, { ...base, userId, type: 'group', accountId: account.id, traits: { name: account.name, plan: account.plan } });
      for (const survey of triggered) {
        if (random() >= 0.12) continue;
        at += 120_000 + Math.floor(random() * 600_000);
        const event = { ...base, ...(day >= loginDay && { userId }) };
        const properties = EVENT_PROPERTIES[survey.trigger!.event!]?.(pick);
        add(at, { ...event, type: 'track', event: survey.trigger!.event, ...(properties && { properties }) });
        if (random() >= 0.6) continue;
        add(at + 3000, { ...event, type: 'survey_shown', surveyId: survey.id });
        const outcome = random();
        if (outcome < 0.5) {
          const progress = (day - (today - DAYS)) / DAYS + course(day).mood;
          const { score, bucket } = demoScore(survey, progress, mood, random);
          const comment = survey.comment !== false && random() < 0.45 ? pick(COMMENTS[survey.metric][bucket]) : undefined;
          const answered = {
            traits: day >= loginDay ? { plan, country } : {},
            trigger: { kind: 'event', event: survey.trigger!.event, ...(properties && { properties }) },
          };
          add(at + 9000, { ...event, type: 'survey_response', surveyId: survey.id, responseId: `demo-response-${sequence}`, metric: survey.metric, score, final: true, ...answered, ...(comment && { comment }) });
        } else {
          add(at + 6000, { ...event, type: 'survey_dismissed', surveyId: survey.id, reason: outcome < 0.85 ? 'close' : outcome < 0.96 ? 'later' : 'never' });
        }
      }
    }
  }
  items.sort((a, b) => a.at - b.at);
  for (let i = 0; i < items.length; i += 500) await storage.ingest.commit([{ projectId, items: items.slice(i, i + 500) }]);
  // Revenue comes from the billing system, as a team's backend would send it (PUT /v1/accounts).
  const paying = ACCOUNTS.filter((a) => a.mrr > 0);
  await storage.accounts.put(projectId, paying.map((a) => ({ accountId: a.id, traits: { mrr: a.mrr }, at: now })));
}

/** A score whose chance of being good grows with `progress` (0 → 1 over the 90 days; below 0 for an account going wrong) and with the plan's `mood`. */
function demoScore(survey: SurveyDefinition, progress: number, mood: number, random: () => number) {
  const roll = random();
  const good = 0.45 + 0.15 * progress + mood;
  const bad = 0.25 - 0.1 * progress - mood / 2;
  // NPS answers lean less positive than CSAT and CES ones, as in the field.
  const [positive, neutral] = survey.metric === 'nps' ? [good, 1 - bad] : [good + 0.15, 1 - bad / 2];
  const bucket: ScoreBucket = roll < positive ? 'positive' : roll < neutral ? 'neutral' : 'negative';
  const [low, high] = bucketRange(survey.metric, survey.scaleMax, bucket);
  return { score: low + Math.floor(random() * (high - low + 1)), bucket };
}
