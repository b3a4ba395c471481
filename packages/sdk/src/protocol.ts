// Wire types shared by the sdk and the server (the server imports them as types only).
// The protocol is described in docs/protocol.md; keep the two in step.

export type Metric = 'nps' | 'csat' | 'ces';

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
export interface SurveyShownItem extends ItemBase {
  type: 'survey_shown';
  surveyId: string;
}
export type DismissReason = 'close' | 'later' | 'never';
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
  score: number;
  comment?: string;
  final: boolean;
}

export type Item =
  | SessionStartItem
  | ActiveItem
  | TrackItem
  | IdentifyItem
  | SurveyShownItem
  | SurveyDismissedItem
  | SurveyResponseItem;

export type ItemType = Item['type'];

export interface BatchRequest {
  writeKey: string;
  /** Device clock when the batch left; the server corrects item timestamps by (receivedAt - sentAt). */
  sentAt: string;
  batch: Item[];
}

export interface RejectedItem {
  index: number;
  reason: string;
}

export interface BatchResponse {
  accepted: number;
  duplicates: number;
  rejected: RejectedItem[];
}

/** Limits the server enforces; the sdk batches below them. */
export const LIMITS = {
  bodyBytes: 1024 * 1024,
  itemsPerBatch: 500,
  itemBytes: 32 * 1024,
  commentChars: 2000,
} as const;

export interface SurveyDefinition {
  id: string;
  metric: Metric;
  /** Scale maximum: nps 10, csat 5, ces 7 or 5. */
  scaleMax?: number;
  question?: Record<string, string>;
  trigger?: { event: string };
}

export interface SurveysResponse {
  surveys: SurveyDefinition[];
}
