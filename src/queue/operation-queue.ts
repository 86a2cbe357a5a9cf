import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { UserError } from '../core/errors.js';
import { JOB_EXECUTE, JOB_EXPIRE, QUEUE_OPERATIONS } from './names.js';
import { clusterQueues } from './cluster-queues.js';
import type { ExecutionData } from './operation-runner.js';

export interface OperationQueue {
  /**
   * Queues the execution of an approved request on its cluster's queue (absent: the default);
   * a second call for the same request is a no-op.
   */
  execute(requestId: string, cluster?: string): Promise<void>;
  /** Expires a pending request after `delayMs` unless it was decided before. */
  scheduleExpiry(requestId: string, delayMs: number, cluster?: string): Promise<void>;
  close(): Promise<void>;
}

export const executionJobId = (requestId: string) => `exec-${requestId}`;

export function createOperationQueue(deps: {
  connection: Redis;
  prefix: string;
  logger: Logger;
  timeoutMs?: number;
  /** The default cluster: its executions go to the plain queue. */
  defaultCluster?: string;
  /** Every cluster served, whose queues are made at start. */
  clusters?: readonly string[];
}): OperationQueue {
  // One queue per cluster, so that each cluster's workers take only its jobs.
  const queues = clusterQueues(QUEUE_OPERATIONS, deps, 'operation queue: redis error');
  const queueOf = (cluster: string | undefined) => queues.of(cluster);
  const timeoutMs = deps.timeoutMs ?? 3_000;

  /** Runs Redis work within timeoutMs; a slow or absent Redis becomes a clear UserError. */
  async function bounded<T>(work: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        work(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer from Redis within ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
    } catch (error) {
      throw new UserError(
        'queue_unavailable',
        'The bot could not queue the operation: its job queue (Redis) is not answering. Nothing was run.',
        {
          hint: 'Try again in a minute; if it keeps failing, ask an admin to check Redis.',
          cause: error,
        },
      );
    } finally {
      clearTimeout(timer);
    }
  }
  const add = async (queue: Queue, name: string, data: object, opts: Parameters<Queue['add']>[2]) =>
    void (await bounded(() => queue.add(name, data, opts)));

  return {
    execute: (requestId, cluster) =>
      bounded(async () => {
        const queue = queueOf(cluster);
        const data: ExecutionData = { requestId, steps: {}, message: null };
        // One BullMQ job per request (the job id dedups double clicks); never retried blindly:
        // a restarted worker resumes it from the step states it saved.
        const opts = {
          jobId: executionJobId(requestId),
          attempts: 1,
          removeOnComplete: { age: 7 * 24 * 3600 },
          removeOnFail: { age: 30 * 24 * 3600 },
        };
        const job = await queue.add(JOB_EXECUTE, data, opts);
        // A job of an earlier try that ended without running the request (it was not approved yet
        // when that job ran, or it failed before starting) would swallow this one: replace it.
        // Running twice is impossible anyway: only one execution can move approved → running.
        const state = await job.getState();
        if (state === 'completed' || state === 'failed') {
          await job.remove();
          await queue.add(JOB_EXECUTE, data, opts);
        }
      }),
    scheduleExpiry: (requestId, delayMs, cluster) =>
      add(
        queueOf(cluster),
        JOB_EXPIRE,
        { requestId },
        {
          jobId: `expire-${requestId}`,
          delay: delayMs,
          removeOnComplete: true,
          removeOnFail: { age: 24 * 3600 },
        },
      ),
    close: () => queues.close(),
  };
}
