import type { Redis } from 'ioredis';

/** Per-user limit on slash commands, shared by every bot process through Redis. */
export interface RateLimiter {
  /** Counts one command; `retryInSec` when the user is over the limit. */
  take(userId: string): Promise<{ ok: true } | { ok: false; retryInSec: number }>;
}

// KEYS[1] the user's counter for this window. ARGV: window seconds.
const TAKE = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], tonumber(ARGV[1])) end
return {n, redis.call('TTL', KEYS[1])}
`;

/**
 * A fixed window per user (`perMinute` commands a minute). When Redis does not answer the
 * command is let through: queueing it fails right after and the user is told that instead.
 */
export function createRateLimiter(deps: {
  redis: Redis;
  prefix: string;
  perMinute: number;
  now?: () => number;
}): RateLimiter {
  const now = deps.now ?? Date.now;
  return {
    async take(userId) {
      if (deps.perMinute <= 0) return { ok: true };
      const window = Math.floor(now() / 60_000);
      try {
        const [count, ttl] = (await deps.redis.eval(
          TAKE,
          1,
          `${deps.prefix}:rate:${userId}:${window}`,
          '60',
        )) as [number, number];
        return count <= deps.perMinute ? { ok: true } : { ok: false, retryInSec: Math.max(1, ttl) };
      } catch {
        return { ok: true };
      }
    },
  };
}
