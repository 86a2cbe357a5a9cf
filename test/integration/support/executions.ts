import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUE_OPERATIONS } from '../../../src/queue/names.js';
import { executionJobId } from '../../../src/queue/operation-queue.js';
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
