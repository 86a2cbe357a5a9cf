import { afterAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../src/audit/audit-log.js';
import { createOperationButtons } from '../../src/bot/listeners/operation-buttons.js';
import type { Failure } from '../../src/core/failure.js';
import type { OperationReporter } from '../../src/queue/operation-port.js';
import { createRedisConnection } from '../../src/queue/redis-connection.js';
import { createRequestStore } from '../../src/queue/request-store.js';
import { UserError } from '../../src/core/errors.js';
import { captureLogger } from '../support/capture-logger.js';
import { freePort } from '../support/free-port.js';
import { startRedis } from '../support/redis-server.js';
import { rebootRequest } from '../support/requests.js';

function recorder() {
  const told: Failure[] = [];
  const reporter: OperationReporter = {
    show: async () => null,
    thread: async () => undefined,
    announce: async () => undefined,
    tell: async (_to, failure) => void told.push(failure),
  };
  return { told, reporter };
}

/** A producer connection fails fast until it is connected. */
const ready = (redis: ReturnType<typeof createRedisConnection>) =>
  redis.status === 'ready' ? Promise.resolve() : new Promise<void>((r) => redis.once('ready', () => r()));

const CARD = { channel: 'C0OPS', ts: '1700000000.000200' };
const clickBody = (user: string) => ({
  user: { id: user },
  channel: { id: CARD.channel },
  container: { channel_id: CARD.channel, message_ts: CARD.ts },
  response_url: 'https://hooks.example/r',
});

describe('an approval click while Redis does not answer', () => {
  const connections: Array<{ disconnect(): void }> = [];
  afterAll(() => connections.forEach((c) => c.disconnect()));

  it('is acked and the clicker is told that nothing was decided', async () => {
    // A real client on a port where no Redis listens: every command fails at once, as in an outage.
    const redis = createRedisConnection(`redis://127.0.0.1:${await freePort()}`, 'producer');
    redis.on('error', () => undefined);
    connections.push(redis);
    const told: Failure[] = [];
    const reporter: OperationReporter = {
      show: async () => null,
      thread: async () => undefined,
      announce: async () => undefined,
      tell: async (_to, failure) => void told.push(failure),
    };
    const logger = captureLogger('silent').logger;
    const click = createOperationButtons({
      store: createRequestStore({ redis, prefix: 'down' }),
      queue: { execute: async () => undefined },
      reporter,
      policy: { admins: ['U0APPROVER'], operators: [], viewers: ['*'] },
      groups: { groupsOf: async () => [] },
      audit: createAuditLog({ redis, prefix: 'down', maxEntries: 100, logger }),
      logger,
    });
    let acked = false;
    await click({
      ack: async () => void (acked = true),
      body: { user: { id: 'U0APPROVER' }, channel: { id: 'C0OPS' }, response_url: 'https://hooks.example/r' },
      action: { action_id: 'op_approve', value: 'req-abc123-def45678' },
    });
    expect(acked).toBe(true);
    expect(told).toEqual([
      {
        code: 'unavailable',
        message:
          'The bot could not record your click: its job queue (Redis) is not answering. Nothing was decided.',
        hint: 'Click again in a minute; the card stays as it is.',
      },
    ]);
  });

  it('while Redis is frozen, is answered within Slack’s 3 s: the bot cannot tell whether the click counted', async () => {
    const frozen = await startRedis();
    const redis = createRedisConnection(frozen.url, 'producer');
    redis.on('error', () => undefined);
    connections.push(redis);
    await ready(redis);
    frozen.pause();
    try {
      const { told, reporter } = recorder();
      const logger = captureLogger('silent').logger;
      const click = createOperationButtons({
        store: createRequestStore({ redis, prefix: 'frozen' }),
        queue: { execute: async () => undefined },
        reporter,
        policy: { admins: ['U0APPROVER'], operators: [], viewers: ['*'] },
        groups: { groupsOf: async () => [] },
        audit: createAuditLog({ redis, prefix: 'frozen', maxEntries: 100, logger }),
        logger,
      });
      const started = Date.now();
      await click({
        ack: async () => undefined,
        body: clickBody('U0APPROVER'),
        action: { action_id: 'op_approve', value: 'req-abc123-def45678' },
      });
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(told.map((f) => f.message)).toEqual([
        'The bot’s job queue (Redis) did not answer in time, so the bot cannot tell whether your click counted.',
      ]);
    } finally {
      frozen.resume();
      await frozen.close();
    }
  });
});

describe('an approval whose queueing fails (Redis slow at that moment)', () => {
  it('stays approved, the approver hears it will run by itself, and a second approval is answered, not dropped', async () => {
    const server = await startRedis();
    const redis = createRedisConnection(server.url, 'producer');
    await ready(redis);
    try {
      const store = createRequestStore({ redis, prefix: 'slowq' });
      const requestId = 'req-slowq1-abcdef12';
      await store.create(rebootRequest(requestId, CARD.channel), 'pending');
      await store.setCard(requestId, CARD);
      const { told, reporter } = recorder();
      const logger = captureLogger('silent').logger;
      const click = createOperationButtons({
        store,
        queue: {
          execute: async () => {
            throw new UserError('queue_unavailable', 'The bot could not queue the operation.');
          },
        },
        reporter,
        policy: { admins: ['U0APPROVER', 'U0OTHER'], operators: [], viewers: ['*'] },
        groups: { groupsOf: async () => [] },
        audit: createAuditLog({ redis, prefix: 'slowq', maxEntries: 100, logger }),
        logger,
      });
      await click({
        ack: async () => undefined,
        body: clickBody('U0APPROVER'),
        action: { action_id: 'op_approve', value: requestId },
      });
      expect((await store.get(requestId))?.state).toBe('approved');
      expect(await store.approvedBefore(Date.now() + 1)).toContain(requestId); // the sweep will queue it
      expect(told[0]?.message).toMatch(
        /^Approved\. .*queues it by itself as soon as Redis answers, and it runs once\.$/,
      );
      await click({
        ack: async () => undefined,
        body: clickBody('U0OTHER'),
        action: { action_id: 'op_approve', value: requestId },
      });
      expect(told[1]?.message).toBe(
        'This request is already approved (by <@U0APPROVER>); it runs only once.',
      );
    } finally {
      redis.disconnect();
      await server.close();
    }
  });
});
