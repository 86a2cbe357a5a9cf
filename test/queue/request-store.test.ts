import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { OperationRequest } from '../../src/queue/operation-types.js';
import { createRequestStore } from '../../src/queue/request-store.js';
import { shutdownRequest } from '../support/sample-request.js';

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.quit());
const store = createRequestStore({ redis, prefix: `test-store-${process.pid}`, now: () => 42 });
let seq = 0;

function request(): OperationRequest {
  seq += 1;
  return shutdownRequest(`req-store${seq}-${Date.now().toString(36)}`, 'inst1.example.org');
}

describe('the request store', () => {
  it('stores a request once: a second create with the same id changes nothing', async () => {
    const r = request();
    expect(await store.create(r, 'pending')).toBe(true);
    expect(await store.create({ ...r, text: 'something else' }, 'approved', 'U0EVE')).toBe(false);
    const got = await store.get(r.requestId);
    expect(got).toMatchObject({ state: 'pending', decidedBy: null, card: null });
    expect(got?.request.text).toBe('shutdown inst1');
  });

  it('lets exactly one of twenty racing approvals through', async () => {
    const r = request();
    await store.create(r, 'pending');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.transition(r.requestId, ['pending'], 'approved', `U0APPROVER${i}`),
      ),
    );
    expect(results.filter((t) => t.ok)).toHaveLength(1);
    expect(results.filter((t) => !t.ok).every((t) => !t.ok && t.state === 'approved')).toBe(true);
    const got = await store.get(r.requestId);
    expect(got?.decidedAt).toBe(42);
    expect(got?.decidedBy).toMatch(/^U0APPROVER\d+$/);
  });

  it('refuses a move from a state not listed, and says where the request is', async () => {
    const r = request();
    await store.create(r, 'pending');
    await store.transition(r.requestId, ['pending'], 'cancelled', 'U0ALICE');
    expect(await store.transition(r.requestId, ['pending'], 'approved', 'U0BOB')).toEqual({
      ok: false,
      state: 'cancelled',
    });
    expect(await store.transition('req-nosuch-1', ['pending'], 'approved')).toEqual({
      ok: false,
      state: null,
    });
  });

  it('refuses to store a plan whose names could not be Ganeti names', async () => {
    const r = request();
    const bad = {
      ...r,
      plan: {
        ...r.plan,
        steps: [{ key: 'x', label: 'x', action: { op: 'instance-shutdown' as const, instance: '--force' } }],
      },
    };
    await expect(store.create(bad, 'pending')).rejects.toThrowError(/not a valid Ganeti name/);
  });
});

describe('the count of requests waiting for an approver', () => {
  it('goes up with each pending request and down as each is decided, whichever way', async () => {
    const own = createRequestStore({ redis, prefix: `test-pending-${process.pid}-${Date.now()}` });
    const [a, b, c, d] = [request(), request(), request(), request()];
    await own.create(a, 'pending');
    await own.create(b, 'pending');
    await own.create(c, 'pending');
    await own.create(d, 'approved', 'U0BOB');
    expect(await own.pendingCount()).toBe(3);
    await own.transition(a.requestId, ['pending'], 'approved', 'U0BOB');
    await own.transition(b.requestId, ['pending'], 'denied', 'U0BOB');
    expect(await own.pendingCount()).toBe(1);
    // A transition that does not happen (already decided) leaves the count alone.
    await own.transition(a.requestId, ['pending'], 'cancelled');
    expect(await own.pendingCount()).toBe(1);
    await own.transition(c.requestId, ['pending'], 'expired');
    expect(await own.pendingCount()).toBe(0);
  });
});
