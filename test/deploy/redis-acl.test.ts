/**
 * The Redis user docs/deploy.md asks for (deploy/redis-acl.conf) is enough for the bot and no more:
 * a real redis-server runs with exactly that line, and the whole bot (both roles, the health
 * monitor, rate limit and replay guard on) talks to it as that user, through BullMQ, the request
 * store's Lua scripts and the audit stream. Redis's own ACL LOG must show no refusal meanwhile;
 * the commands and keys the bot never needs must be refused.
 */
import { readFileSync } from 'node:fs';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisConnection } from '../../src/queue/redis-connection.js';
import { createRequestStore } from '../../src/queue/request-store.js';
import { cardRequestId, startHarness } from '../integration/support/harness.js';
import { fakeCluster } from '../support/fake-cluster.js';
import { aclUserLines, startAclRedis, type AclRedis } from './acl-redis.js';
import { shutdownRequest } from '../support/sample-request.js';

/** The bot's default key prefix (GANETI_CHATOPS_QUEUE_PREFIX), the one the ACL line names. */
const PREFIX = 'ganeti-chatops';

let redis: AclRedis;
let admin: Redis;
const opened: Redis[] = [];
/** A connection as the bot makes it (src/queue/redis-connection.ts), logged in as the bot's user. */
async function botConnection(role: 'producer' | 'worker'): Promise<Redis> {
  const c = createRedisConnection(redis.botUrl, role);
  c.on('error', () => undefined);
  opened.push(c);
  // A producer fails fast while it is not connected yet; the bot's is long connected when used.
  if (c.status !== 'ready') await new Promise((resolve) => c.once('ready', resolve));
  return c;
}

/**
 * What BullMQ asks before anything else: INFO (the server's version) and a Lua script under the
 * prefix. Checked first because a worker refused them does not fail: BullMQ's fetch loop retries
 * at once, without yielding, and the process spins (no timer fires, not even the test's timeout).
 */
async function expectBullmqBasics(): Promise<void> {
  const c = await botConnection('worker');
  expect(await c.info('server')).toMatch(/^redis_version:/m);
  expect(await c.eval("return redis.call('SET', KEYS[1], '1')", 1, `${PREFIX}:acl-probe`)).toBe('OK');
}

/** Redis's record of refused commands and keys (ACL LOG, which shows 10 unless asked for more). */
async function refusals(): Promise<string[]> {
  const entries = (await admin.call('ACL', 'LOG', '128')) as unknown[][];
  return entries.map((entry) => {
    const fields = new Map<string, unknown>();
    for (let i = 0; i + 1 < entry.length; i += 2) fields.set(String(entry[i]), entry[i + 1]);
    return `${String(fields.get('username'))}: ${String(fields.get('reason'))} ${String(fields.get('object'))}`;
  });
}

beforeAll(async () => {
  redis = await startAclRedis('acl-test-password');
  admin = new Redis(redis.adminUrl);
});
afterAll(async () => {
  for (const c of opened) c.disconnect();
  admin?.disconnect();
  await redis?.close();
});

describe('the Redis user of deploy/redis-acl.conf', () => {
  it('is the one line docs/deploy.md shows, and it is the user the bot logs in as', async () => {
    const lines = aclUserLines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^user ganeti-chatops on >CHANGE-ME ~ganeti-chatops:\* /);
    expect(readFileSync('docs/deploy.md', 'utf8')).toContain(lines[0]);
    expect(await (await botConnection('producer')).call('ACL', 'WHOAMI')).toBe('ganeti-chatops');
  });

  it('runs a BullMQ queue and worker round trip, a delayed job and a job scheduler under the bot prefix', async () => {
    await admin.call('ACL', 'LOG', 'RESET');
    await expectBullmqBasics();
    const queue = new Queue('acl-roundtrip', { connection: await botConnection('producer'), prefix: PREFIX });
    const seen: string[] = [];
    const worker = new Worker(
      'acl-roundtrip',
      async (job) => {
        seen.push(job.name);
        return { doubled: (job.data as { n: number }).n * 2 };
      },
      { connection: await botConnection('worker'), prefix: PREFIX, stalledInterval: 1_000 },
    );
    try {
      const done = new Promise<unknown>((resolve, reject) => {
        worker.on('completed', (job, result) => {
          if (job.name === 'now') resolve(result);
        });
        worker.on('failed', (_job, error) => reject(error));
        worker.on('error', reject);
      });
      await queue.add('later', { n: 1 }, { delay: 200, removeOnComplete: true });
      await queue.upsertJobScheduler(
        'acl-every-hour',
        { every: 3_600_000 },
        { name: 'scheduled', data: { n: 3 } },
      );
      await queue.add('now', { n: 21 });
      expect(await done).toEqual({ doubled: 42 });
      await expect.poll(() => seen.includes('later'), { timeout: 5_000 }).toBe(true);
      expect(await queue.getJobCounts('waiting', 'active', 'failed')).toEqual({
        waiting: 0,
        active: 0,
        failed: 0,
      });
      await queue.removeJobScheduler('acl-every-hour');
      await queue.obliterate({ force: true });
    } finally {
      await worker.close();
      await queue.close();
    }
    expect(await refusals()).toEqual([]);
  });

  it('keeps requests in the request store (its Lua scripts included)', async () => {
    await admin.call('ACL', 'LOG', 'RESET');
    const store = createRequestStore({ redis: await botConnection('producer'), prefix: PREFIX });
    const request = shutdownRequest(`req-acl-${Date.now().toString(36)}`, 'inst1', {
      createdAt: Date.now(),
      expiresAt: Date.now() + 60_000,
    });
    expect(await store.create(request, 'pending')).toBe(true);
    expect((await store.transition(request.requestId, ['pending'], 'approved', 'U0BOB')).ok).toBe(true);
    expect(await store.get(request.requestId)).toMatchObject({ state: 'approved', decidedBy: 'U0BOB' });
    expect(await store.approvedBefore(Date.now() + 1_000)).toContain(request.requestId);
    expect(await refusals()).toEqual([]);
  });

  it('lets the whole bot answer a read and run an approved operation, with no command or key refused', async () => {
    await admin.call('ACL', 'LOG', 'RESET');
    const cluster = fakeCluster();
    await expectBullmqBasics();
    const h = await startHarness({
      clusterOverride: cluster,
      redisUrl: redis.botUrl,
      env: {
        GANETI_CHATOPS_QUEUE_PREFIX: PREFIX,
        SLACK_COMMANDS_PER_MINUTE: '30',
        ALERT_CHANNEL: 'C0ALERTS',
        MONITOR_POLL_SECONDS: '1',
      },
    });
    try {
      const read = await h.command('nodes');
      expect(read.status).toBe(200);
      expect((await h.answer(read.responseUrl)).body.text).toBe('3 nodes: 3 ok');

      await h.command('drain node2');
      const card = await h.slack.waitFor(
        (c) => c.method === 'chat.postMessage' && JSON.stringify(c.body.blocks ?? '').includes('op_approve'),
        { timeoutMs: 10_000 },
      );
      expect((await h.click('op_approve', card)).status).toBe(200);
      const outcome = await h.slack.waitFor(
        (c) => c.method === 'chat.postMessage' && c.body.reply_broadcast === 'true',
        { timeoutMs: 20_000 },
      );
      expect(String(outcome.body.text)).toMatch(/^✅ /);
      expect(cluster.submitted).toHaveLength(1);
      const requestKey = `${PREFIX}:request:${cardRequestId(card)}`;
      await expect.poll(() => admin.hget(requestKey, 'state'), { timeout: 5_000 }).toBe('done');
      // The monitor took its poller lease (under the prefix too).
      await expect.poll(() => admin.exists(`${PREFIX}:monitor:ganeti:lease`), { timeout: 5_000 }).toBe(1);
    } finally {
      await h.stop();
    }
    expect(h.logs.text()).not.toMatch(/NOPERM/);
    expect(await refusals()).toEqual([]);
  });

  it('refuses what the bot never needs: other keys, FLUSHALL, KEYS, CONFIG, CLIENT, pub/sub, ACL', async () => {
    await admin.call('ACL', 'LOG', 'RESET');
    const bot = new Redis(redis.botUrl, { maxRetriesPerRequest: 0 });
    opened.push(bot);
    // What each attempt is, and what Redis's ACL LOG records for it (`reason object`).
    const attempts: Array<[string, () => Promise<unknown>]> = [
      ['key other-app:key', () => bot.set('other-app:key', '1')],
      ['key other-app:read', () => bot.get('other-app:read')],
      ['key other-app:lua', () => bot.eval("return redis.call('SET', KEYS[1], '1')", 1, 'other-app:lua')],
      ['command flushall', () => bot.flushall()],
      ['command flushdb', () => bot.flushdb()],
      ['command keys', () => bot.keys('*')],
      ['command config|get', () => bot.config('GET', 'requirepass')],
      ['command client|list', () => bot.client('LIST')],
      ['command client|kill', () => bot.call('CLIENT', 'KILL', 'ID', '1')],
      ['command save', () => bot.call('SAVE')],
      ['command acl|list', () => bot.call('ACL', 'LIST')],
      ['command publish', () => bot.publish(`${PREFIX}:events`, 'x')],
      ['command subscribe', () => bot.call('SUBSCRIBE', `${PREFIX}:events`)],
      ['command replicaof', () => bot.call('REPLICAOF', 'NO', 'ONE')],
    ];
    for (const [what, attempt] of attempts) await expect(attempt(), what).rejects.toThrow(/NOPERM/);
    expect(await bot.set(`${PREFIX}:acl-probe`, '1')).toBe('OK');
    expect((await refusals()).sort()).toEqual(attempts.map(([what]) => `ganeti-chatops: ${what}`).sort());
  });
});
