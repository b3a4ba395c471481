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

/** Texts of a survey in one locale; anything left out falls back to the widget's own translation. */
export interface SurveyTexts {
  question?: string;
  /** Label of the lowest score, e.g. "Not at all likely". */
  lowLabel?: string;
  /** Label of the highest score, e.g. "Extremely likely". */
  highLabel?: string;
  /** Follow-up question after the score, one per score bucket (see scoreBucket) or one for all. */
  followUp?: string | Partial<Record<ScoreBucket, string>>;
  commentPlaceholder?: string;
  thanks?: string;
  /** Labels of the send button, the "remind me later" and "don't ask again" links and the close button. */
  send?: string;
  later?: string;
  never?: string;
  close?: string;
}

/**
 * negative / neutral / positive: NPS detractor 0–6, passive 7–8, promoter 9–10; CSAT 1–2, 3, 4–5;
 * CES on 1–7: 1–3, 4, 5–7; CES on 1–5: 1–2, 3, 4–5.
 */
export type ScoreBucket = 'negative' | 'neutral' | 'positive';

/** A condition on an event property or a user trait. */
export interface PropertyFilter {
  key: string;
  op: 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'contains' | 'in' | 'exists';
  value?: string | number | boolean | (string | number | boolean)[];
}

export type Placement = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left' | 'center' | 'inline';

/** A survey as product teams define it (docs/surveys.md); the server validates it on save. */
export interface SurveyDefinition {
  id: string;
  /** Name shown on the dashboard. */
  name?: string;
  /** Paused surveys are kept but never shown; GET /v1/surveys serves active ones only. */
  status?: 'active' | 'paused';
  metric: Metric;
  /** Highest score: nps 10, csat 5, ces 7 (default) or 5. */
  scaleMax?: number;
  /** CSAT only: numbers (default) or faces. */
  scaleStyle?: 'numbers' | 'faces';
  /** Texts by locale ("en", "de", "pt-BR"…). */
  texts?: Record<string, SurveyTexts>;
  /** Ask for a comment after the score (default true). */
  comment?: boolean;
  /** When it may appear. No trigger: only through cxkit.showSurvey(id). */
  trigger?: {
    /** An event name passed to track(), optionally with conditions on its properties. */
    event?: string;
    where?: PropertyFilter[];
    /** A URL pattern: * matches any run of characters, e.g. "https://app.example.com/settings*". */
    url?: string;
  };
  /** Wait this long after the trigger before showing. */
  delaySeconds?: number;
  /** Share of users who may see it, 0–1, stable per user. */
  sampleRate?: number;
  /** Do not show again to a user within this many days of the last display. */
  recontactDays?: number;
  /** Show at most this many times to a user. */
  maxDisplays?: number;
  audience?: {
    /** Conditions on identify() traits; all must hold. */
    traits?: PropertyFilter[];
    minDaysSinceFirstSeen?: number;
    maxDaysSinceFirstSeen?: number;
  };
  placement?: Placement;
  /** For placement "inline": CSS selector of the host element to render into. */
  target?: string;
  theme?: 'light' | 'dark' | 'auto';
}

export interface SurveysResponse {
  surveys: SurveyDefinition[];
  /** Present when the request named a userId: what that user saw and answered, on any device. */
  history?: DisplayHistory;
  /** The project's rules between surveys; the sdk uses its defaults (14 days, 2) when absent. */
  rules?: ProjectRules;
}

/** Rules that hold across all of a project's surveys, set by its product team (docs/surveys.md). */
export interface ProjectRules {
  /** Days between any two surveys shown to one user. */
  cooldownDays: number;
  /** How often "remind me later" may postpone one survey. */
  maxRemindLater: number;
}

/**
 * A user's survey history as the server knows it (GET /v1/surveys?writeKey=…&userId=…), in the
 * shape the sdk keeps for the device, so the two can be merged.
 */
export interface DisplayHistory {
  /** When any survey was last shown (ms since epoch), for the cooldown between surveys. */
  lastShownAt?: number;
  /** By survey id; surveys the user never saw or answered are left out. */
  surveys: Record<string, SurveyHistory>;
}

export interface SurveyHistory {
  /** Times it was shown. */
  displays: number;
  /** ms since epoch. */
  lastShownAt?: number;
  /** The user gave a score. */
  answered: boolean;
  /** How the last display was dismissed, if it was; "never" for good once the user chose "don't ask again". */
  dismissed?: DismissReason;
  /** Times the user chose "remind me later". */
  later: number;
  /** The device's own record only: the session of the last display, since "remind me later" means a later session. */
  session?: string;
}
