export type Metric = 'nps' | 'csat' | 'ces';
export type CloseReason = 'close' | 'later' | 'never';
export type Placement = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left' | 'center' | 'inline';
export type Theme = 'light' | 'dark' | 'auto';
/** negative / neutral / positive: NPS 0–6 / 7–8 / 9–10; other scales below / at / above their midpoint. */
export type ScoreBucket = 'negative' | 'neutral' | 'positive';

/** Texts a survey sets for one locale; anything left out comes from the widget's own translation. */
export interface PromptTexts {
  question?: string;
  lowLabel?: string;
  highLabel?: string;
  /** One follow-up question for every score, or one per score bucket. */
  followUp?: string | Partial<Record<ScoreBucket, string>>;
  commentPlaceholder?: string;
  send?: string;
  thanks?: string;
  later?: string;
  never?: string;
  close?: string;
}

/** What the widget renders: already resolved for one locale by the sdk. */
export interface PromptSurvey {
  id: string;
  metric: Metric;
  /** Highest score: nps 10, csat 5, ces 7 (default) or 5. */
  scaleMax?: number;
  /** CSAT only: numbers (default) or faces. */
  scaleStyle?: 'numbers' | 'faces';
  /** Ask for a comment after the score (default true). */
  comment?: boolean;
  texts?: PromptTexts;
}

export interface MountOptions {
  survey: PromptSurvey;
  /** BCP 47 tag ("de", "fr-CA", "ar"); picks the translation and the text direction. */
  locale?: string;
  theme?: Theme;
  /** Default bottom-right. Narrow screens show corner and centre prompts as a bottom sheet. */
  placement?: Placement;
  /** For placement "inline": the element the prompt renders into. */
  target?: Element;
  /** The user picked a score; the sdk sends it at once. */
  onScore(score: number): void;
  /** The user sent a follow-up comment for the score already given. */
  onComment(comment: string): void;
  onClose(reason: CloseReason): void;
}

export interface WidgetHandle {
  unmount(): void;
}

export interface WidgetModule {
  mount(options: MountOptions): WidgetHandle;
}
