import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createApprovalSweeper } from '../../src/queue/approval-sweeper.js';
import { JOB_EXECUTE, QUEUE_OPERATIONS } from '../../src/queue/names.js';
import { createOperationQueue, executionJobId } from '../../src/queue/operation-queue.js';
import { createRequestStore } from '../../src/queue/request-store.js';
import { captureLogger } from '../support/capture-logger.js';
import { rebootRequest } from '../support/requests.js';

const redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
const prefix = `test-sweep-${process.pid}`;
const { logger, text } = captureLogger('info');
const queue = createOperationQueue({ connection: redis, prefix, logger });
const raw = new Queue(QUEUE_OPERATIONS, { connection: redis, prefix });
afterAll(async () => {
  await queue.close();
  await raw.close();
  await redis.quit();
});
let t = 1_000_000;
const store = createRequestStore({ redis, prefix, now: () => t });
let seq = 0;

const request = () => {
  seq += 1;
  return rebootRequest(`req-sweep${seq}-${Date.now().toString(36)}`);
};

describe('approved requests whose queueing was lost (Redis slow at the click)', () => {
  it('are found by the sweep once the grace has passed, queued, and only while still approved', async () => {
    const lost = request();
    const started = request();
    await store.create(lost, 'pending');
    await store.create(started, 'pending');
    await store.transition(lost.requestId, ['pending'], 'approved', 'U0BOB');
    await store.transition(started.requestId, ['pending'], 'approved', 'U0BOB');
    await store.transition(started.requestId, ['approved'], 'running');
    const sweeper = createApprovalSweeper({ store, queue, logger, now: () => t, graceMs: 10_000 });

    expect(await sweeper.sweep()).toEqual([]); // just approved: the click is still queueing it
    t += 11_000;
    expect(await sweeper.sweep()).toEqual([lost.requestId]);
    expect(await (await raw.getJob(executionJobId(lost.requestId)))?.getState()).toBe('waiting');
    expect(await raw.getJob(executionJobId(started.requestId))).toBeUndefined();
    expect(text()).toContain('queued an approved request whose queueing was lost');
  });

  it('a second queueing replaces an execution that ended before the request was approved', async () => {
    // The first click's queueing landed late and ran while the request was still pending.
    const r = request();
    await raw.add(JOB_EXECUTE, { requestId: r.requestId }, { jobId: executionJobId(r.requestId) });
    const old = await raw.getJob(executionJobId(r.requestId));
    await old?.remove();
    await raw.add(
      JOB_EXECUTE,
      { requestId: r.requestId, steps: {}, message: null },
      { jobId: executionJobId(r.requestId) },
    );
    // Mark it completed the way a worker would have (moveToCompleted needs a lock; fake the state).
    await redis.zadd(`${prefix}:${QUEUE_OPERATIONS}:completed`, Date.now(), executionJobId(r.requestId));
    await redis.lrem(`${prefix}:${QUEUE_OPERATIONS}:wait`, 0, executionJobId(r.requestId));
    expect(await (await raw.getJob(executionJobId(r.requestId)))?.getState()).toBe('completed');

    await queue.execute(r.requestId);
    expect(await (await raw.getJob(executionJobId(r.requestId)))?.getState()).toBe('waiting');
  });
});
