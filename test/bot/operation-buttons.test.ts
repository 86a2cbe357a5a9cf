import { afterAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../src/audit/audit-log.js';
import { createOperationButtons } from '../../src/bot/listeners/operation-buttons.js';
import type { Failure } from '../../src/core/failure.js';
import type { OperationReporter } from '../../src/queue/operation-port.js';
import { createRedisConnection } from '../../src/queue/redis-connection.js';
import { createRequestStore } from '../../src/queue/request-store.js';
import { captureLogger } from '../support/capture-logger.js';
import { freePort } from '../support/free-port.js';

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
});
