import { scaleOf } from '@cxkit/protocol';
import { useState } from 'preact/hooks';
import type { MetricsReport, ResponseRate } from '../../src/metrics';
import type { AdminSurvey } from '../../src/survey-admin';
import { getJson, query, request } from './api';
import type { Filters } from './App';
import type { Draft } from './draft';
import { Rules } from './Rules';
import { SurveyEditor } from './SurveyEditor';
import { useLatest } from './use-latest';

interface Props {
  apiKey: string;
  surveys: AdminSurvey[];
  /** The range the figures of each survey are counted over; none until the page knows its zone. */
  filters?: Filters;
  onChanged: () => void;
  onError: (error: unknown) => void;
}

const TEMPLATE = {
  id: 'csat-after-support',
  name: 'CSAT after a support chat',
  metric: 'csat',
  texts: { en: { question: 'How satisfied are you with the help you got?' } },
  trigger: { event: 'support_chat_closed' },
  delaySeconds: 3,
  sampleRate: 1,
  recontactDays: 30,
};

type Editing = { mode: 'create' | 'edit'; draft: Draft; key: number };

/** Survey management: list with each survey's figures, pause/resume, duplicate, delete, and the editor. */
export function Surveys({ apiKey, surveys, filters, onChanged, onError }: Props) {
  const [editing, setEditing] = useState<Editing | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [figures, setFigures] = useState<Record<string, ResponseRate>>({});
  const { from, to, tz } = filters ?? {};

  useLatest(
    async () =>
      filters === undefined
        ? {}
        : Object.fromEntries(
            await Promise.all(
              surveys.map(async (s) => {
                const report = await getJson<MetricsReport>(apiKey, `/v1/metrics?${query({ from, to, tz, survey: s.id, metrics: 'responseRate' })}`);
                return [s.id, report.total.responseRate!] as const;
              }),
            ),
          ),
    setFigures,
    onError,
    [apiKey, surveys, from, to, tz],
  );

  async function act(run: () => Promise<unknown>, done: string) {
    try {
      await run();
      setMessage(done);
      onChanged();
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
      onError(error);
    }
  }

  /** Opens the editor on a new survey, a survey, or a copy of one (paused, under a free id). */
  function edit(mode: Editing['mode'], draft: Draft) {
    setMessage(null);
    setEditing({ mode, draft, key: Date.now() });
  }
  const definitionOf = ({ status: _status, notServing: _why, responseCount: _count, ...definition }: AdminSurvey): Draft => definition;
  function duplicate(survey: AdminSurvey) {
    const taken = new Set(surveys.map((s) => s.id));
    let id = `${survey.id}-copy`.slice(0, 64);
    for (let n = 2; taken.has(id); n++) id = `${survey.id.slice(0, 58)}-copy${n}`;
    edit('create', { ...definitionOf(survey), id, name: `${survey.name ?? survey.id} (copy)`, status: 'paused' });
  }

  return (
    <section class="card wide" aria-labelledby="surveys-title">
      <div class="section-head">
        <h2 id="surveys-title">Surveys</h2>
        <button type="button" class="primary" onClick={() => edit('create', TEMPLATE)}>
          New survey
        </button>
      </div>
      {message && (
        <p class="notice" role="status">
          {message}
        </p>
      )}
      <div class="table-scroll">
      <table class="surveys">
        <thead>
          <tr>
            <th scope="col">Survey</th>
            <th scope="col">Metric</th>
            <th scope="col">Shown</th>
            <th scope="col" class="num">Displays</th>
            <th scope="col" class="num">Responses</th>
            <th scope="col" class="num">Rate</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {surveys.map((s) => (
            <tr>
              <th scope="row">
                {s.name ?? s.id}
                <span class="sub"> {s.id}</span>
              </th>
              <td>{s.metric.toUpperCase()}{s.metric === 'ces' && ` 1–${scaleOf('ces', s.scaleMax).max}`}</td>
              <td>{when(s)}</td>
              <td class="num">{figures[s.id]?.shown.toLocaleString('en') ?? '…'}</td>
              <td class="num">{figures[s.id]?.responses.toLocaleString('en') ?? '…'}</td>
              <td class="num">{figures[s.id] ? (figures[s.id]!.rate === null ? '–' : `${figures[s.id]!.rate!.toFixed(1)}%`) : '…'}</td>
              <td>
                <span class={`status ${s.status}`}>{s.status}</span>
                {s.notServing && s.notServing !== 'paused' && <span class="sub"> {notServingText(s)}</span>}
              </td>
              <td class="actions">
                <button
                  type="button"
                  onClick={() =>
                    act(
                      () => request(apiKey, `/v1/surveys/${encodeURIComponent(s.id)}`, { method: 'PATCH', body: { status: s.status === 'active' ? 'paused' : 'active' } }),
                      `${s.name ?? s.id} ${s.status === 'active' ? 'paused' : 'resumed'}.`,
                    )
                  }
                >
                  {s.status === 'active' ? 'Pause' : 'Resume'}
                </button>
                <button type="button" onClick={() => edit('edit', definitionOf(s))}>
                  Edit
                </button>
                <button type="button" onClick={() => duplicate(s)}>
                  Duplicate
                </button>
                {confirming === s.id ? (
                  <>
                    <button
                      type="button"
                      class="danger"
                      onClick={() => {
                        setConfirming(null);
                        void act(() => request(apiKey, `/v1/surveys/${encodeURIComponent(s.id)}`, { method: 'DELETE' }), `${s.name ?? s.id} deleted.`);
                      }}
                    >
                      Delete for good
                    </button>
                    <button type="button" class="quiet" onClick={() => setConfirming(null)}>
                      Keep
                    </button>
                  </>
                ) : (
                  <button type="button" class="quiet" onClick={() => setConfirming(s.id)}>
                    Delete
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      {editing && (
        <SurveyEditor
          key={editing.key}
          apiKey={apiKey}
          mode={editing.mode}
          initial={editing.draft}
          onSaved={(done) => {
            setEditing(null);
            setMessage(done);
            onChanged();
          }}
          onCancel={() => setEditing(null)}
          onError={onError}
        />
      )}
      <Rules apiKey={apiKey} onError={onError} />
    </section>
  );
}

function when(survey: AdminSurvey): string {
  const { trigger } = survey;
  const sample = survey.sampleRate !== undefined && survey.sampleRate < 1 ? `, ${Math.round(survey.sampleRate * 100)}% of users` : '';
  if (trigger?.event) return `after ${trigger.event}${trigger.where?.length ? ' (with conditions)' : ''}${sample}`;
  if (trigger?.url) return `on ${trigger.url}${sample}`;
  return 'only by showSurvey()';
}

/** Why devices are not shown an active survey, in the team's words. */
function notServingText(survey: AdminSurvey): string {
  const at = (iso: string) => new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  if (survey.notServing === 'not-started') return `not started: starts ${at(survey.startsAt!)}`;
  if (survey.notServing === 'ended') return `ended ${at(survey.endsAt!)}`;
  return `cap reached: ${survey.responseCount?.toLocaleString('en')} of ${survey.maxResponses?.toLocaleString('en')} responses`;
}
