import type { Redis } from 'ioredis';
import type { IncidentReporter } from '../../monitor/types.js';

/**
 * Who opened their App Home lately, in Redis (a sorted set by time): so that any process, bot or
 * worker, can publish their Home again when something it shows changes.
 */
export interface HomeViewers {
  seen(user: string, at: number): Promise<void>;
  /** Users who opened it since `since`, newest first, at most `limit`. */
  since(since: number, limit: number): Promise<string[]>;
}

/** How many people are remembered; older opens drop out. */
const KEPT = 500;

export function createHomeViewers(deps: { redis: Redis; prefix: string }): HomeViewers {
  const key = `${deps.prefix}:home:viewers`;
  return {
    async seen(user, at) {
      await deps.redis
        .multi()
        .zadd(key, at, user)
        .zremrangebyrank(key, 0, -KEPT - 1)
        .exec();
    },
    async since(since, limit) {
      return deps.redis.zrevrangebyscore(key, '+inf', since, 'LIMIT', 0, limit);
    },
  };
}

/** An incident reporter after whose posts and edits the Homes are published again. */
export function withHomes(reporter: IncidentReporter, changed: () => void): IncidentReporter {
  return {
    ...reporter,
    post: async (view) => {
      const where = await reporter.post(view);
      changed();
      return where;
    },
    update: async (view, ref) => {
      const ok = await reporter.update(view, ref);
      changed();
      return ok;
    },
  };
}
