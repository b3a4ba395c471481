import type { DismissReason, Placement, SurveyDefinition, SurveyTexts, Theme } from '@cxkit/protocol';

/** Texts a survey sets for one locale; anything left out comes from the widget's own translation. */
export type PromptTexts = SurveyTexts;

/** What the widget renders: already resolved for one locale by the sdk. */
export interface PromptSurvey extends Pick<SurveyDefinition, 'id' | 'metric' | 'scaleMax' | 'scaleStyle' | 'comment'> {
  texts?: PromptTexts;
}

/**
 * The widget's own texts in one language, the default export of its language file
 * (`cxkit-widget-<lang>.js`, `@cxkit/widget/locales/<lang>`), in messages.ts's order.
 */
export type Messages = readonly string[];

export interface MountOptions {
  survey: PromptSurvey;
  /** BCP 47 tag ("de", "fr-CA", "ar"); picks the translation and the text direction. */
  locale?: string;
  /** The language file of `locale`'s language; without it the widget's own texts are English. */
  messages?: Messages;
  theme?: Theme;
  /** Default bottom-right. Narrow screens show corner and centre prompts as a bottom sheet. */
  placement?: Placement;
  /** For placement "inline": the element the prompt renders into. */
  target?: Element;
  /**
   * For placement "center": move focus into the dialog as it opens, so screen readers read its
   * question (default true). A preview drawn beside a form the user types in passes false.
   */
  takeFocus?: boolean;
  /** The user picked a score; the sdk sends it at once. */
  onScore(score: number): void;
  /** The user sent a follow-up comment for the score already given. */
  onComment(comment: string): void;
  onClose(reason: DismissReason): void;
}

export interface WidgetHandle {
  unmount(): void;
}

export interface WidgetModule {
  mount(options: MountOptions): WidgetHandle;
}
