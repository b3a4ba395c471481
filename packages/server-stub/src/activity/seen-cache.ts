// Most items repeat a quarter hour already recorded for their subject and change nothing in the
// rollup. A bounded cache of recorded quarter hours lets ingest skip them without reading storage.
import { quarterOf, unionOf, hasQuarter, type Quarters } from './quarters.js';
import type { ActivityItem, SubjectDay } from './reads.js';

/** Bounds the cache: subject-days whose recorded quarter hours are known (~100 bytes each). */
export const SEEN_LIMIT = 200_000;

export interface SeenCache {
  /** The items that may change the rollup: identifies, and activity in a quarter hour not known recorded. */
  unseen<T extends ActivityItem>(projectId: string, items: readonly T[]): T[];
  /**
   * Learns subject-days a transaction recorded; call only after it committed. Recorded quarter
   * hours are never taken back, so what is learnt stays true whoever writes after.
   */
  learn(projectId: string, subjectDays: readonly SubjectDay[]): void;
}

export function seenCache(limit = SEEN_LIMIT): SeenCache {
  const known = new Map<string, Quarters>();
  const keyOf = (projectId: string, subject: string, day: number) => `${projectId}\n${subject}\n${day}`;
  return {
    unseen(projectId, items) {
      return items.filter(({ item, at }) => {
        if (item.type === 'identify') return true;
        const { day, quarter } = quarterOf(at);
        const quarters = known.get(keyOf(projectId, item.userId ?? item.anonymousId, day));
        return !quarters || !hasQuarter(quarters, quarter);
      });
    },
    learn(projectId, subjectDays) {
      for (const { subject, day, quarters } of subjectDays) {
        const key = keyOf(projectId, subject, day);
        const before = known.get(key);
        if (before) known.set(key, unionOf(before, quarters));
        else {
          if (known.size >= limit) known.delete(known.keys().next().value!);
          known.set(key, quarters);
        }
      }
    },
  };
}
