// Activity as the sdk sends it, random histories, and DAU/MAU counted straight from the
// definitions, for the rollup tests.
import type { Item } from '@cxkit/protocol';
import { DAY_MS, parseDay } from '../src/calendar';
import type { Storage } from '../src/ports';
import { seededRandom } from '../src/seeded-random';
import type { StoredItem } from '../src/storage';
import { commitItems } from './read-side-fixtures';

let sequence = 0;
export function stored(at: number, fields: Partial<Item> & { anonymousId: string }): StoredItem {
  sequence++;
  const item = {
    id: `item-${String(sequence).padStart(6, '0')}`,
    type: 'active',
    timestamp: new Date(at).toISOString(),
    sessionId: 's',
    ...fields,
  } as Item;
  return { item, json: JSON.stringify(item), at, receivedAt: at };
}

/** DAU and MAU straight from the definitions, over every item, for comparison. */
export function bruteForce(items: StoredItem[], dayOf: (at: number) => number, from: number, to: number) {
  const alias = new Map<string, { user: string; at: number; id: string }>();
  for (const { item, at } of items) {
    if (item.type !== 'identify' || item.anonymousId === item.userId) continue;
    const known = alias.get(item.anonymousId);
    if (!known || at < known.at || (at === known.at && item.id < known.id)) alias.set(item.anonymousId, { user: item.userId, at, id: item.id });
  }
  const daysByUser = new Map<string, Set<number>>();
  for (const { item, at } of items) {
    const user = item.userId ?? alias.get(item.anonymousId)?.user ?? item.anonymousId;
    if (!daysByUser.has(user)) daysByUser.set(user, new Set());
    daysByUser.get(user)!.add(dayOf(at));
  }
  const series = [];
  for (let day = from; day <= to; day++) {
    let dau = 0;
    let mau = 0;
    for (const days of daysByUser.values()) {
      if (days.has(day)) dau++;
      for (let d = day - 29; d <= day; d++) {
        if (days.has(d)) {
          mau++;
          break;
        }
      }
    }
    series.push({ day, dau, mau });
  }
  return series;
}

/** Local day by Intl alone, independent of calendar.ts. */
export const intlDayOf = (timeZone: string) => {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (at: number) => parseDay(format.format(at))!;
};

export function randomHistory(seed: number, count: number, start: number, days: number): StoredItem[] {
  const next = seededRandom(seed);
  const pick = <T,>(list: T[]) => list[Math.floor(next() * list.length)]!;
  const users = Array.from({ length: 25 }, (_, i) => `user-${i}`);
  const anonymous = Array.from({ length: 60 }, (_, i) => `anon-${i}`);
  const items: StoredItem[] = [];
  for (let i = 0; i < count; i++) {
    // Whole minutes and seconds, so activity lands on both sides of local midnights.
    const at = start + Math.floor(next() * days * DAY_MS);
    const roll = next();
    if (roll < 0.06) items.push(stored(at, { type: 'identify', anonymousId: pick(anonymous), userId: pick(users) } as Partial<Item> & { anonymousId: string }));
    else if (roll < 0.45) items.push(stored(at, { anonymousId: pick(anonymous), userId: pick(users) }));
    else items.push(stored(at, { anonymousId: pick(anonymous) }));
  }
  return items;
}

/** Commits the items in random order and batch sizes, some batches twice; `afterBatch` runs after each. */
export async function ingestShuffled(
  storage: Pick<Storage, 'ingest'>,
  items: StoredItem[],
  seed: number,
  afterBatch: () => unknown = () => {},
): Promise<void> {
  const next = seededRandom(seed);
  const shuffled = [...items];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  // Random batch sizes, and every tenth batch sent twice as a retry would.
  for (let i = 0, batch = 0; i < shuffled.length; batch++) {
    const size = 1 + Math.floor(next() * 120);
    const slice = shuffled.slice(i, i + size);
    await commitItems(storage, 'p', slice);
    if (batch % 10 === 0) await commitItems(storage, 'p', slice);
    await afterBatch();
    i += size;
  }
}

