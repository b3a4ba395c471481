import { webhookEventsOf, type ListedResponse, type Metric, type WebhookEventType, type WebhookFilter } from '@cxkit/protocol';
import type { StoredWebhook, WebhookTarget } from './storage.js';

// Pure: which responses a webhook is told of. Survey and metric are known from a response's first
// item, so ingest queues an alert by them alone; score, bucket and comment may still change until
// the response is final, so the whole filter is applied when the alert is first sent (alerts.md).

/** What ingest matches answers against: the parts of the filter a response's first item settles. */
export function targetOf({ id, filter }: Pick<StoredWebhook, 'id' | 'filter'>): WebhookTarget {
  return { id, ...(filter.events && { events: filter.events }), ...(filter.surveys && { surveys: filter.surveys }), ...(filter.metrics && { metrics: filter.metrics }) };
}

/** Whether a webhook is told of this kind of event; one that names none is told of responses. */
export const takes = (filter: Pick<WebhookFilter, 'events'>, event: WebhookEventType) => webhookEventsOf(filter).includes(event);

export function concerns(target: WebhookTarget, answer: { surveyId: string; metric: Metric }): boolean {
  return (
    takes(target, 'response.completed') &&
    (!target.surveys || target.surveys.includes(answer.surveyId)) &&
    (!target.metrics || target.metrics.includes(answer.metric))
  );
}

/** Whether the response, as it stands (its bucket on its own survey's scale), is one the filter asks for. */
export function matchesFilter(filter: WebhookFilter, response: Pick<ListedResponse, 'surveyId' | 'metric' | 'score' | 'bucket' | 'comment'>): boolean {
  if (!concerns(targetOf({ id: '', filter }), response)) return false;
  if (filter.buckets && !filter.buckets.includes(response.bucket)) return false;
  if (filter.minScore !== undefined && response.score < filter.minScore) return false;
  if (filter.maxScore !== undefined && response.score > filter.maxScore) return false;
  // As the responses list counts a comment: an empty one is none.
  const hasComment = response.comment !== null && response.comment !== '';
  return filter.hasComment === undefined || filter.hasComment === hasComment;
}
