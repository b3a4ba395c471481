import { LOCALES } from '@cxkit/protocol';
import { useState } from 'preact/hooks';
import { ApiError, request, type FieldIssue } from './api';
import { setAt, type Draft } from './draft';
import { Issues } from './Issues';
import { Preview } from './Preview';
import { LookFields, TextsFields, triggerKindOf, WhatFields, WhenFields, WhoFields, type TriggerKind } from './SurveyFields';

export interface EditorProps {
  apiKey: string;
  /** create: a new survey (also a copy of one); edit: replaces the survey with this id. */
  mode: 'create' | 'edit';
  initial: Draft;
  onSaved: (message: string) => void;
  onCancel: () => void;
  onError: (error: unknown) => void;
}

/**
 * The survey editor: a form for every field, or the JSON itself, with the server's issues shown at
 * their fields and a live preview beside it.
 */
export function SurveyEditor({ apiKey, mode, initial, onSaved, onCancel, onError }: EditorProps) {
  const [draft, setDraft] = useState<Draft>(initial);
  const [view, setView] = useState<'form' | 'json'>('form');
  const [json, setJson] = useState('');
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [locale, setLocale] = useState<string>(Object.keys((initial.texts as object | undefined) ?? {})[0] ?? 'en');
  const [kind, setKind] = useState<TriggerKind>(triggerKindOf(initial));
  const id = mode === 'edit' ? String(initial.id) : undefined;
  const set = (path: string, value: unknown) => setDraft((current) => setAt(current, path, value));
  const fields = { draft, set, issues };

  /** The JSON view's text as a draft, or the reason it is not one (shown where the JSON is). */
  function fromJson(): Draft | undefined {
    const parsed = parsedOrUndefined(json);
    if (!parsed) setIssues([{ path: '', message: 'not a survey: the JSON must be one object, { "id": …, "metric": … }' }]);
    return parsed;
  }

  function switchView(next: 'form' | 'json') {
    if (next === view) return;
    if (next === 'json') {
      setJson(JSON.stringify(draft, null, 2));
      return setView('json');
    }
    const parsed = fromJson();
    if (!parsed) return;
    setDraft(parsed);
    setKind(triggerKindOf(parsed));
    setIssues([]);
    setView('form');
  }

  async function save() {
    const body = view === 'json' ? fromJson() : draft;
    if (!body) return;
    try {
      const path = mode === 'create' ? '/v1/surveys' : `/v1/surveys/${encodeURIComponent(id!)}`;
      await request(apiKey, path, { method: mode === 'create' ? 'POST' : 'PUT', body });
      onSaved(mode === 'create' ? 'Survey created. It reaches the SDK on its next page load.' : 'Survey saved. It reaches the SDK on its next page load.');
    } catch (error) {
      if (error instanceof ApiError) setIssues(error.issues.length > 0 ? error.issues : [{ path: '', message: error.message }]);
      onError(error);
    }
  }

  // Issues the form shows at a field; the rest (a whole-survey issue, another locale's texts, a
  // field only the JSON holds) are listed above the buttons.
  const shownAtField = (path: string) =>
    view === 'form' &&
    /^(id|name|metric|scaleMax|scaleStyle|status|trigger|trigger\.(event|url|where)|delaySeconds|sampleRate|recontactDays|maxDisplays|startsAt|endsAt|maxResponses|placement|target|theme)$|^(trigger\.where|audience\.traits)\.\d+\.(key|op|value)$|^audience\.(traits|minDaysSinceFirstSeen|maxDaysSinceFirstSeen)$/.test(path) ||
    (view === 'form' && path.startsWith(`texts.${locale}.`));
  const elsewhere = issues.filter((issue) => !shownAtField(issue.path));
  const title = mode === 'create' ? 'New survey' : `Edit ${id}`;
  const locales = [...new Set([...LOCALES, ...Object.keys((draft.texts as object | undefined) ?? {})])];

  return (
    <form
      class="editor"
      aria-label={title}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div class="section-head">
        <h3>{title}</h3>
        <div class="choices" role="radiogroup" aria-label="Edit as">
          <label>
            <input type="radio" name="editor-view" checked={view === 'form'} onChange={() => switchView('form')} /> Form
          </label>
          <label>
            <input type="radio" name="editor-view" checked={view === 'json'} onChange={() => switchView('json')} /> JSON
          </label>
        </div>
      </div>
      <div class="editor-body">
        <div class="editor-fields">
          {view === 'json' ? (
            <>
              <label for="survey-json">The survey as JSON (docs/surveys.md has every field)</label>
              <textarea id="survey-json" spellcheck={false} rows={24} value={json} onInput={(e) => setJson(e.currentTarget.value)} />
            </>
          ) : (
            <>
              <WhatFields {...fields} creating={mode === 'create'} />
              <div class="field">
                <label for="survey-texts-locale">Words for the language</label>
                <select id="survey-texts-locale" value={locale} onChange={(e) => setLocale(e.currentTarget.value)}>
                  {locales.map((tag) => (
                    <option value={tag}>{tag}</option>
                  ))}
                </select>
              </div>
              <TextsFields key={locale} {...fields} locale={locale} />
              <WhenFields {...fields} kind={kind} onKind={setKind} />
              <WhoFields {...fields} />
              <LookFields {...fields} />
            </>
          )}
        </div>
        <Preview draft={view === 'json' ? (parsedOrUndefined(json) ?? draft) : draft} />
      </div>
      <Issues issues={elsewhere} label="Problems with the survey" />
      <div class="buttons">
        <button type="submit" class="primary">
          {mode === 'create' ? 'Create survey' : 'Save survey'}
        </button>
        <button type="button" class="quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function parsedOrUndefined(json: string): Draft | undefined {
  try {
    const parsed: unknown = JSON.parse(json);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Draft) : undefined;
  } catch {
    return undefined;
  }
}
