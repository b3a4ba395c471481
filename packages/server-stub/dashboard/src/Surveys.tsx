import { scaleOf } from '@cxkit/protocol';
import { useState } from 'preact/hooks';
import type { AdminSurvey } from '../../src/survey-admin';
import { ApiError, request, type FieldIssue } from './api';
import { Issues } from './Issues';
import { Rules } from './Rules';

interface Props {
  apiKey: string;
  surveys: AdminSurvey[];
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

type Editing = { mode: 'create' | 'edit'; id?: string; text: string };

/** Survey management: list, pause/resume, delete, and a JSON editor checked by the server. */
export function Surveys({ apiKey, surveys, onChanged, onError }: Props) {
  const [editing, setEditing] = useState<Editing | null>(null);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);

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

  function edit(survey: AdminSurvey | null) {
    setIssues([]);
    setMessage(null);
    if (!survey) return setEditing({ mode: 'create', text: JSON.stringify(TEMPLATE, null, 2) });
    const { status: _status, ...definition } = survey;
    setEditing({ mode: 'edit', id: survey.id, text: JSON.stringify(definition, null, 2) });
  }

  async function save() {
    if (!editing) return;
    let body: unknown;
    try {
      body = JSON.parse(editing.text);
    } catch (error) {
      setIssues([{ path: '', message: `not valid JSON: ${(error as Error).message}` }]);
      return;
    }
    try {
      const path = editing.mode === 'create' ? '/v1/surveys' : `/v1/surveys/${encodeURIComponent(editing.id!)}`;
      await request(apiKey, path, { method: editing.mode === 'create' ? 'POST' : 'PUT', body });
      setEditing(null);
      setIssues([]);
      setMessage(editing.mode === 'create' ? 'Survey created. It reaches the SDK on its next page load.' : 'Survey saved. It reaches the SDK on its next page load.');
      onChanged();
    } catch (error) {
      if (error instanceof ApiError) setIssues(error.issues.length > 0 ? error.issues : [{ path: '', message: error.message }]);
      onError(error);
    }
  }

  return (
    <section class="card wide" aria-labelledby="surveys-title">
      <div class="section-head">
        <h2 id="surveys-title">Surveys</h2>
        <button type="button" class="primary" onClick={() => edit(null)}>
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
              <td>
                <span class={`status ${s.status}`}>{s.status}</span>
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
                <button type="button" onClick={() => edit(s)}>
                  Edit
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
        <form
          class="editor"
          aria-label={editing.mode === 'create' ? 'New survey' : `Edit ${editing.id}`}
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <label for="survey-json">
            {editing.mode === 'create' ? 'New survey' : `Edit ${editing.id}`} (JSON, see docs/surveys.md for every field)
          </label>
          <textarea
            id="survey-json"
            spellcheck={false}
            rows={16}
            value={editing.text}
            onInput={(e) => setEditing({ ...editing, text: e.currentTarget.value })}
          />
          <Issues issues={issues} label="Problems with the survey" />
          <div class="buttons">
            <button type="submit" class="primary">
              {editing.mode === 'create' ? 'Create survey' : 'Save survey'}
            </button>
            <button type="button" class="quiet" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
        </form>
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
