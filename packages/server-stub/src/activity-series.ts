import { dayCounter, MAU_DAYS, seriesFromTotals, type DailyActivity } from './activity-math.js';
import { formatDay, TimeZoneError, UTC, zone as zoneNamed, type Zone } from './calendar.js';
import type { ActivityPort } from './ports.js';

/**
 * Daily DAU, MAU and stickiness from `from` to `to` (local days of the zone). UTC days, and the
 * days of the project's own zone once its calendar is built, are read straight from the day
 * totals; other zones regroup each user's quarter hours into local days.
 */
export async function dailyActivity(
  activity: Pick<ActivityPort, 'totals' | 'timeZone' | 'zoneTotals' | 'forEachSubjectDay' | 'identities'>,
  projectId: string,
  zone: Zone,
  from: number,
  to: number,
): Promise<DailyActivity[]> {
  if (zone === UTC) return seriesFromTotals(await activity.totals(projectId, to), from, to);
  const kept = await activity.timeZone(projectId);
  if (kept?.ready && zoneNamed(kept.timeZone).id === zone.id) return seriesFromTotals(await activity.zoneTotals(projectId, to), from, to);

  const counter = dayCounter(from, to);
  const userOf = await activity.identities(projectId);
  const numbers = new Map<string, number>();
  const segmentsOf = segmentCache(zone);
  // Subject-days come in UTC day order; a user's subjects (their user id, their anonymous ids)
  // are merged within each UTC day, so every user's local days reach the counter in order.
  let utcDay = Number.NaN;
  const users = new Map<number, [number, number, number]>();
  const flush = () => {
    const segments = segmentsOf(utcDay);
    for (const [user, quarters] of users) {
      for (const { day, masks } of segments) {
        if ((quarters[0] & masks[0]) | (quarters[1] & masks[1]) | (quarters[2] & masks[2])) counter.add(user, day);
      }
    }
    users.clear();
  };
  await activity.forEachSubjectDay(projectId, from - MAU_DAYS, to + 1, (day, subject, q0, q1, q2) => {
    if (day !== utcDay) {
      if (users.size > 0) flush();
      utcDay = day;
    }
    const key = userOf.get(subject) ?? subject;
    let user = numbers.get(key);
    if (user === undefined) numbers.set(key, (user = numbers.size));
    const quarters = users.get(user);
    if (quarters) {
      quarters[0] |= q0;
      quarters[1] |= q1;
      quarters[2] |= q2;
    } else users.set(user, [q0, q1, q2]);
  });
  if (users.size > 0) flush();
  return counter.series();
}

interface Segment {
  day: number;
  masks: [number, number, number];
}

/** The local days a UTC day's quarter hours fall on, in order, each with the bits of its quarter hours. */
function segmentCache(zone: Zone): (utcDay: number) => Segment[] {
  const cache = new Map<number, Segment[]>();
  return (utcDay) => {
    let segments = cache.get(utcDay);
    if (segments) return segments;
    segments = [];
    const days = zone.quarterDays(utcDay);
    const next = zone.quarterDays(utcDay + 1)[0]!;
    for (let q = 0; q < days.length; q++) {
      const day = days[q]!;
      let segment = segments[segments.length - 1];
      if (!segment || segment.day !== day) {
        // Counting in one pass needs local days that never go back; no zone does that today.
        if (segment && day < segment.day) {
          throw new TimeZoneError(`${zone.name} turns its clocks back across midnight on ${formatDay(utcDay)}; ask in UTC`);
        }
        segments.push((segment = { day, masks: [0, 0, 0] }));
      }
      segment.masks[q >> 5] = segment.masks[q >> 5]! | (1 << (q & 31));
    }
    if (next < segments[segments.length - 1]!.day) {
      throw new TimeZoneError(`${zone.name} turns its clocks back across midnight on ${formatDay(utcDay + 1)}; ask in UTC`);
    }
    cache.set(utcDay, segments);
    return segments;
  };
}
