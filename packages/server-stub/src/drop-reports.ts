// A batch's `dropped` report (docs/protocol.md#drop-reports): counts the sdk gave up unsent, per code.
import { DROP_REASONS, LIMITS, type DroppedReport } from '@cxkit/protocol';

const CODES = new Set<string>(DROP_REASONS);

/**
 * The report when it is one as the protocol says, else undefined: a malformed report is ignored
 * whole, and never costs the batch its items.
 */
export function readDroppedReport(raw: unknown): DroppedReport | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return;
  const { id, counts } = raw as Record<string, unknown>;
  if (typeof id !== 'string' || !id || id.length > LIMITS.reportIdChars) return;
  if (typeof counts !== 'object' || counts === null || Array.isArray(counts)) return;
  const valid = Object.entries(counts).every(
    ([code, n]) => CODES.has(code) && Number.isInteger(n) && (n as number) >= 0 && (n as number) <= LIMITS.droppedPerCode,
  );
  return valid ? { id, counts: { ...counts } } : undefined;
}
