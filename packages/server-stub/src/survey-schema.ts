import * as v from 'valibot';
import { METRICS, SCALES, type ProjectRules, type SurveyDefinition } from '@cxkit/protocol';

// The server's check of SurveyDefinition and ProjectRules (@cxkit/protocol,
// docs/surveys.md). Unknown keys are refused, so a misspelt "trigerr" is an error rather than a
// survey that never shows.

const text = (max: number) =>
  v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(max, `must be at most ${max} characters`));
const whole = (min: number, max: number) =>
  v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(min, `must be at least ${min}`), v.maxValue(max, `must be at most ${max}`));
const moment = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/, 'must be a date and time with its zone, e.g. "2026-12-01T09:00:00Z"'),
  v.check((text) => {
    // Date.parse rolls 30 February over into March: the day must be one of its month's.
    const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
    return new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day && Number.isFinite(Date.parse(text));
  }, 'must be a date and time that exists'),
);
const scalar = v.union([v.string(), v.number(), v.boolean()], 'must be a string, number or boolean');

const filter = v.pipe(
  v.strictObject({
    key: text(200),
    op: v.picklist(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'contains', 'in', 'exists'], 'must be eq, neq, gt, gte, lt, lte, contains, in or exists'),
    value: v.optional(v.union([scalar, v.pipe(v.array(scalar), v.maxLength(100, 'at most 100 values'))], 'must be a string, number, boolean or a list of them')),
  }),
  v.forward(
    v.check((f) => f.op === 'exists' || f.value !== undefined, 'is required unless op is "exists"'),
    ['value'],
  ),
  v.forward(
    v.check((f) => f.value === undefined || (f.op === 'in') === Array.isArray(f.value), 'must be a list for op "in", and only then'),
    ['value'],
  ),
);
const filters = v.pipe(v.array(filter), v.maxLength(20, 'at most 20 conditions'));

const texts = v.strictObject({
  question: v.optional(text(300)),
  lowLabel: v.optional(text(60)),
  highLabel: v.optional(text(60)),
  followUp: v.optional(
    v.union(
      [text(300), v.strictObject({ negative: v.optional(text(300)), neutral: v.optional(text(300)), positive: v.optional(text(300)) })],
      'must be a text, or texts by bucket: negative, neutral, positive',
    ),
  ),
  commentPlaceholder: v.optional(text(120)),
  thanks: v.optional(text(200)),
  send: v.optional(text(40)),
  later: v.optional(text(60)),
  never: v.optional(text(60)),
  close: v.optional(text(40)),
});

const surveySchema = v.pipe(
  v.strictObject({
    id: v.pipe(
      v.string(),
      v.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1–64 letters, digits, "-", "_" or ".", starting with a letter or digit'),
    ),
    name: v.optional(text(200)),
    status: v.optional(v.picklist(['active', 'paused'], 'must be "active" or "paused"')),
    metric: v.picklist(METRICS, 'must be "nps", "csat" or "ces"'),
    scaleMax: v.optional(v.number()),
    scaleStyle: v.optional(v.picklist(['numbers', 'faces'], 'must be "numbers" or "faces"')),
    texts: v.optional(
      v.record(v.pipe(v.string(), v.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'locales look like "en", "de" or "pt-BR"')), texts),
    ),
    comment: v.optional(v.boolean('must be true or false')),
    trigger: v.optional(
      v.pipe(
        v.strictObject({ event: v.optional(text(200)), where: v.optional(filters), url: v.optional(text(2048)) }),
        v.forward(v.check((t) => t.where === undefined || t.event !== undefined, 'needs an event to apply to'), ['where']),
        v.check((t) => t.event !== undefined || t.url !== undefined, 'needs an event or a url; leave trigger out to show the survey only through showSurvey()'),
      ),
    ),
    delaySeconds: v.optional(whole(0, 3600)),
    sampleRate: v.optional(v.pipe(v.number(), v.minValue(0, 'must be from 0 to 1'), v.maxValue(1, 'must be from 0 to 1'))),
    recontactDays: v.optional(whole(0, 3650)),
    maxDisplays: v.optional(whole(1, 1000)),
    startsAt: v.optional(moment),
    endsAt: v.optional(moment),
    maxResponses: v.optional(whole(1, 10_000_000)),
    audience: v.optional(
      v.pipe(
        v.strictObject({
          traits: v.optional(filters),
          account: v.optional(filters),
          minDaysSinceFirstSeen: v.optional(whole(0, 3650)),
          maxDaysSinceFirstSeen: v.optional(whole(0, 3650)),
        }),
        v.forward(
          v.check(
            (a) => a.minDaysSinceFirstSeen === undefined || a.maxDaysSinceFirstSeen === undefined || a.minDaysSinceFirstSeen <= a.maxDaysSinceFirstSeen,
            'must not be below minDaysSinceFirstSeen',
          ),
          ['maxDaysSinceFirstSeen'],
        ),
      ),
    ),
    placement: v.optional(
      v.picklist(['bottom-right', 'bottom-left', 'top-right', 'top-left', 'center', 'inline'], 'must be bottom-right, bottom-left, top-right, top-left, center or inline'),
    ),
    target: v.optional(text(500)),
    theme: v.optional(v.picklist(['light', 'dark', 'auto'], 'must be "light", "dark" or "auto"')),
  }, 'a survey must be a JSON object'),
  // partialCheck: these rules are reported even while other fields are still wrong.
  v.forward(
    v.partialCheck(
      [['metric'], ['scaleMax']],
      (s) => s.scaleMax === undefined || SCALES[s.metric].maxima.includes(s.scaleMax),
      'must be 10 for nps, 5 for csat, 5 or 7 for ces',
    ),
    ['scaleMax'],
  ),
  v.forward(v.partialCheck([['metric'], ['scaleStyle']], (s) => s.scaleStyle === undefined || s.metric === 'csat', 'applies to csat only'), ['scaleStyle']),
  v.forward(
    v.partialCheck(
      [['startsAt'], ['endsAt']],
      (s) => s.startsAt === undefined || s.endsAt === undefined || Date.parse(s.startsAt) < Date.parse(s.endsAt),
      'must be after startsAt',
    ),
    ['endsAt'],
  ),
  v.forward(
    v.partialCheck([['placement'], ['target']], (s) => s.placement !== 'inline' || s.target !== undefined, 'is required for placement "inline"'),
    ['target'],
  ),
);

const rulesSchema = v.strictObject(
  {
    cooldownDays: whole(0, 365),
    maxRemindLater: whole(0, 10),
  },
  'rules must be a JSON object with cooldownDays and maxRemindLater',
);

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// @cxkit/protocol is the contract: this stops compiling when the schemas and the types drift apart.
const schemasAreTheContract: [Same<v.InferOutput<typeof surveySchema>, SurveyDefinition>, Same<v.InferOutput<typeof rulesSchema>, ProjectRules>] = [
  true,
  true,
];
void schemasAreTheContract;

export interface FieldIssue {
  /** Dot path of the field, e.g. "trigger.where.0.op"; "" for the survey as a whole. */
  path: string;
  message: string;
}

export type SurveyValidation = { ok: true; survey: SurveyDefinition } | { ok: false; issues: FieldIssue[] };

/** Checks a survey definition and names every field that is wrong. */
export function validateSurvey(raw: unknown): SurveyValidation {
  const result = v.safeParse(surveySchema, raw);
  return result.success ? { ok: true, survey: result.output } : { ok: false, issues: fieldIssues(result.issues, 'a survey field') };
}

export type RulesValidation = { ok: true; rules: ProjectRules } | { ok: false; issues: FieldIssue[] };

/** Checks project rules and names every field that is wrong. */
export function validateRules(raw: unknown): RulesValidation {
  const result = v.safeParse(rulesSchema, raw);
  return result.success ? { ok: true, rules: result.output } : { ok: false, issues: fieldIssues(result.issues, 'a rule') };
}

/** `field` names what an unknown key is not: "a survey field", "a rule"; `doc` where the fields are listed. */
export function fieldIssues(issues: [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]], field: string, doc = 'docs/surveys.md'): FieldIssue[] {
  return issues.map((issue) => {
    const path = v.getDotPath(issue) ?? '';
    // Valibot names an unknown key by its expectation ("never"); say what it is instead.
    const unknownKey = issue.kind === 'schema' && issue.expected === 'never';
    return { path, message: unknownKey ? `is not ${field} (see ${doc})` : issue.message };
  });
}
