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
} as const;
