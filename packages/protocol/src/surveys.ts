// Survey definitions as product teams write them, and what GET /v1/surveys serves (docs/surveys.md).
import type { DismissReason } from './items.js';
import type { Metric, ScoreBucket } from './scales.js';

/** Texts of a survey in one locale; anything left out falls back to the widget's own translation. */
export interface SurveyTexts {
  question?: string;
  /** Label of the lowest score, e.g. "Not at all likely". */
  lowLabel?: string;
  /** Label of the highest score, e.g. "Extremely likely". */
  highLabel?: string;
  /** Follow-up question after the score, one per score bucket (scales.ts) or one for all. */
  followUp?: string | Partial<Record<ScoreBucket, string>>;
  commentPlaceholder?: string;
  thanks?: string;
  /** Labels of the send button, the "remind me later" and "don't ask again" links and the close button. */
  send?: string;
  later?: string;
  never?: string;
  close?: string;
}

/** A condition on an event property or a user trait. */
export interface PropertyFilter {
  key: string;
  op: 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'contains' | 'in' | 'exists';
  value?: string | number | boolean | (string | number | boolean)[];
}

export type Placement = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left' | 'center' | 'inline';
export type Theme = 'light' | 'dark' | 'auto';

/** A survey as product teams define it (docs/surveys.md); the server validates it on save. */
export interface SurveyDefinition {
  id: string;
  /** Name shown on the dashboard. */
  name?: string;
  /** Paused surveys are kept but never shown; GET /v1/surveys serves active ones only. */
  status?: 'active' | 'paused';
  metric: Metric;
  /** Highest score: nps 10, csat 5, ces 7 (default) or 5 (SCALES in scales.ts). */
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
  /** Not shown before this moment: an ISO 8601 date and time with its zone, e.g. "2026-12-01T09:00:00Z". */
  startsAt?: string;
  /** Not shown from this moment on (same form). */
  endsAt?: string;
  /** No longer served once this many responses to it are stored. */
  maxResponses?: number;
  audience?: {
    /** Conditions on identify() traits; all must hold. */
    traits?: PropertyFilter[];
    /**
     * Conditions on the traits of the user's account (from group() and PUT /v1/accounts/:id); all
     * must hold. The server checks them: such a survey is served only to a device whose account
     * meets them, never to one without an account.
     */
    account?: PropertyFilter[];
    minDaysSinceFirstSeen?: number;
    maxDaysSinceFirstSeen?: number;
  };
  placement?: Placement;
  /** For placement "inline": CSS selector of the host element to render into. */
  target?: string;
  theme?: Theme;
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

/**
 * The survey's texts for a locale, as the sdk gives them to the widget and the dashboard's preview
 * shows them: exact ("pt-BR"), then its language ("pt"), then English, in any case. The locale
 * returned is the one the texts are in, so the widget's own labels match the question's language.
 */
export function surveyTextsFor(
  texts: Record<string, SurveyTexts> | undefined,
  locale: string,
): { locale: string; texts?: SurveyTexts } {
  // Language tags are case-insensitive: a page in "pt-br" (Django's default form) gets "pt-BR" texts.
  for (const tag of [locale, locale.split('-')[0]!, 'en']) {
    const key = Object.keys(texts ?? {}).find((key) => key.toLowerCase() === tag.toLowerCase());
    if (key) return { locale: key, texts: texts![key] };
  }
  return { locale };
}

/** Why a survey is outside its schedule at `now` (ms), or undefined while it runs. */
export function outsideSchedule({ startsAt, endsAt }: Pick<SurveyDefinition, 'startsAt' | 'endsAt'>, now: number): 'not-started' | 'ended' | undefined {
  if (startsAt !== undefined && now < Date.parse(startsAt)) return 'not-started';
  if (endsAt !== undefined && now >= Date.parse(endsAt)) return 'ended';
  return undefined;
}
