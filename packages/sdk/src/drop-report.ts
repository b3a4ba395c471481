// Counts of items given up unsent, per code, for the server (docs/protocol.md#drop-reports). They
// live in localStorage, so a reload loses none, and leave with the next batch.
import { LIMITS, type DropReason, type DroppedReport } from '@cxkit/protocol';
import { KEYS, parseJson, type LocalValues } from './local-values';

export interface DropReports {
  add(count: number, code: DropReason): void;
  /**
   * What the next batch carries: the report already on its way if a send of it failed (the same id
   * and counts, so the server counts it once), else a new one of the counts so far; undefined when
   * nothing was dropped.
   */
  next(): DroppedReport | undefined;
  /** A batch carrying this report was answered 2xx: it is the server's now. */
  delivered(id: string): void;
}

/** `s`: the report on its way; `c`: counts since it was made. */
interface Kept {
  s?: DroppedReport;
  c: DroppedReport['counts'];
}

export function createDropReports(values: LocalValues, newId: () => string): DropReports {
  const read = (): Kept => ({ c: {}, ...parseJson<Kept>(values.read(KEYS.dropped), (kept) => typeof kept === 'object') });
  const write = (kept: Kept) => values.write(KEYS.dropped, kept.s || Object.keys(kept.c).length ? JSON.stringify(kept) : undefined);

  return {
    add(count, code) {
      const kept = read();
      // The server ignores a report with a count past its limit: better a capped count than none.
      kept.c[code] = Math.min((kept.c[code] ?? 0) + count, LIMITS.droppedPerCode);
      write(kept);
    },
    next() {
      const kept = read();
      if (!kept.s && Object.keys(kept.c).length) {
        kept.s = { id: newId(), counts: kept.c };
        kept.c = {};
        write(kept);
      }
      return kept.s;
    },
    delivered(id) {
      const kept = read();
      if (kept.s?.id !== id) return;
      delete kept.s;
      write(kept);
    },
  };
}
