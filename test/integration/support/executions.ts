import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUE_OPERATIONS } from '../../../src/queue/names.js';
import { executionJobId } from '../../../src/queue/operation-queue.js';
import type { RecordedCall } from '../../../src/demo/slack/fake-slack.js';
import { cardRequestId, type Harness } from './harness.js';
import { eventually } from './lab.js';

/**
 * Waits until at least `count` steps of a request's execution are past submitting (read from
 * its BullMQ job, as a restarted worker would), optionally only steps with `status`.
 */
export async function stepsReached(
  env: Record<string, string>,
  requestId: string,
  count = 1,
  status?: string,
): Promise<void> {
  const conn = new Redis(env.REDIS_URL ?? '', { maxRetriesPerRequest: null });
  const queue = new Queue(QUEUE_OPERATIONS, {
    connection: conn,
    prefix: env.GANETI_CHATOPS_QUEUE_PREFIX ?? '',
  });
  try {
    await eventually(`${count} step(s) of ${requestId} ${status ?? 'submitted'}`, async () => {
      const job = await queue.getJob(executionJobId(requestId));
      const steps = Object.values(
        (job?.data as { steps?: Record<string, { status: string }> } | undefined)?.steps ?? {},
      );
      const past = steps.filter((s) =>
        status ? s.status === status : s.status !== 'pending' && s.status !== 'submitting',
      );
      return past.length >= count ? true : null;
    });
  } finally {
    await queue.close();
    conn.disconnect();
  }
}

/** The card of a changing command (sending a command forgets the calls recorded so far). */
export async function cardFor(h: Harness, text: string): Promise<RecordedCall> {
  await h.command(text);
  return h.slack.waitFor(
    (c) => c.method === 'chat.postMessage' && JSON.stringify(c.body.blocks ?? '').includes('op_approve'),
    { timeoutMs: 60_000 },
  );
}

/** Posts `text`, approves its card as the second admin, and returns the card and request id. */
export async function approved(h: Harness, text: string): Promise<{ card: RecordedCall; requestId: string }> {
  const card = await cardFor(h, text);
  await h.click('op_approve', card);
  return { card, requestId: cardRequestId(card) };
}

/** The outcome messages posted for a card: replies in its thread that go to the channel too. */
export const outcomesOf = (h: Harness, card: RecordedCall): RecordedCall[] =>
  h.slack.calls.filter(
    (m) =>
      m.method === 'chat.postMessage' &&
      m.body.reply_broadcast === 'true' &&
      m.body.thread_ts === (card.result as { ts?: string }).ts,
  );
