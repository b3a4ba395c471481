import { useEffect, useState } from 'preact/hooks';
import type { ProjectRules } from '@cxkit/protocol';
import { ApiError, getJson, request, type FieldIssue } from './api';
import { Issues } from './Issues';

interface Props {
  apiKey: string;
  onError: (error: unknown) => void;
}

/** The project's rules across surveys (GET/PUT /v1/rules): the cooldown and "remind me later". */
export function Rules({ apiKey, onError }: Props) {
  const [rules, setRules] = useState<{ cooldownDays: string; maxRemindLater: string } | null>(null);
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [message, setMessage] = useState<string | null>(null);

  const show = (saved: ProjectRules) => setRules({ cooldownDays: String(saved.cooldownDays), maxRemindLater: String(saved.maxRemindLater) });

  useEffect(() => {
    getJson<ProjectRules>(apiKey, '/v1/rules').then(show).catch(onError);
  }, [apiKey]);

  async function save() {
    if (!rules) return;
    setMessage(null);
    try {
      const body = { cooldownDays: Number(rules.cooldownDays), maxRemindLater: Number(rules.maxRemindLater) };
      show((await (await request(apiKey, '/v1/rules', { method: 'PUT', body })).json()) as ProjectRules);
      setIssues([]);
      setMessage('Rules saved. They reach the SDK on its next page load.');
    } catch (error) {
      if (error instanceof ApiError) setIssues(error.issues.length > 0 ? error.issues : [{ path: '', message: error.message }]);
      onError(error);
    }
  }

  if (!rules) return null;
  return (
    <form
      class="rules"
      aria-labelledby="rules-title"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3 id="rules-title">Rules for all surveys</h3>
      <label>
        Days between any two surveys to one person
        <input type="number" min={0} max={365} required value={rules.cooldownDays} onInput={(e) => setRules({ ...rules, cooldownDays: e.currentTarget.value })} />
      </label>
      <label>
        Times “Remind me later” may bring a survey back
        <input type="number" min={0} max={10} required value={rules.maxRemindLater} onInput={(e) => setRules({ ...rules, maxRemindLater: e.currentTarget.value })} />
      </label>
      <button type="submit">Save rules</button>
      <Issues issues={issues} label="Problems with the rules" />
      {message && (
        <p class="notice" role="status">
          {message}
        </p>
      )}
    </form>
  );
}
