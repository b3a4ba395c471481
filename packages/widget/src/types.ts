export type Metric = 'nps' | 'csat' | 'ces';
export type CloseReason = 'close' | 'later' | 'never';

/** What the widget renders: already resolved for one locale by the sdk. */
export interface PromptSurvey {
  id: string;
  metric: Metric;
  scaleMax?: number;
  question?: string;
}

export interface MountOptions {
  survey: PromptSurvey;
  locale?: string;
  theme?: 'light' | 'dark' | 'auto';
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
