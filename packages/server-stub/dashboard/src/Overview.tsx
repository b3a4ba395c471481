import { scaleOf } from '@cxkit/protocol';
import { useMemo, useState } from 'preact/hooks';
import type { MetricsReport } from '../../src/metrics';
import type { AdminSurvey } from '../../src/survey-admin';
import { getJson, query } from './api';
import type { RangePanelProps } from './App';
import { Breakdown } from './Breakdown';
import { Chart, type Line } from './Chart';
import { Dropped } from './Dropped';
import { count, decimal, interval, percent, signed } from './format';
import { useLatest } from './use-latest';

const COLORS = { nps: '#2563eb', csat: '#0d9488', ces: '#7c3aed', dau: '#ea580c', mau: '#64748b', stickiness: '#16a34a' };

/** Headline tiles with their intervals and trends, their breakdown by group, the DAU/MAU chart, and what devices dropped. */
export function Overview({ apiKey, filters, version, onError, surveys }: RangePanelProps & { surveys: AdminSurvey[] }) {
  const [report, setReport] = useState<MetricsReport | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const { from, to, period, tz, survey } = filters;
  useLatest(
    () => getJson<MetricsReport>(apiKey, `/v1/metrics?${query({ from, to, period, tz, survey })}`),
    (r) => {
      setReport(r);
      setProblem(null);
    },
    (error) => {
      setProblem((error as Error).message);
      onError(error);
    },
    [apiKey, from, to, period, tz, survey, version],
  );

  const charts = useMemo(() => report && chartData(report), [report]);
  if (problem) return <p class="error" role="alert">Could not load metrics: {problem}</p>;
  if (!report || !charts) return <p class="loading">Loading metrics…</p>;
  const { nps, csat, ces, responseRate, activity } = report.total;

  return (
    <section aria-labelledby="overview-title">
      <h2 id="overview-title" class="visually-hidden">
        Overview
      </h2>
      <div class="tiles">
        <article class="tile" aria-label="NPS">
          <h3>NPS</h3>
          <p class="headline">{signed(nps!.score)}</p>
          <p class="sub">{interval(nps!.interval, (n) => signed(n))}</p>
          <Split parts={[
            ['Promoters', nps!.promoters, 'positive'],
            ['Passives', nps!.passives, 'neutral'],
            ['Detractors', nps!.detractors, 'negative'],
          ]} />
          <Chart label="NPS by period with its 95% interval" days={charts.days} lines={charts.nps} band={charts.npsBand} height={130} range={[-100, 100]} />
        </article>
        <article class="tile" aria-label="CSAT">
          <h3>CSAT</h3>
          <p class="headline">{percent(csat!.score)}</p>
          <p class="sub">{interval(csat!.interval, (n) => percent(n))}</p>
          <p class="facts">
            {count(csat!.n)} answers · mean {decimal(csat!.mean)} of 5 · sum/max {percent(csat!.sumOverMax)}
          </p>
          <Chart label="CSAT by period with its 95% interval" days={charts.days} lines={charts.csat} band={charts.csatBand} height={130} range={[0, 100]} />
        </article>
        <article class="tile" aria-label="CES">
          <h3>CES</h3>
          {ces!.n > 0 && ces!.scaleMax === null ? (
            <>
              <p class="headline">
                {percent(ces!.easyShare)} <small>easy</small>
              </p>
              <p class="sub">The surveys ask on 1–5 and 1–7: pick one survey for its mean.</p>
              <p class="facts">{count(ces!.n)} answers</p>
            </>
          ) : (
            <>
              <p class="headline">
                {decimal(ces!.score)}
                {ces!.scaleMax && <small> of {ces!.scaleMax}</small>}
              </p>
              <p class="sub">{interval(ces!.interval, (n) => decimal(n))}</p>
              <p class="facts">
                {count(ces!.n)} answers · easy {percent(ces!.easyShare)}
              </p>
            </>
          )}
          <Chart label="CES by period" days={charts.days} lines={charts.ces} band={charts.cesBand} height={130} range={charts.cesBand ? [1, ces!.scaleMax ?? scaleOf('ces').max] : [0, 100]} />
        </article>
        <article class="tile small" aria-label="Response rate">
          <h3>Response rate</h3>
          <p class="headline">{percent(responseRate!.rate)}</p>
          <p class="sub">
            {count(responseRate!.responses)} responses of {count(responseRate!.shown)} surveys shown
          </p>
          <h3>Stickiness</h3>
          <p class="headline">{percent(activity!.stickiness)}</p>
          <p class="sub">
            DAU {count(activity!.dau)} · MAU {count(activity!.mau)} (means)
          </p>
        </article>
      </div>
      <Breakdown apiKey={apiKey} filters={filters} version={version} onError={onError} surveys={surveys} />
      <article class="card wide" aria-label="Daily and monthly active users">
        <h3>Active users</h3>
        <p class="sub">DAU, MAU (30 days ending each day) and DAU/MAU; means per {report.period} in {report.tz}.</p>
        <Chart label="DAU, MAU and stickiness" days={charts.days} lines={charts.activity} height={240} legend />
      </article>
      <Dropped dropped={report.total.dropped!} />
    </section>
  );
}

function Split({ parts }: { parts: [string, number, string][] }) {
  const total = parts.reduce((sum, [, n]) => sum + n, 0);
  return (
    <div class="split">
      <div class="bar" aria-hidden="true">
        {parts.map(([, n, bucket]) => (
          <span class={bucket} style={{ flexGrow: n }} />
        ))}
      </div>
      <p class="facts">
        {parts.map(([name, n]) => `${name} ${count(n)}`).join(' · ')} · {count(total)} answers
      </p>
    </div>
  );
}

function chartData(report: MetricsReport) {
  const s = report.series;
  const mixedCes = report.total.ces!.n > 0 && report.total.ces!.scaleMax === null;
  const line = (label: string, values: (number | null)[], color: string, extra: Partial<Line> = {}): Line => ({ label, values, color, ...extra });
  return {
    days: s.map((p) => p.start),
    nps: [line('NPS', s.map((p) => p.nps!.score), COLORS.nps, { format: (n) => signed(n) })],
    npsBand: { low: s.map((p) => p.nps!.interval?.low ?? null), high: s.map((p) => p.nps!.interval?.high ?? null) },
    csat: [line('CSAT', s.map((p) => p.csat!.score), COLORS.csat, { format: (n) => percent(n) })],
    csatBand: { low: s.map((p) => p.csat!.interval?.low ?? null), high: s.map((p) => p.csat!.interval?.high ?? null) },
    // Surveys on 1–5 and 1–7 have no common mean: then the trend is the share of easy answers.
    ces: mixedCes
      ? [line('Easy', s.map((p) => p.ces!.easyShare), COLORS.ces, { format: (n) => percent(n) })]
      : [line('CES', s.map((p) => p.ces!.score), COLORS.ces, { format: (n) => decimal(n) })],
    cesBand: mixedCes ? undefined : { low: s.map((p) => p.ces!.interval?.low ?? null), high: s.map((p) => p.ces!.interval?.high ?? null) },
    activity: [
      line('DAU', s.map((p) => p.activity!.dau), COLORS.dau, { format: (n) => count(n) }),
      line('MAU', s.map((p) => p.activity!.mau), COLORS.mau, { format: (n) => count(n) }),
      line('DAU/MAU', s.map((p) => p.activity!.stickiness), COLORS.stickiness, { right: true, format: (n) => percent(n) }),
    ],
  };
}
