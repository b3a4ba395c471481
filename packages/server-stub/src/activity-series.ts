import { MAU_DAYS, seriesFromTotals, seriesFromUserDays, type DailyActivity } from './activity-math.js';
import { UTC, type Zone } from './calendar.js';
import type { Storage } from './storage.js';

/**
 * Daily DAU, MAU and stickiness from `from` to `to` (local days of the zone). UTC days are read
 * straight from the day totals; other zones regroup each user's quarter hours into local days.
 */
export function dailyActivity(storage: Storage, projectId: string, zone: Zone, from: number, to: number): DailyActivity[] {
  if (zone === UTC) return seriesFromTotals(storage.activityTotals(projectId, to), from, to);

  const first = from - (MAU_DAYS - 1);
  const segmentsOf = segmentCache(zone);
  const users = new Map<string, number[]>();
  for (const { day, user, quarters } of storage.activityUserDays(projectId, first - 1, to + 1)) {
    for (const segment of segmentsOf(day)) {
      if (segment.day < first || segment.day > to) continue;
      const { masks } = segment;
      if (((quarters[0] & masks[0]) | (quarters[1] & masks[1]) | (quarters[2] & masks[2])) === 0) continue;
      let days = users.get(user);
      if (!days) users.set(user, (days = []));
      if (days[days.length - 1] !== segment.day) days.push(segment.day);
    }
  }
  return seriesFromUserDays([...users.values()].map(sortedDistinct), from, to);
}

interface Segment {
  day: number;
  masks: [number, number, number];
}

/** The local days a UTC day's quarter hours fall on, each with the bits of its quarter hours. */
function segmentCache(zone: Zone): (utcDay: number) => Segment[] {
  const cache = new Map<number, Segment[]>();
  return (utcDay) => {
    let segments = cache.get(utcDay);
    if (segments) return segments;
    segments = [];
    const days = zone.quarterDays(utcDay);
    for (let q = 0; q < days.length; q++) {
      let segment = segments.find((s) => s.day === days[q]);
      if (!segment) segments.push((segment = { day: days[q]!, masks: [0, 0, 0] }));
      segment.masks[q >> 5] = segment.masks[q >> 5]! | (1 << (q & 31));
    }
    cache.set(utcDay, segments);
    return segments;
  };
}

// Days arrive in UTC order, which is local order except where a zone turned its clocks back
// across midnight.
function sortedDistinct(days: number[]): number[] {
  for (let i = 1; i < days.length; i++) {
    if (days[i]! <= days[i - 1]!) return [...new Set(days)].sort((a, b) => a - b);
  }
  return days;
}
