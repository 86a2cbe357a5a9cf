import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { tcpCheck } from '../../src/cluster/node-prober.js';
import { RedisMissingError, startPrivateRedis } from '../../src/demo/private-redis.js';

describe('the demo’s own Redis', () => {
  it('starts redis-server on a free loopback port, answers, and is gone after stop', async () => {
    const redis = await startPrivateRedis();
    expect(redis.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    await client.connect();
    expect(await client.ping()).toBe('PONG');
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
    client.disconnect();
    await redis.stop();
    expect(await tcpCheck('127.0.0.1', Number(new URL(redis.url).port), 2_000)).toBe('refused');
  });

  it('says how to install redis-server when there is none on PATH', async () => {
    const missing = startPrivateRedis({ command: 'redis-server-that-is-not-installed' });
    await expect(missing).rejects.toBeInstanceOf(RedisMissingError);
    await expect(missing).rejects.toThrow(/apt-get install redis-server.*REDIS_URL=/);
  });
});
