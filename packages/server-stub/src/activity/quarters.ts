// Activity is kept per UTC day and subject as the set of quarter hours with activity: 96 bits in
// three 32-bit words, exact local days in any zone whose offset is whole quarter hours.
import { DAY_MS, QUARTER_MS, TimeZoneError, type Zone } from '../calendar.js';

export const QUARTERS_PER_DAY = 96;

/** The quarter hours of one UTC day with activity, bit q of word q >> 5. */
export type Quarters = readonly [number, number, number];

export const NO_QUARTERS: Quarters = [0, 0, 0];

/** The UTC day of an instant and its quarter hour in that day (0–95). */
export function quarterOf(at: number): { day: number; quarter: number } {
  const day = Math.floor(at / DAY_MS);
  return { day, quarter: Math.floor((at - day * DAY_MS) / QUARTER_MS) };
}

export const hasQuarter = (quarters: Quarters, quarter: number): boolean => (quarters[quarter >> 5]! & (1 << (quarter & 31))) !== 0;

export function withQuarter(quarters: Quarters, quarter: number): Quarters {
  const words: [number, number, number] = [quarters[0], quarters[1], quarters[2]];
  words[quarter >> 5] = (words[quarter >> 5]! | (1 << (quarter & 31))) >>> 0;
  return words;
}

export const unionOf = (a: Quarters, b: Quarters): Quarters => [(a[0] | b[0]) >>> 0, (a[1] | b[1]) >>> 0, (a[2] | b[2]) >>> 0];

/**
 * The local day of each quarter hour of a UTC day, or undefined where the zone was off UTC by
 * other than whole quarter hours (before 1972): metrics refuse to read such days (metrics.ts),
 * so the zone's calendar need not keep them, and ingest must not fail on them.
 */
export function quarterDays(zone: Zone, utcDay: number): Int32Array | undefined {
  try {
    return zone.quarterDays(utcDay);
  } catch (error) {
    if (error instanceof TimeZoneError) return undefined;
    throw error;
  }
}

/** Whether a quarter hour falls on the same local day as one of the known ones. */
export function onSameLocalDay(known: Quarters, localDays: Int32Array, quarter: number): boolean {
  const day = localDays[quarter];
  for (let q = 0; q < QUARTERS_PER_DAY; q++) {
    if (localDays[q] === day && hasQuarter(known, q)) return true;
  }
  return false;
}

/** The local days a subject-day's quarter hours fall on, in the order first met. */
export function localDaysOf(zone: Zone, utcDay: number, quarters: Quarters): number[] {
  const localDays = quarterDays(zone, utcDay);
  if (!localDays) return [];
  const days: number[] = [];
  for (let q = 0; q < QUARTERS_PER_DAY; q++) {
    if (hasQuarter(quarters, q) && !days.includes(localDays[q]!)) days.push(localDays[q]!);
  }
  return days;
}
