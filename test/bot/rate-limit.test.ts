import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it, inject } from 'vitest';
import { createRateLimiter } from '../../src/bot/rate-limit.js';
import { dropKeys } from '../support/drop-keys.js';
import { startHarness, type Harness } from '../integration/support/harness.js';

const redis = new Redis(inject('redisUrl'));
const prefix = `ratetest-${process.pid}`;
afterEach(() => dropKeys(prefix));
afterAll(() => redis.disconnect());

describe('the per-user command limit', () => {
  it('lets a user send the limit in a minute, refuses more with when to retry, and starts afresh next minute', async () => {
    let t = 120_000;
    const limiter = createRateLimiter({ redis, prefix, perMinute: 3, now: () => t });
    const taken = [];
    for (let i = 0; i < 4; i += 1) taken.push(await limiter.take('U0ALICE'));
    expect(taken.slice(0, 3)).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(taken[3]).toEqual({ ok: false, retryInSec: expect.any(Number) });
    expect(await limiter.take('U0BOB')).toEqual({ ok: true });
    t += 60_000;
    expect(await limiter.take('U0ALICE')).toEqual({ ok: true });
  });

  it('is shared by every bot process on the same Redis', async () => {
    const a = createRateLimiter({ redis, prefix, perMinute: 2, now: () => 0 });
    const b = createRateLimiter({ redis, prefix, perMinute: 2, now: () => 0 });
    expect(
      [await a.take('U0ALICE'), await b.take('U0ALICE'), await a.take('U0ALICE')].map((r) => r.ok),
    ).toEqual([true, true, false]);
  });
});

describe('the /ganeti listener with the limit', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('answers the command over the limit with a clear refusal and queues nothing for it', async () => {
    h = await startHarness({ env: { SLACK_COMMANDS_PER_MINUTE: '2' } });
    await h.command('nodes');
    await h.command('nodes');
    const third = await h.command('nodes');
    expect(third.status).toBe(200);
    const answer = await h.answer(third.responseUrl, { timeoutMs: 10_000 });
    expect(answer.body.response_type).toBe('ephemeral');
    expect(String(answer.body.text)).toContain(
      'You sent too many commands in the last minute; nothing was run.',
    );
  });
});
