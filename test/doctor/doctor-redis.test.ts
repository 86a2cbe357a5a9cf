import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskRedisUrl } from '../../src/doctor/checks-redis.js';
import { startFakeSlack, type FakeSlack } from '../../src/demo/slack/fake-slack.js';
import { freePort } from '../support/free-port.js';
import { startPasswordRedis } from '../support/password-redis.js';
import { startRedis } from '../support/redis-server.js';
import { botEnv, doctor, notPassing } from './doctor-harness.js';

describe('doctor: Redis', () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack({ socketUrl: 'ws://127.0.0.1:9/never-opened' });
  });
  afterAll(async () => {
    await fake.close();
  });
  const check = (redisUrl: string) => doctor(botEnv(fake.apiUrl, redisUrl), { roles: ['bot'] });

  it('fails a Redis that does not listen: connection refused', async () => {
    const port = await freePort();
    const run = await check(`redis://127.0.0.1:${port}`);
    expect(run.ok).toBe(false);
    expect(notPassing(run)).toEqual([
      `FAIL  redis redis://127.0.0.1:${port}  connection refused; start Redis (systemctl start redis-server) or fix the host and port in REDIS_URL`,
    ]);
  });

  describe('with a password', () => {
    const password = 'doctor-redis-pw-4f1c';
    let redis: Awaited<ReturnType<typeof startPasswordRedis>>;
    beforeAll(async () => {
      redis = await startPasswordRedis(password);
    });
    afterAll(async () => {
      await redis.close();
    });

    it('fails a wrong password in REDIS_URL, and masks it', async () => {
      const run = await check(redis.url('not-the-password'));
      expect(run.ok).toBe(false);
      expect(notPassing(run)).toEqual([
        `FAIL  redis redis://:***@127.0.0.1:${redis.port}  the password (or user) in REDIS_URL was refused (WRONGPASS); put the password of requirepass (or of the ACL user) in REDIS_URL: redis://:PASSWORD@HOST:PORT, URL-encoded`,
      ]);
    });

    it('fails a REDIS_URL without the password Redis wants', async () => {
      const run = await check(`redis://127.0.0.1:${redis.port}`);
      expect(run.line('redis redis://')).toBe(
        `FAIL  redis redis://127.0.0.1:${redis.port}  Redis wants a password and REDIS_URL gives none (NOAUTH); put it in REDIS_URL: redis://:PASSWORD@HOST:PORT (URL-encoded)`,
      );
      expect(run.ok).toBe(false);
    });

    it('passes the right password (and this Redis has no AOF: that fails)', async () => {
      const run = await check(redis.url());
      expect(run.status('redis redis://:***@')).toBe('PASS');
      expect(run.status('redis persistence')).toBe('FAIL');
      expect(run.text).not.toContain(password);
    });
  });

  it('fails a Redis without AOF, naming appendonly yes and appendfsync always', async () => {
    const redis = await startRedis({ appendonly: false });
    try {
      const run = await check(redis.url);
      expect(run.ok).toBe(false);
      expect(notPassing(run)).toEqual([
        'FAIL  redis persistence  AOF is off (aof_enabled:0): after a crash Redis comes back with old or no state, and pending requests, approvals and cards are lost; set appendonly yes and appendfsync always in redis.conf and restart Redis (docs/reliability.md)',
      ]);
    } finally {
      await redis.close();
    }
  });

  it('warns of AOF synced every second only, and of nothing else; fails an evicting Redis', async () => {
    const redis = await startRedis({ appendonly: true });
    const admin = new Redis(redis.url);
    try {
      await admin.config('SET', 'appendfsync', 'everysec');
      const everysec = await check(redis.url);
      expect(notPassing(everysec)).toEqual([
        'WARN  redis persistence  AOF is on with appendfsync everysec: a crash can lose the last writes (an approval may revert to pending); set appendfsync always (docs/reliability.md)',
      ]);
      expect(everysec.ok).toBe(true);

      await admin.config('SET', 'appendfsync', 'always');
      await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
      const evicting = await check(redis.url);
      expect(notPassing(evicting)).toEqual([
        'FAIL  redis eviction  maxmemory-policy allkeys-lru: Redis may drop queued jobs and requests when it is full; set maxmemory-policy noeviction (BullMQ needs it)',
      ]);
      expect(evicting.ok).toBe(false);
    } finally {
      admin.disconnect();
      await redis.close();
    }
  });

  it('masks the password of REDIS_URL wherever it names it', () => {
    expect(maskRedisUrl('redis://:s3cret@127.0.0.1:6379/2')).toBe('redis://:***@127.0.0.1:6379/2');
    expect(maskRedisUrl('rediss://bot:s3cret@redis.example.org:6380?family=6')).toBe(
      'rediss://bot:***@redis.example.org:6380',
    );
    expect(maskRedisUrl('redis://127.0.0.1')).toBe('redis://127.0.0.1');
  });
});
