import { useEffect, useState } from 'preact/hooks';
import type { ProjectTimeZone } from '../../src/storage';
import { ApiError, getJson, request } from './api';

interface Props {
  apiKey: string;
  zone: ProjectTimeZone;
  onChanged: (zone: ProjectTimeZone) => void;
  onError: (error: unknown) => void;
}

const ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];
/** How often to ask whether the calendar of a new zone is ready. */
const POLL_MS = 3000;

/** The project's own time zone (GET/PUT /v1/time-zone): the default of the filters, kept ready like UTC. */
export function ProjectZone({ apiKey, zone, onChanged, onError }: Props) {
  const [value, setValue] = useState(zone.timeZone);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => setValue(zone.timeZone), [zone.timeZone]);
  useEffect(() => {
    if (zone.ready) return;
    const timer = setInterval(() => getJson<ProjectTimeZone>(apiKey, '/v1/time-zone').then(onChanged, onError), POLL_MS);
    return () => clearInterval(timer);
  }, [apiKey, zone.timeZone, zone.ready]);

  async function save() {
    setError(null);
    try {
      onChanged((await (await request(apiKey, '/v1/time-zone', { method: 'PUT', body: { timeZone: value.trim() } })).json()) as ProjectTimeZone);
    } catch (failure) {
      if (failure instanceof ApiError) setError(failure.message);
      onError(failure);
    }
  }

  return (
    <section class="card wide" aria-labelledby="zone-title">
      <form
        class="settings"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <h2 id="zone-title">Time zone</h2>
        <label>
          The project's days begin at midnight in
          <input list="zone-names" required value={value} onInput={(e) => setValue(e.currentTarget.value)} />
        </label>
        <datalist id="zone-names">
          {ZONES.map((name) => (
            <option value={name} />
          ))}
        </datalist>
        <button type="submit">Save time zone</button>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <p class="sub" role="status">
          {!zone.ready
            ? `DAU and MAU in ${zone.timeZone} are being prepared from the activity so far. Until then they are computed on each request: exact, but slower on large projects.`
            : zone.timeZone === 'UTC'
              ? 'The dashboard shows days in UTC unless you pick another zone above.'
              : `The dashboard shows days in ${zone.timeZone} unless you pick another zone above. DAU and MAU are kept ready in it, as in UTC.`}
        </p>
      </form>
    </section>
  );
}
