import { useState } from 'preact/hooks';
import { BUCKETS, DEFAULT_WEBHOOK_EVENTS, METRICS, WEBHOOK_EVENTS, WEBHOOK_LIMITS, webhookEventsOf, type Metric, type ScoreBucket, type Webhook, type WebhookEventType, type WebhookFilter } from '@cxkit/protocol';
import type { AdminSurvey } from '../../src/survey-admin';
import type { DeliveryView } from '../../src/webhooks-api';
import { ApiError, getJson, request, type FieldIssue } from './api';
import { Issues } from './Issues';
import { useLatest } from './use-latest';

interface Props {
  apiKey: string;
  surveys: AdminSurvey[];
  onError: (error: unknown) => void;
}

const EMPTY = { url: '', format: 'json', events: [...DEFAULT_WEBHOOK_EVENTS], survey: '', metric: '', buckets: [] as ScoreBucket[], minScore: '', maxScore: '', comment: '' };
const EVENT_NAMES: Record<WebhookEventType, string> = { 'response.completed': 'New responses', 'account.poor_health': 'Accounts entering poor health' };
const at = (iso: string) => new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });

/** What a filter takes, in words. */
function describe(f: WebhookFilter): string {
  const parts = [
    f.surveys && `survey ${f.surveys.join(', ')}`,
    f.metrics && f.metrics.map((m) => m.toUpperCase()).join(', '),
    f.buckets && f.buckets.join(', '),
    (f.minScore !== undefined || f.maxScore !== undefined) && `score ${f.minScore ?? 'any'}–${f.maxScore ?? 'any'}`,
    f.hasComment !== undefined && (f.hasComment ? 'with a comment' : 'without a comment'),
  ].filter(Boolean);
  const events = webhookEventsOf(f);
  const responses = events.includes('response.completed') ? (parts.length ? parts.join(' · ') : 'every response') : undefined;
  return [responses, events.includes('account.poor_health') && 'accounts entering poor health'].filter(Boolean).join('; ');
}

/** Alerts (docs/alerts.md): webhooks with their filters, the secret shown once, pause, test, delete, and each one's delivery log. */
export function Webhooks({ apiKey, surveys, onError }: Props) {
  const [webhooks, setWebhooks] = useState<Webhook[]>([]);
  const [version, setVersion] = useState(0);
  const [form, setForm] = useState<typeof EMPTY | null>(null);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [log, setLog] = useState<DeliveryView[] | null>(null);
  const reload = () => setVersion((v) => v + 1);

  useLatest(() => getJson<{ webhooks: Webhook[] }>(apiKey, '/v1/webhooks'), (body) => setWebhooks(body.webhooks), onError, [apiKey, version]);
  useLatest(
    async () => (open ? (await getJson<{ deliveries: DeliveryView[] }>(apiKey, `/v1/webhooks/${open}/deliveries`)).deliveries : null),
    setLog,
    onError,
    [apiKey, open, version],
  );

  async function act(run: () => Promise<unknown>) {
    try {
      await run();
    } catch (error) {
      onError(error);
    }
    reload();
  }

  async function create(f: typeof EMPTY) {
    const score = (text: string) => (text === '' ? undefined : Number(text));
    const filter: WebhookFilter = {
      // Left out when it is the default, as a filter written by hand would be.
      ...(f.events.join() !== DEFAULT_WEBHOOK_EVENTS.join() && { events: f.events }),
      ...(f.survey && { surveys: [f.survey] }),
      ...(f.metric && { metrics: [f.metric as Metric] }),
      ...(f.buckets.length > 0 && { buckets: f.buckets }),
      ...(f.minScore !== '' && { minScore: score(f.minScore) }),
      ...(f.maxScore !== '' && { maxScore: score(f.maxScore) }),
      ...(f.comment && { hasComment: f.comment === 'with' }),
    };
    try {
      const created = (await (await request(apiKey, '/v1/webhooks', { method: 'POST', body: { url: f.url, format: f.format, filter } })).json()) as Webhook & { secret: string };
      setSecret({ url: created.url, secret: created.secret });
      setForm(null);
      setIssues([]);
      reload();
    } catch (error) {
      if (error instanceof ApiError) setIssues(error.issues.length > 0 ? error.issues : [{ path: '', message: error.message }]);
      onError(error);
    }
  }

  const field = (name: keyof typeof EMPTY) => ({
    value: form![name] as string,
    onInput: (e: { currentTarget: { value: string } }) => setForm({ ...form!, [name]: e.currentTarget.value }),
  });

  return (
    <section class="card wide" aria-labelledby="webhooks-title">
      <div class="section-head">
        <h2 id="webhooks-title">Alerts</h2>
        <button type="button" class="primary" disabled={webhooks.length >= WEBHOOK_LIMITS.perProject} onClick={() => setForm(EMPTY)}>
          New webhook
        </button>
      </div>
      {secret && (
        <p class="notice" role="status">
          Signing secret for {secret.url}, shown only now: <code class="secret">{secret.secret}</code>{' '}
          <button type="button" class="quiet" onClick={() => setSecret(null)}>
            Done
          </button>
        </p>
      )}
      {form && (
        <form
          class="settings webhook-form"
          aria-label="New webhook"
          onSubmit={(e) => {
            e.preventDefault();
            void create(form);
          }}
        >
          <label>
            Endpoint URL
            <input type="url" required maxLength={WEBHOOK_LIMITS.urlChars} placeholder="https://…" {...field('url')} />
          </label>
          <label>
            Format
            <select {...field('format')}>
              <option value="json">JSON event</option>
              <option value="slack">Slack message</option>
            </select>
          </label>
          <fieldset class="choices">
            <legend>Tell of</legend>
            {WEBHOOK_EVENTS.map((event) => (
              <label class="check">
                <input
                  type="checkbox"
                  checked={form.events.includes(event)}
                  onChange={(e) => setForm({ ...form, events: e.currentTarget.checked ? [...form.events, event] : form.events.filter((x) => x !== event) })}
                />
                {EVENT_NAMES[event]}
              </label>
            ))}
          </fieldset>
          <label>
            Survey
            <select {...field('survey')}>
              <option value="">All surveys</option>
              {surveys.map((s) => (
                <option value={s.id}>{s.name ?? s.id}</option>
              ))}
            </select>
          </label>
          <label>
            Metric
            <select {...field('metric')}>
              <option value="">Any metric</option>
              {METRICS.map((m) => (
                <option value={m}>{m.toUpperCase()}</option>
              ))}
            </select>
          </label>
          <fieldset class="choices">
            <legend>Scores</legend>
            {BUCKETS.map((b) => (
              <label class="check">
                <input
                  type="checkbox"
                  checked={form.buckets.includes(b)}
                  onChange={(e) => setForm({ ...form, buckets: e.currentTarget.checked ? [...form.buckets, b] : form.buckets.filter((x) => x !== b) })}
                />
                {b}
              </label>
            ))}
          </fieldset>
          <label>
            Lowest score
            <input type="number" min={0} max={10} {...field('minScore')} />
          </label>
          <label>
            Highest score
            <input type="number" min={0} max={10} {...field('maxScore')} />
          </label>
          <label>
            Comment
            <select {...field('comment')}>
              <option value="">With or without</option>
              <option value="with">Only with a comment</option>
              <option value="without">Only without one</option>
            </select>
          </label>
          <div class="buttons">
            <button type="submit" class="primary">
              Create webhook
            </button>
            <button type="button" class="quiet" onClick={() => setForm(null)}>
              Cancel
            </button>
          </div>
          <Issues issues={issues} label="Problems with the webhook" />
        </form>
      )}
      {webhooks.length === 0 ? (
        <p class="sub">No webhooks yet: create one to be told of new responses as they come in.</p>
      ) : (
        <div class="table-scroll">
          <table class="surveys">
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col">Tells of</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {webhooks.map((w) => (
                <tr>
                  <th scope="row">
                    {w.url}
                    <span class="sub"> {w.format === 'slack' ? 'Slack' : 'JSON'}</span>
                  </th>
                  <td>{describe(w.filter)}</td>
                  <td>
                    <span class={`status ${w.status}`}>{w.status}</span>
                  </td>
                  <td class="actions">
                    <button type="button" onClick={() => act(() => request(apiKey, `/v1/webhooks/${w.id}/test`, { method: 'POST' }))}>
                      Send test
                    </button>
                    <button type="button" aria-pressed={open === w.id} onClick={() => setOpen(open === w.id ? null : w.id)}>
                      Deliveries
                    </button>
                    <button type="button" onClick={() => act(() => request(apiKey, `/v1/webhooks/${w.id}`, { method: 'PATCH', body: { status: w.status === 'active' ? 'paused' : 'active' } }))}>
                      {w.status === 'active' ? 'Pause' : 'Resume'}
                    </button>
                    <button type="button" class="quiet" onClick={() => act(() => request(apiKey, `/v1/webhooks/${w.id}`, { method: 'DELETE' }).then(() => open === w.id && setOpen(null)))}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open && log && (
        <div class="table-scroll">
          <div class="section-head">
            <h3>
              Delivery log <span class="sub">{webhooks.find((w) => w.id === open)?.url}</span>
            </h3>
            <button type="button" class="quiet" onClick={reload}>
              Refresh
            </button>
          </div>
          <table class="surveys" aria-label="Delivery log">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Response</th>
                <th scope="col">State</th>
                <th scope="col" class="num">Attempts</th>
                <th scope="col">Last answer</th>
              </tr>
            </thead>
            <tbody>
              {log.map((d) => {
                const last = d.log[0];
                return (
                  <tr>
                    <th scope="row">
                      {at(d.createdAt)}
                      <span class="sub"> {d.id}</span>
                    </th>
                    <td>{d.responseId}</td>
                    <td>
                      <span class={`status ${d.state}`}>{d.state}</span>
                      {d.nextAttemptAt && <span class="sub"> next try {at(d.nextAttemptAt)}</span>}
                    </td>
                    <td class="num">{d.attempts}</td>
                    <td>{last ? `${last.status ?? '—'} in ${last.durationMs} ms${last.error ? `: ${last.error}` : ''}` : 'not tried yet'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {log.length === 0 && <p class="sub">Nothing sent to this webhook yet.</p>}
        </div>
      )}
    </section>
  );
}
