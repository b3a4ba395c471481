/** Limits the server enforces; the sdk batches below them and the widget caps comments by them. */
export const LIMITS = {
  bodyBytes: 1024 * 1024,
  itemsPerBatch: 500,
  itemBytes: 32 * 1024,
  /** Levels of objects and arrays an item may have, the item itself the first. */
  itemDepth: 32,
  commentChars: 2000,
  /** A batch's `dropped` report: the length of its id, and the count a code may have. */
  reportIdChars: 64,
  droppedPerCode: 1_000_000,
  /** An account's id, as long as a user id may be. */
  accountIdChars: 200,
  /** An account's traits: how many, a name's length, a text value's length. */
  accountTraits: 100,
  traitNameChars: 64,
  traitTextChars: 1000,
  /** Accounts in one import (PUT /v1/accounts or a CSV), and the import body's bytes. */
  accountsPerImport: 10_000,
  importBytes: 5 * 1024 * 1024,
  /**
   * What a response keeps of its `traits` and its trigger's `properties` to group answers by
   * (docs/metrics.md#breakdowns): the first entries with a scalar value, as text, of these sizes.
   * The rest of the item is stored as sent.
   */
  snapshotEntries: 50,
  snapshotKeyChars: 64,
  snapshotValueChars: 100,
} as const;
