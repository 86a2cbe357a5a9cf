import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { UserError } from '../core/errors.js';
import { JOB_RUN_COMMAND, QUEUE_COMMANDS } from './names.js';
import { clusterQueues } from './cluster-queues.js';
import { commandJobSchema, type CommandJob } from './payloads.js';

export interface CommandQueue {
  /** Queues one request; rejects with a UserError when Redis does not take it in time. */
  enqueue(job: CommandJob): Promise<void>;
  close(): Promise<void>;
}

export interface CommandQueueDeps {
  connection: Redis;
  prefix: string;
  logger: Logger;
  /** Give up on Redis after this long (the user is told). Default 3 s. */
  enqueueTimeoutMs?: number;
  /** The default cluster: its jobs (and jobs naming no cluster) go to the plain queue. */
  defaultCluster?: string;
  /** Every cluster served, whose queues are made at start. */
  clusters?: readonly string[];
}

/**
 * A run-command job only reads: it answers a query or plans an operation (pre-checks, then a
 * card or a separate execution job). So it may be retried when the cluster does not answer;
 * executions have their own queue and are never blindly re-run (docs/architecture.md, "Errors and
 * retries").
 */
const RETRY = { attempts: 3, backoff: { type: 'exponential', delay: 1_000 } } as const;

export function createCommandQueue(deps: CommandQueueDeps): CommandQueue {
  // One queue per cluster, so that each cluster's workers take only its jobs.
  const queues = clusterQueues(QUEUE_COMMANDS, deps, 'command queue: redis error');
  const queueOf = (cluster: string | undefined) => queues.of(cluster);
  const timeoutMs = deps.enqueueTimeoutMs ?? 3_000;

  return {
    async enqueue(job) {
      const data = commandJobSchema.parse(job);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer from Redis within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([
          queueOf(data.cluster).add(JOB_RUN_COMMAND, data, {
            jobId: data.requestId,
            ...RETRY,
            removeOnComplete: { age: 24 * 3600, count: 1000 },
            removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
          }),
          timeout,
        ]);
      } catch (error) {
        deps.logger.error({ err: error, requestId: data.requestId }, 'could not queue a command');
        throw new UserError(
          'queue_unavailable',
          'The bot could not queue your command: its job queue (Redis) is not answering. Nothing was run.',
          {
            hint: 'Try again in a minute. If it keeps failing, ask an admin to check Redis (REDIS_URL) on the bot host.',
            cause: error,
          },
        );
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => queues.close(),
  };
}
