// Senders that behave like many sdk queues under load: each keeps its batch until a server has
// answered 200, retrying through crashes, so whatever was acknowledged must be stored exactly once.
// The crash tests (server-restart, server-postgres-kill) share them.

/** The values a finished response must be stored with. */
export interface ExpectedResponse {
  score: number;
  comment: string;
  final: true;
}

export interface SenderRun {
  /** Ids of the items some server answered 200 for. */
  acknowledged: Set<string>;
  /** Ids of every item put into a batch. */
  sent: Set<string>;
  /** The final values of every response put into a batch, by responseId. */
  responses: Map<string, ExpectedResponse>;
  /** The sum of `accepted` over every 200 answer: each item counts once, whichever server took it. */
  accepted: number;
  duplicates: number;
  /** Batches that needed more than one attempt. */
  retriedBatches: number;
  /** Statuses other than 200, with the server that answered: a crash shows as a failed connection, never as these. */
  refusals: string[];
  /** Items acknowledged by each server url. */
  acknowledgedBy: Map<string, number>;
  /** Stops starting new batches and resolves once every batch started is acknowledged. */
  drain(): Promise<void>;
  /** Stops at once, acknowledged or not: after a failed test, so its senders do not run on. */
  stop(): void;
}

export interface SenderOptions {
  senders: number;
  itemsPerBatch: number;
  /**
   * The servers one attempt goes to, all at once: a client retrying through a load balancer may
   * reach two machines with the same batch. The batch is acknowledged when any of them says 200.
   */
  targets(sender: number, sequence: number, attempt: number): string[];
  writeKey?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * How long one attempt waits for its answer before it counts as failed, as a load balancer's or the
 * sdk's timeout does. A connection can be accepted and never answered: node:cluster's primary keeps
 * a connection it was handing to a worker open when that worker is killed before taking it.
 */
export const ATTEMPT_TIMEOUT_MS = 10_000;

export function startSenders(options: SenderOptions): SenderRun {
  const { itemsPerBatch, writeKey = 'pk_demo' } = options;
  let draining = false;
  let stopped = false;
  const run: Omit<SenderRun, 'drain' | 'stop'> = {
    acknowledged: new Set(),
    sent: new Set(),
    responses: new Map(),
    accepted: 0,
    duplicates: 0,
    retriedBatches: 0,
    refusals: [],
    acknowledgedBy: new Map(),
  };

  // Each batch holds plain events and one response sent in two parts: the score, then a newer item
  // with another score, a comment and final, which the stored row must end up with.
  function newBatch(sender: number, sequence: number) {
    const now = Date.now();
    const base = { anonymousId: `anon-${sender}`, sessionId: `session-${sender}` };
    const items: Record<string, unknown>[] = Array.from({ length: itemsPerBatch - 2 }, (_, i) => ({
      ...base,
      timestamp: new Date(now).toISOString(),
      id: `s${sender}-b${sequence}-i${i}`,
      type: 'track',
      event: 'checkout_completed',
    }));
    const responseId = `s${sender}-b${sequence}`;
    const answer = { ...base, type: 'survey_response', surveyId: 'nps-checkout', responseId, metric: 'nps' };
    const final: ExpectedResponse = { score: (sequence + 5) % 11, comment: `comment ${responseId}`, final: true };
    items.push({ ...answer, timestamp: new Date(now - 1).toISOString(), id: `${responseId}-score`, score: sequence % 11, final: false });
    items.push({ ...answer, timestamp: new Date(now).toISOString(), id: `${responseId}-final`, ...final });
    for (const item of items) run.sent.add(item.id as string);
    run.responses.set(responseId, final);
    return { ids: items.map((item) => item.id as string), body: JSON.stringify({ writeKey, sentAt: new Date(now).toISOString(), batch: items }) };
  }

  /** Answers whether the server took the batch. */
  async function post(url: string, body: string): Promise<boolean> {
    let status: number;
    let text: string;
    try {
      const response = await fetch(`${url}/v1/batch`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        body,
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      });
      status = response.status;
      text = await response.text();
    } catch {
      // Connection refused, reset or never answered, before or during the answer: that server is
      // down, and whether it committed is unknown, so the batch goes again (dedupe keeps it exact).
      return false;
    }
    if (status !== 200) {
      run.refusals.push(`${url}: ${status} ${text}`);
      return false;
    }
    const answer = JSON.parse(text) as { accepted: number; duplicates: number; rejected: unknown[] };
    if (answer.rejected.length > 0) run.refusals.push(`${url}: rejected ${JSON.stringify(answer.rejected)}`);
    run.accepted += answer.accepted;
    run.duplicates += answer.duplicates;
    run.acknowledgedBy.set(url, (run.acknowledgedBy.get(url) ?? 0) + answer.accepted + answer.duplicates);
    return true;
  }

  async function sender(index: number) {
    for (let sequence = 0; !draining && !stopped; sequence++) {
      const batch = newBatch(index, sequence);
      for (let attempt = 0; !stopped; attempt++) {
        if (attempt === 1) run.retriedBatches++;
        const answers = await Promise.all(options.targets(index, sequence, attempt).map((url) => post(url, batch.body)));
        if (answers.includes(true)) {
          for (const id of batch.ids) run.acknowledged.add(id);
          break;
        }
        await sleep(50);
      }
    }
  }

  const senders = Array.from({ length: options.senders }, (_, index) => sender(index));
  return Object.assign(run, {
    drain: async () => {
      draining = true;
      await Promise.all(senders);
    },
    stop: () => {
      stopped = true;
    },
  });
}
