import type { AccountHealthEvent, ListedResponse, WebhookEvent, WebhookFormat } from '@cxkit/protocol';

// Pure: the body a webhook is sent, in its format (docs/alerts.md#payload).

export interface EventSource {
  id: string;
  type: WebhookEvent['type'];
  createdAt: number;
  projectId: string;
  webhookId: string;
  /** As GET /v1/responses lists it (responses-api.ts lister). */
  response: ListedResponse;
  /** Where the dashboard shows this response. */
  dashboardUrl: string;
}

export const webhookEvent = ({ id, type, createdAt, projectId, webhookId, response, dashboardUrl }: EventSource): WebhookEvent => ({
  type,
  id,
  createdAt: new Date(createdAt).toISOString(),
  projectId,
  webhookId,
  response: { ...response, dashboardUrl },
});

/** Slack reads &, < and > as markup in text; everything else a respondent wrote is shown as it is. */
const slackText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function webhookBody(format: WebhookFormat, event: WebhookEvent): string {
  if (format === 'json') return JSON.stringify(event);
  const r = event.response;
  const who = r.userId ?? r.anonymousId;
  const headline = `${event.type === 'webhook.test' ? '[test] ' : ''}*${r.metric.toUpperCase()} ${r.score}* (${r.bucket}) on ${slackText(r.surveyName ?? r.surveyId)} from ${slackText(who)}`;
  const comment = r.comment ? `\n>${slackText(r.comment).replace(/\n/g, '\n>')}` : '\n_no comment_';
  return JSON.stringify({ text: `${headline}${comment}\n<${r.dashboardUrl}|Open on the dashboard>` });
}

/** The body of an account.poor_health event, in the webhook's format. */
export function accountAlertBody(format: WebhookFormat, event: AccountHealthEvent): string {
  if (format === 'json') return JSON.stringify(event);
  const a = event.account;
  const before = a.indexBefore === null ? '' : ` (${a.indexBefore}, ${a.categoryBefore}, the day before)`;
  const weakest = a.weakest ? `; pulled down most by ${a.weakest}` : '';
  const mrr = a.mrr === null ? '' : `; MRR ${a.mrr}`;
  return JSON.stringify({ text: `*${slackText(a.name ?? a.id)}* entered poor health: ${a.index}${before}${weakest}${mrr}\n<${a.dashboardUrl}|Open on the dashboard>` });
}
