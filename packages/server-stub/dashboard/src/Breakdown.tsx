import { useState } from 'preact/hooks';
import type { Metric } from '@cxkit/protocol';
import type { GroupSummary, MetricBreakdown } from '../../src/breakdown';
import type { MetricsReport } from '../../src/metrics';
import type { AdminSurvey } from '../../src/survey-admin';
import { getJson, query } from './api';
import type { RangePanelProps } from './App';
import { count, decimal, interval, percent, signed, span, withSign } from './format';
import { useLatest } from './use-latest';

const KINDS = [
  ['trait', 'User trait'],
  ['event', 'Trigger event property'],
  ['locale', 'Locale'],
  ['survey', 'Survey'],
] as const;
type Kind = (typeof KINDS)[number][0];

const METRICS: [Metric, string][] = [
  ['nps', 'NPS'],
  ['csat', 'CSAT'],
  ['ces', 'CES'],
];

/** How a metric's score and a difference of two are written. */
const SCORE: Record<Metric, (n: number | null) => string> = { nps: signed, csat: percent, ces: decimal };
const DIFFERENCE: Record<Metric, (n: number) => string> = {
  nps: (n) => `${withSign(n, 0)} points`,
  csat: (n) => `${withSign(n, 1)} points`,
  ces: (n) => withSign(n, 2),
};

type Row = GroupSummary<Metric> & { key?: string; label: string };

/** NPS, CSAT or CES per group of answers over the range, and whether two groups differ. */
export function Breakdown({ apiKey, filters, version, onError, surveys }: RangePanelProps & { surveys: AdminSurvey[] }) {
  const [metric, setMetric] = useState<Metric>('nps');
  const [kind, setKind] = useState<Kind>('trait');
  const [key, setKey] = useState('plan');
  const [picked, setPicked] = useState<string[]>([]);
  const [result, setResult] = useState<{ breakdown: MetricBreakdown<Metric>; minAnswers: number } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const { from, to, tz, survey } = filters;
  const keyed = kind === 'trait' || kind === 'event';
  const groupBy = keyed ? `${kind}:${key.trim()}` : kind;
  const ready = !keyed || key.trim() !== '';
  const compare = picked.length === 2 ? picked : [];

  useLatest(
    async () => {
      if (!ready) return null;
      const params = `${query({ from, to, tz, survey, period: 'month', metrics: metric, groupBy })}${compare.map((k) => `&compare=${encodeURIComponent(k)}`).join('')}`;
      return getJson<MetricsReport>(apiKey, `/v1/metrics?${params}`);
    },
    (report) => {
      setResult(report && { breakdown: report.breakdown![metric]!, minAnswers: report.breakdown!.minAnswers });
      setProblem(null);
    },
    (error) => {
      setProblem((error as Error).message);
      onError(error);
    },
    [apiKey, from, to, tz, survey, version, metric, groupBy, ready, compare.join('\n')],
  );

  const regroup = (change: () => void) => {
    change();
    setPicked([]);
  };
  const surveyName = (id: string) => surveys.find((s) => s.id === id)?.name ?? id;
  const rows: Row[] = result
    ? [
        ...result.breakdown.groups.map((g) => ({ ...g, label: kind === 'survey' ? surveyName(g.key) : g.key })),
        ...(result.breakdown.none ? [{ ...result.breakdown.none, label: 'No value' }] : []),
        ...(result.breakdown.other ? [{ ...result.breakdown.other, label: `Other (${count(result.breakdown.other.groups)} groups)` }] : []),
      ]
    : [];
  const toggle = (k: string) => setPicked((p) => (p.includes(k) ? p.filter((x) => x !== k) : [...p.slice(-1), k]));

  return (
    <article class="card wide breakdown" aria-label="Breakdown">
      <div class="section-head">
        <h3>Breakdown</h3>
        <form class="filters" aria-label="Breakdown" onSubmit={(e) => e.preventDefault()}>
          <span class="filter">
            <label for="breakdown-metric">Metric</label>
            <select id="breakdown-metric" value={metric} onChange={(e) => regroup(() => setMetric(e.currentTarget.value as Metric))}>
              {METRICS.map(([value, name]) => (
                <option value={value}>{name}</option>
              ))}
            </select>
          </span>
          <span class="filter">
            <label for="breakdown-kind">Group by</label>
            <select id="breakdown-kind" value={kind} onChange={(e) => regroup(() => setKind(e.currentTarget.value as Kind))}>
              {KINDS.map(([value, name]) => (
                <option value={value}>{name}</option>
              ))}
            </select>
          </span>
          {keyed && (
            <span class="filter">
              <label for="breakdown-key">{kind === 'trait' ? 'Trait' : 'Property'}</label>
              <input id="breakdown-key" size={12} value={key} onChange={(e) => regroup(() => setKey(e.currentTarget.value))} />
            </span>
          )}
        </form>
      </div>
      <p class="sub">
        Answers in the range, grouped as they were when given. Groups under {result?.minAnswers ?? 30} answers are marked: their interval is wide.
        Tick two groups to compare them.
      </p>
      {problem ? (
        <p class="error" role="alert">
          Could not load the breakdown: {problem}
        </p>
      ) : !ready ? (
        <p class="sub">Name the {kind === 'trait' ? 'trait' : 'property'} to group by.</p>
      ) : !result ? (
        <p class="loading">Loading breakdown…</p>
      ) : rows.length === 0 ? (
        <p class="sub">No answers in this range.</p>
      ) : (
        <>
          <div class="table-scroll">
            <table class="surveys breakdown-table">
              <thead>
                <tr>
                  <th scope="col">Compare</th>
                  <th scope="col">Group</th>
                  <th scope="col" class="num">Answers</th>
                  <th scope="col" class="num">Score</th>
                  <th scope="col" class="num">95% interval</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr class={row.tooFew ? 'few' : undefined}>
                    <td>
                      {row.key !== undefined && (
                        <input type="checkbox" aria-label={`Compare ${row.label}`} checked={picked.includes(row.key)} onChange={() => toggle(row.key!)} />
                      )}
                    </td>
                    <th scope="row">
                      {row.label}
                      {row.tooFew && <span class="status few-answers">few answers</span>}
                    </th>
                    <td class="num">{count(row.n)}</td>
                    <td class="num">{SCORE[metric](row.score)}</td>
                    <td class="num">{row.interval ? span(row.interval, SCORE[metric]) : 'too few answers'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Comparison metric={metric} breakdown={result.breakdown} picked={compare} label={(k) => (kind === 'survey' ? surveyName(k) : k)} />
        </>
      )}
    </article>
  );
}

function Comparison({ metric, breakdown, picked, label }: { metric: Metric; breakdown: MetricBreakdown<Metric>; picked: string[]; label: (key: string) => string }) {
  if (picked.length !== 2) return (
    <p class="sub comparison" role="status">
      Tick two groups to see whether they differ.
    </p>
  );
  const result = breakdown.comparison;
  if (!result) return <p class="sub comparison" role="status">Too few answers in one of the two groups to compare them.</p>;
  return (
    <p class={`comparison ${result.significant ? 'significant' : ''}`} role="status">
      <strong>
        {label(result.a)} − {label(result.b)}: {DIFFERENCE[metric](result.difference)}
      </strong>{' '}
      ({interval(result.interval, DIFFERENCE[metric])}).{' '}
      {result.significant
        ? 'The interval leaves out 0: a real difference at the 95% level.'
        : 'The interval includes 0: these answers cannot tell the two groups apart.'}
    </p>
  );
}
