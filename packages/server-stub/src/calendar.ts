// Calendar days as whole numbers (days since 1970-01-01), the local day of an instant in any
// IANA zone, and the day/week/month periods a series is cut into.

export const DAY_MS = 86_400_000;
export const QUARTER_MS = 900_000;
const QUARTERS_PER_DAY = 96;

export type Period = 'day' | 'week' | 'month';
export const PERIODS: readonly Period[] = ['day', 'week', 'month'];

/** The day number of a YYYY-MM-DD date, or undefined when it is not a real date. */
export function parseDay(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const ms = Date.parse(`${text}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text) return undefined;
  return ms / DAY_MS;
}

export const formatDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The first day of the period holding `day`; weeks start on Monday (ISO 8601). */
export function periodStart(day: number, period: Period): number {
  if (period === 'day') return day;
  // Day 0, 1970-01-01, was a Thursday: three days after a Monday.
  if (period === 'week') return day - (((day + 3) % 7) + 7) % 7;
  const date = new Date(day * DAY_MS);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / DAY_MS;
}

export interface PeriodRange {
  start: number;
  end: number;
}

/** The periods from `from` to `to` (inclusive), the first and last cut to the range. */
export function periodsBetween(from: number, to: number, period: Period): PeriodRange[] {
  const ranges: PeriodRange[] = [];
  let start = from;
  while (start <= to) {
    const nextStart = period === 'day' ? start + 1 : nextPeriodStart(start, period);
    ranges.push({ start, end: Math.min(to, nextStart - 1) });
    start = nextStart;
  }
  return ranges;
}

function nextPeriodStart(day: number, period: 'week' | 'month'): number {
  if (period === 'week') return periodStart(day, 'week') + 7;
  const date = new Date(day * DAY_MS);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / DAY_MS;
}

export class TimeZoneError extends Error {}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export interface Zone {
  name: string;
  /** The zone's canonical id: Asia/Kolkata and Asia/Calcutta are one zone. */
  id: string;
  /** The local calendar day of an instant (ms since epoch). */
  dayOf(at: number): number;
  /**
   * The local day of each of the 96 quarter hours of a UTC day. Activity is kept per quarter
   * hour, which is exact for every zone whose UTC offset is a whole number of quarter hours
   * (all zones since the 1970s, including +5:30, +5:45 and +12:45); throws TimeZoneError otherwise.
   */
  quarterDays(utcDay: number): Int32Array;
}

export const UTC: Zone = {
  name: 'UTC',
  id: 'UTC',
  dayOf: (at) => Math.floor(at / DAY_MS),
  quarterDays: (utcDay) => new Int32Array(QUARTERS_PER_DAY).fill(utcDay),
};

export function zone(name: string): Zone {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: name,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  // Etc/UTC, GMT, utc…: the same clock, so the same fast path that reads the UTC day totals.
  const id = format.resolvedOptions().timeZone;
  if (id === 'UTC') return UTC;
  const offsetAt = (at: number): number => {
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(at)) parts[part.type] = Number(part.value);
    const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
    return local - (at - (((at % 1000) + 1000) % 1000));
  };
  const cache = new Map<number, Int32Array>();

  function quarterDays(utcDay: number): Int32Array {
    let days = cache.get(utcDay);
    if (days) return days;
    days = new Int32Array(QUARTERS_PER_DAY);
    const start = utcDay * DAY_MS;
    const first = offsetAt(start);
    // Zones change their offset at most once a day: equal offsets at both ends mean one offset.
    const constant = first === offsetAt(start + DAY_MS - QUARTER_MS);
    for (let q = 0; q < QUARTERS_PER_DAY; q++) {
      const at = start + q * QUARTER_MS;
      const offset = constant ? first : offsetAt(at);
      if (offset % QUARTER_MS !== 0) {
        throw new TimeZoneError(`${name} was ${offset / 60_000} minutes from UTC on ${formatDay(utcDay)}; activity is kept in quarter hours`);
      }
      days[q] = Math.floor((at + offset) / DAY_MS);
    }
    cache.set(utcDay, days);
    return days;
  }

  return {
    name,
    id,
    dayOf: (at) => {
      const utcDay = Math.floor(at / DAY_MS);
      return quarterDays(utcDay)[Math.floor((at - utcDay * DAY_MS) / QUARTER_MS)]!;
    },
    quarterDays,
  };
}

/** The first instant of a local day (whole quarter hours, as Zone.quarterDays). */
export function dayStart(zone: Zone, day: number): number {
  for (let utcDay = day - 1; ; utcDay++) {
    const quarter = zone.quarterDays(utcDay).findIndex((d) => d >= day);
    if (quarter >= 0) return utcDay * DAY_MS + quarter * QUARTER_MS;
  }
}
