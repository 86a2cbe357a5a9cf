import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { queueName } from './names.js';

/** One BullMQ queue per cluster for jobs of one kind (`commands`, `operations`), made when first used. */
export function clusterQueues(
  base: string,
  deps: {
    connection: Redis;
    prefix: string;
    logger: Logger;
    defaultCluster?: string | undefined;
    /** Every cluster served: their queues are made at once too. */
    clusters?: readonly string[] | undefined;
  },
  /** What the log says when Redis fails under a queue (docs/troubleshooting.md quotes it). */
  redisError: string,
) {
  const queues = new Map<string, Queue>();
  const of = (cluster: string | undefined): Queue => {
    const name = queueName(base, cluster, deps.defaultCluster);
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: deps.connection, prefix: deps.prefix });
      queue.on('error', (error) => deps.logger.warn({ err: error, queue: name }, redisError));
      queues.set(name, queue);
    }
    return queue;
  };
  // Every queue at once, at start: a queue made while a click waits for Redis first loads
  // BullMQ's scripts, and the click's own Redis calls then missed their 2 s (seen in the node-loss
  // benchmark).
  of(deps.defaultCluster);
  for (const cluster of deps.clusters ?? []) of(cluster);
  return { of, close: async () => void (await Promise.all([...queues.values()].map((q) => q.close()))) };
}
