import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { scaleOf, type SurveyDefinition } from '@cxkit/protocol';
import { requireReadKey, type ReadKeyEnv } from './auth.js';
import { readJson } from './json-body.js';
import { answerErrors } from './query-params.js';
import type { Storage, SurveysPort } from './ports.js';
import type { StoredSurvey } from './storage.js';
import { validateRules, validateSurvey } from './survey-schema.js';
import { notServing, type NotServing } from './survey-serving.js';

const MAX_BODY = 64 * 1024;

/**
 * A survey as the admin API returns it: the definition with its status, why devices are not
 * served it now (absent while they are), and, for a survey with a cap, its responses so far.
 */
export type AdminSurvey = SurveyDefinition & { status: 'active' | 'paused'; notServing?: NotServing; responseCount?: number };

/**
 * Survey management with the read key (docs/surveys.md): list, read, create, replace, pause or
 * resume, delete; and the project's rules across surveys. Mounted after the sdk's GET /v1/surveys?writeKey= (app.ts), which passes on
 * requests without a write key.
 */
export function surveyAdminApi(storage: Storage, now: () => number): Hono<ReadKeyEnv> {
  const api = new Hono<ReadKeyEnv>();
  /** The surveys as the team sees them, counted afresh: serving devices may count a few seconds late. */
  async function adminViews(c: Context<ReadKeyEnv>, stored: StoredSurvey[]): Promise<AdminSurvey[]> {
    const projectId = c.get('project').id;
    const capped = stored.filter((s) => s.definition.maxResponses !== undefined).map((s) => s.definition.id);
    const counts = capped.length === 0 ? new Map<string, number>() : await storage.responses.counts(projectId, capped);
    const why = await notServing(stored, now(), async () => counts);
    return stored.map(({ definition, active }) => ({
      ...definition,
      status: active ? 'active' : 'paused',
      ...(why.get(definition.id) && { notServing: why.get(definition.id) }),
      ...(counts.has(definition.id) && { responseCount: counts.get(definition.id) }),
    }));
  }
  const adminView = async (c: Context<ReadKeyEnv>, stored: StoredSurvey) => (await adminViews(c, [stored]))[0]!;
  api.onError(answerErrors);
  const guard = requireReadKey(storage.projects);
  const limit = bodyLimit({ maxSize: MAX_BODY, onError: (c) => c.json({ error: `body is over ${MAX_BODY} bytes` }, 413) });

  api.get('/surveys', guard, async (c) => {
    c.header('Cache-Control', 'private, no-cache');
    const surveys = (await storage.surveys.all(c.get('project').id)).filter((s) => !s.deleted);
    return c.json({ surveys: await adminViews(c, surveys) });
  });

  api.get('/surveys/:id', guard, async (c) => {
    const found = await live(storage.surveys, c);
    if (!found) return notFound(c);
    c.header('Cache-Control', 'private, no-cache');
    return c.json(await adminView(c, found));
  });

  api.post('/surveys', guard, limit, async (c) => {
    const parsed = await readSurvey(c);
    if (!parsed.ok) return parsed.response;
    const { survey, status } = parsed;
    const projectId = c.get('project').id;
    const existing = (await storage.surveys.all(projectId)).find((s) => s.definition.id === survey.id);
    if (existing) {
      const why = existing.deleted ? 'a deleted survey had it, and its responses still carry it' : 'a survey has it';
      return c.json({ error: `the id "${survey.id}" is taken: ${why}; choose another` }, 409);
    }
    await storage.surveys.put(projectId, survey, status !== 'paused');
    c.header('Location', `/v1/surveys/${encodeURIComponent(survey.id)}`);
    return c.json(await adminView(c, (await live(storage.surveys, c, survey.id))!), 201);
  });

  // PUT and PATCH look the survey up once the body is in: while it arrives, the survey may be deleted.
  api.put('/surveys/:id', guard, limit, async (c) => {
    const parsed = await readSurvey(c, c.req.param('id'));
    const found = await live(storage.surveys, c);
    if (!found) return notFound(c);
    if (!parsed.ok) return parsed.response;
    const projectId = c.get('project').id;
    // Answers do not record their scale: metrics and exports read them on the survey's.
    const [before, after] = [scaleName(found.definition), scaleName(parsed.survey)];
    if (before !== after && (await storage.responses.list(projectId, { surveyId: found.definition.id, limit: 1 })).length > 0) {
      return c.json({ error: `the survey has answers on ${before}, which would be read as ${after}; create a new survey for the new scale` }, 409);
    }
    // Editing a paused survey does not start it: without a status it keeps the one it has.
    await storage.surveys.put(projectId, parsed.survey, parsed.status === undefined ? found.active : parsed.status === 'active');
    return c.json(await adminView(c, (await live(storage.surveys, c))!));
  });

  api.patch('/surveys/:id', guard, limit, async (c) => {
    const body = await readJson(c);
    const found = await live(storage.surveys, c);
    if (!found) return notFound(c);
    const status = (body as { status?: unknown } | undefined)?.status;
    if (typeof body !== 'object' || body === null || Object.keys(body).length !== 1 || (status !== 'active' && status !== 'paused')) {
      return c.json({ error: 'send {"status": "active"} or {"status": "paused"}; replace the survey with PUT to change anything else' }, 400);
    }
    await storage.surveys.setActive(c.get('project').id, found.definition.id, status === 'active');
    return c.json(await adminView(c, (await live(storage.surveys, c))!));
  });

  api.delete('/surveys/:id', guard, async (c) => {
    const found = await live(storage.surveys, c);
    if (!found) return notFound(c);
    await storage.surveys.delete(c.get('project').id, found.definition.id);
    return c.body(null, 204);
  });

  api.get('/rules', guard, async (c) => {
    c.header('Cache-Control', 'private, no-cache');
    return c.json(await storage.projects.rules(c.get('project').id));
  });

  api.put('/rules', guard, limit, async (c) => {
    const body = await readJson(c);
    if (body === undefined) return c.json({ error: 'body is not valid JSON' }, 400);
    const result = validateRules(body);
    if (!result.ok) return c.json({ error: 'the rules are not valid', issues: result.issues }, 400);
    const projectId = c.get('project').id;
    await storage.projects.setRules(projectId, result.rules);
    return c.json(await storage.projects.rules(projectId));
  });

  return api;
}

/** The metric and the scale answers are given on, e.g. "CES 1–5". */
function scaleName({ metric, scaleMax }: SurveyDefinition): string {
  const { min, max } = scaleOf(metric, scaleMax);
  return `${metric.toUpperCase()} ${min}–${max}`;
}

async function live(surveys: SurveysPort, c: Context<ReadKeyEnv>, id = c.req.param('id')): Promise<StoredSurvey | undefined> {
  return (await surveys.all(c.get('project').id)).find((s) => s.definition.id === id && !s.deleted);
}

const notFound = (c: Context) => c.json({ error: `no survey has the id "${c.req.param('id')}"` }, 404);

type ReadSurvey =
  | { ok: true; survey: SurveyDefinition; status: 'active' | 'paused' | undefined }
  | { ok: false; response: Response };

/** The body as a valid survey, its status apart (the status column is the truth, not the JSON). */
async function readSurvey(c: Context, id?: string): Promise<ReadSurvey> {
  const body = await readJson(c);
  if (body === undefined) return { ok: false, response: c.json({ error: 'body is not valid JSON' }, 400) };
  const withId = id !== undefined && typeof body === 'object' && body !== null && !('id' in body) ? { ...body, id } : body;
  const result = validateSurvey(withId);
  if (!result.ok) return { ok: false, response: c.json({ error: 'the survey is not valid', issues: result.issues }, 400) };
  if (id !== undefined && result.survey.id !== id) {
    return { ok: false, response: c.json({ error: `the body's id "${result.survey.id}" is not the survey's id "${id}"` }, 400) };
  }
  const { status, ...survey } = result.survey;
  return { ok: true, survey, status };
}
