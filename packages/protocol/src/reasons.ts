// Closed lists of why an item goes nowhere. Codes travel and are compared; their meanings are
// written once, in docs/protocol.md.

/** Why the server rejects one item of a batch (named in the 200 answer's `rejected`). */
export const REJECT_REASONS = [
  'too_large',
  'too_deep',
  'forbidden_key',
  'invalid_text',
  'unknown_type',
  'missing_field',
  'invalid_field',
  'comment_too_long',
  'score_out_of_scale',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** Why the sdk gives items up without the server having them (its `dropped` event). */
export const DROP_REASONS = [
  'expired',
  'queue_full',
  'not_serializable',
  'too_large',
  'rejected',
  'payload_too_large',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/**
 * Why the server refuses a write key's whole request (the `reason` of a 401 or 403 answer to the
 * batch or the survey definitions). Sending again will not help until someone changes the project.
 */
export const REFUSAL_REASONS = ['unknown_write_key', 'origin_not_allowed'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];
