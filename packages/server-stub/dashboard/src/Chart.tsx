import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export interface Line {
  label: string;
  values: (number | null)[];
  color: string;
  /** Right-hand axis (for a percentage beside counts). */
  right?: boolean;
  format?: (n: number) => string;
}

export interface ChartProps {
  /** Period starts as YYYY-MM-DD. */
  days: string[];
  lines: Line[];
  /** A 95% interval drawn as a band around the first line. */
  band?: { low: (number | null)[]; high: (number | null)[] };
  height: number;
  label: string;
  range?: [number, number];
  /** Values under the cursor; small trend charts leave it out. */
  legend?: boolean;
}

/** A uPlot time chart sized to its container. */
export function Chart({ days, lines, band, height, label, range, legend = false }: ChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = ref.current!;
    const xs = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    const bandColor = lines[0]!.color;
    const series: uPlot.Series[] = [
      {},
      ...lines.map((line) => ({
        label: line.label,
        stroke: line.color,
        width: 2,
        scale: line.right ? 'right' : 'y',
        points: { show: days.length <= 31 },
        value: (_: uPlot, v: number | null) => (v === null ? '–' : (line.format ?? String)(v)),
      })),
      ...(band
        ? [
            { label: '95% high', stroke: 'transparent', points: { show: false }, show: true },
            { label: '95% low', stroke: 'transparent', points: { show: false }, show: true },
          ]
        : []),
    ];
    const data = [xs, ...lines.map((l) => l.values), ...(band ? [band.high, band.low] : [])] as uPlot.AlignedData;
    const hasRight = lines.some((l) => l.right);
    // The axes in the page's colours (styles.css), so they read in the light and the dark scheme.
    const style = getComputedStyle(element);
    const muted = style.getPropertyValue('--muted').trim();
    const grid = style.getPropertyValue('--grid').trim();
    const plot = new uPlot(
      {
        width: element.clientWidth,
        height,
        series,
        bands: band ? [{ series: [lines.length + 1, lines.length + 2], fill: `${bandColor}22` }] : [],
        // Days are calendar days of the chosen zone, sent as UTC midnights: show them as such.
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        scales: { x: { time: true }, y: range ? { range } : {}, right: { range: [0, 100] } },
        axes: [
          { stroke: muted, grid: { show: false } },
          { stroke: muted, grid: { stroke: grid }, size: 48 },
          ...(hasRight ? [{ scale: 'right', side: 1, stroke: muted, grid: { show: false }, values: (_: uPlot, v: number[]) => v.map((n) => `${n}%`) }] : []),
        ],
        legend: { show: legend, live: true },
        cursor: { drag: { x: false, y: false } },
      },
      data,
      element,
    );
    const observer = new ResizeObserver(() => plot.setSize({ width: element.clientWidth, height }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [days, lines, band, height, range, legend]);
  return <div ref={ref} class="chart" role="img" aria-label={label} />;
}
