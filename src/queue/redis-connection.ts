import { Redis, type RedisOptions } from 'ioredis';

/**
 * Producers (the Slack side) must fail fast when Redis is down so the user hears about it;
 * workers must wait and reconnect forever (BullMQ requires maxRetriesPerRequest: null).
 */
export function createRedisConnection(
  url: string,
  role: 'producer' | 'worker',
  extra: RedisOptions = {},
): Redis {
  const common: RedisOptions = {
    connectTimeout: 5_000,
    // Reconnect quickly at first, then every 2 s: Redis restarts should heal within seconds.
    retryStrategy: (times) => Math.min(100 * times, 2_000),
    lazyConnect: false,
    ...extra,
  };
  return role === 'producer'
    ? // A stalled Redis (paused, overloaded) must not hold a Slack answer past its 3 s either.
      new Redis(url, { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2_000 })
    : new Redis(url, { ...common, maxRetriesPerRequest: null });
}
