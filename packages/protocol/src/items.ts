// What the sdk sends in POST /v1/batch and what the server answers (docs/protocol.md).
import type { Metric } from './scales.js';
import type { DropReason, RefusalReason, RejectReason } from './reasons.js';

export interface ItemContext {
  url?: string;
  locale?: string;
}

interface ItemBase {
  /** uuidv7: time-ordered, the server deduplicates on it. */
  id: string;
  /** ISO-8601 time the item was created on the device. */
  timestamp: string;
  anonymousId: string;
  userId?: string;
  sessionId: string;
  /** The account (company) the user belongs to on this device, from group(); none before it and after reset(). */
  accountId?: string;
  context?: ItemContext;
}

export interface SessionStartItem extends ItemBase {
  type: 'session_start';
}
export interface ActiveItem extends ItemBase {
  type: 'active';
}
export interface TrackItem extends ItemBase {
  type: 'track';
  event: string;
  properties?: Record<string, unknown>;
}
export interface IdentifyItem extends ItemBase {
  type: 'identify';
  userId: string;
  traits?: Record<string, unknown>;
}
/** The user belongs to this account from now on (Segment's group call); traits describe the account. */
export interface GroupItem extends ItemBase {
  type: 'group';
  accountId: string;
  /** Merged into the account's traits; a null value removes that trait. */
  traits?: AccountTraits;
}

/** What an account is known by: name, plan, MRR, a renewal date…; flat, values as limited by LIMITS. */
export type AccountTraits = Record<string, string | number | boolean | null>;

export interface SurveyShownItem extends ItemBase {
  type: 'survey_shown';
  surveyId: string;
}

/** How a prompt was closed without a score: closed, "remind me later", "don't ask again". */
export const DISMISS_REASONS = ['close', 'later', 'never'] as const;
export type DismissReason = (typeof DISMISS_REASONS)[number];

export interface SurveyDismissedItem extends ItemBase {
  type: 'survey_dismissed';
  surveyId: string;
  reason: DismissReason;
}
export interface SurveyResponseItem extends ItemBase {
  type: 'survey_response';
  surveyId: string;
  /** One response may arrive as several items (score first, comment later); they share this id. */
  responseId: string;
  metric: Metric;
  /** On the survey's scale (scales.ts); the server rejects it otherwise. */
  score: number;
  comment?: string;
  final: boolean;
  /** The user's identify() traits when the prompt was shown: breakdowns group by them (LIMITS.snapshot*). */
  traits?: Record<string, unknown>;
  /** What made the prompt appear; breakdowns group by its event's properties. */
  trigger?: PromptTrigger;
}

/** What makes a survey appear: a tracked event, the page's address, or cxkit.showSurvey(). */
export type PromptTrigger =
  | { kind: 'event'; event: string; properties?: Record<string, unknown> }
  | { kind: 'url'; url: string }
  /** cxkit.showSurvey(id): the host asked explicitly. */
  | { kind: 'manual' };

export type Item =
  | SessionStartItem
  | ActiveItem
  | TrackItem
  | IdentifyItem
  | GroupItem
  | SurveyShownItem
  | SurveyDismissedItem
  | SurveyResponseItem;

export type ItemType = Item['type'];

export interface BatchRequest {
  writeKey: string;
  /** Device clock when the batch left; the server corrects item timestamps by (receivedAt - sentAt). */
  sentAt: string;
  batch: Item[];
  /** What the device gave up unsent since its last report reached the server. */
  dropped?: DroppedReport;
}

/**
 * Counts of items the sdk dropped, per code. Sent again with the same id and counts until a batch
 * carrying it is answered 2xx, so the server counts each report once.
 */
export interface DroppedReport {
  /** A uuidv7; at most LIMITS.reportIdChars. */
  id: string;
  /** Whole numbers 0…LIMITS.droppedPerCode, by code. */
  counts: Partial<Record<DropReason, number>>;
}

export interface RejectedItem {
  /** Position of the item in the batch. */
  index: number;
  reason: RejectReason;
  /** Where in the item, when the reason concerns one field: a dot path such as "properties.__proto__". */
  detail?: string;
}

export interface BatchResponse {
  accepted: number;
  duplicates: number;
  rejected: RejectedItem[];
}

/** The body of a 401 or 403 to the batch or the survey definitions; readable by the page (CORS). */
export interface RefusalResponse {
  /** For people: what was refused and how to change that. */
  error: string;
  reason: RefusalReason;
  /** With origin_not_allowed: the page's origin, as the server received it. */
  origin?: string;
}
