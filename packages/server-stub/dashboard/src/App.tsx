import { useState } from 'preact/hooks';
import type { ProjectTimeZone } from '../../src/storage';
import type { AdminSurvey } from '../../src/survey-admin';
import { Accounts } from './Accounts';
import { forgetKey, getJson, savedKey, saveKey, Unauthorized } from './api';
import { Comments } from './Comments';
import { LinkedResponse } from './LinkedResponse';
import { addDays, today } from './format';
import { Overview } from './Overview';
import { ProjectZone } from './ProjectZone';
import { Surveys } from './Surveys';
import { Themes } from './Themes';
import { useLatest } from './use-latest';
import { Webhooks } from './Webhooks';

export interface Filters {
  from: string;
  to: string;
  period: 'day' | 'week' | 'month';
  tz: string;
  survey: string;
}

/** What each panel that reads the filtered range is given. */
export interface RangePanelProps {
  apiKey: string;
  filters: Filters;
  /** Bumped when surveys change, so a panel reloads. */
  version: number;
  onError: (error: unknown) => void;
}

const BROWSER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const RANGES = [7, 30, 90, 365];

export function App() {
  const [key, setKey] = useState(savedKey);
  const signOut = (reason?: string) => {
    forgetKey();
    setKey(null);
    setSignInError(reason ?? null);
  };
  const [signInError, setSignInError] = useState<string | null>(null);
  if (!key) {
    return (
      <SignIn
        error={signInError}
        onKey={(k) => {
          saveKey(k);
          setSignInError(null);
          setKey(k);
        }}
      />
    );
  }
  return <Dashboard apiKey={key} onSignOut={signOut} />;
}

function SignIn({ error, onKey }: { error: string | null; onKey: (key: string) => void }) {
  const [value, setValue] = useState('');
  return (
    <main class="sign-in">
      <form
        class="card"
        onSubmit={(event) => {
          event.preventDefault();
          if (value.trim()) onKey(value.trim());
        }}
      >
        <h1>cxkit</h1>
        <p>Sign in with your project's secret read key. It is kept in this tab only.</p>
        <label for="read-key">Read key</label>
        <input id="read-key" type="password" autocomplete="off" placeholder="sk_…" value={value} onInput={(e) => setValue(e.currentTarget.value)} />
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary">
          Sign in
        </button>
      </form>
    </main>
  );
}

function Dashboard({ apiKey, onSignOut }: { apiKey: string; onSignOut: (reason?: string) => void }) {
  const [days, setDays] = useState(30);
  const [period, setPeriod] = useState<Filters['period']>('day');
  // The project's own zone by default: its DAU/MAU are kept ready, as in UTC.
  const [projectZone, setProjectZone] = useState<ProjectTimeZone | null>(null);
  const [chosenTz, setTz] = useState<string | null>(null);
  const [survey, setSurvey] = useState('');
  const [surveys, setSurveys] = useState<AdminSurvey[]>([]);
  const [version, setVersion] = useState(0);
  const tz = chosenTz ?? projectZone?.timeZone;
  const to = tz === undefined ? '' : today(tz);
  const filters: Filters | undefined = tz === undefined ? undefined : { from: addDays(to, -(days - 1)), to, period, tz, survey };
  const fail = (error: unknown) => {
    if (error instanceof Unauthorized) onSignOut('That read key was not accepted. Check it and sign in again.');
  };
  const zones = [...new Set([projectZone?.timeZone, 'UTC', BROWSER_ZONE].filter((z): z is string => z !== undefined))];

  useLatest(
    () => getJson<ProjectTimeZone>(apiKey, '/v1/time-zone'),
    setProjectZone,
    (error) => {
      fail(error);
      setTz('UTC');
    },
    [apiKey],
  );

  useLatest(
    () => getJson<{ surveys: AdminSurvey[] }>(apiKey, '/v1/surveys'),
    (body) => setSurveys(body.surveys),
    fail,
    [apiKey, version],
  );

  return (
    <div class="layout">
      <header class="top">
        <h1>cxkit</h1>
        <form class="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
          <span class="filter">
            <label for="filter-range">Range</label>
            <select id="filter-range" value={days} onChange={(e) => setDays(Number(e.currentTarget.value))}>
              {RANGES.map((n) => (
                <option value={n}>Last {n} days</option>
              ))}
            </select>
          </span>
          <span class="filter">
            <label for="filter-period">By</label>
            <select id="filter-period" value={period} onChange={(e) => setPeriod(e.currentTarget.value as Filters['period'])}>
              <option value="day">day</option>
              <option value="week">week</option>
              <option value="month">month</option>
            </select>
          </span>
          <span class="filter">
            <label for="filter-survey">Survey</label>
            <select id="filter-survey" value={survey} onChange={(e) => setSurvey(e.currentTarget.value)}>
              <option value="">All surveys</option>
              {surveys.map((s) => (
                <option value={s.id}>{s.name ?? s.id}</option>
              ))}
            </select>
          </span>
          <span class="filter">
            <label for="filter-tz">Days in</label>
            <select id="filter-tz" value={tz} onChange={(e) => setTz(e.currentTarget.value)}>
              {zones.map((zone) => (
                <option value={zone}>
                  {zone}
                  {zone === projectZone?.timeZone ? ' (project)' : zone === BROWSER_ZONE ? ' (this browser)' : ''}
                </option>
              ))}
            </select>
          </span>
        </form>
        <button type="button" class="quiet" onClick={() => onSignOut()}>
          Sign out
        </button>
      </header>
      <main>
        {tz && <LinkedResponse apiKey={apiKey} tz={tz} onError={fail} />}
        {filters && <Overview apiKey={apiKey} filters={filters} version={version} onError={fail} surveys={surveys} />}
        {filters && <Comments apiKey={apiKey} filters={filters} version={version} onError={fail} />}
        {filters && <Themes apiKey={apiKey} filters={filters} version={version} onError={fail} />}
        <Accounts apiKey={apiKey} version={version} onError={fail} />
        <Surveys apiKey={apiKey} surveys={surveys} filters={filters} onChanged={() => setVersion((v) => v + 1)} onError={fail} />
        <Webhooks apiKey={apiKey} surveys={surveys} onError={fail} />
        {projectZone && <ProjectZone apiKey={apiKey} zone={projectZone} onChanged={setProjectZone} onError={fail} />}
      </main>
    </div>
  );
}
