import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { GanetiAction } from '../../src/cluster/actions.js';
import type { GanetiClient } from '../../src/cluster/ganeti-client.js';
import type { JobInfo, JobStatus } from '../../src/cluster/types.js';
import type { OperationPlan } from '../../src/commands/operation-plan.js';
import { ClusterUnavailableError, GanetiCommandError } from '../../src/core/errors.js';
import type { OperationReporter } from '../../src/queue/operation-port.js';
import {
  ExecutionTakenError,
  runOperation,
  type ExecutionData,
  type Holding,
  type RunnerDeps,
} from '../../src/queue/operation-runner.js';
import { newStepState, type OperationRequest, type StepState } from '../../src/queue/operation-types.js';
import { createRequestStore, type RequestStore } from '../../src/queue/request-store.js';
import { captureLogger } from '../support/capture-logger.js';

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.quit());

let store: RequestStore;
let seq = 0;
let requestId: string;

const failover = (i: number): OperationPlan['steps'][number] => ({
  key: `inst${i}.example.org`,
  label: `inst${i}: node1 → node2`,
  action: { op: 'instance-failover', instance: `inst${i}.example.org`, target: 'node2.example.org' },
});

function request(steps = [failover(1)]): OperationRequest {
  return {
    requestId,
    command: 'failover',
    text: 'failover inst1',
    risk: 'destructive',
    userId: 'U0ALICE',
    channelId: 'C0OPS',
    responseUrl: null,
    plan: { title: 'Fail over inst1', summary: 'inst1: node1 → node2', checks: [], warnings: [], steps },
    createdAt: 1,
    expiresAt: null,
    approval: 'two-person',
  };
}

const finished = (id: number, status: JobStatus, log: string[] = []): JobInfo => ({
  id,
  status,
  receivedAt: null,
  startedAt: null,
  endedAt: null,
  totalSeconds: 1,
  opcodes: [
    {
      opcode: 'OP_INSTANCE_FAILOVER',
      status,
      error: status === 'error' ? { kind: 'OpPrereqError', message: 'no room' } : null,
    },
  ],
  log: log.map((message) => ({ time: '2026-11-24 03:00:00.000000', message })),
  reasons: [],
});

/**
 * A cluster that records what it was asked, with a job queue of its own: a submitted job carries
 * its reason, and findJobs finds it by its token like Ganeti's. `found` are jobs already queued
 * for any token (a Redis that forgot them); `jobs` says what each job id reports.
 */
function fakeCluster(options: {
  submit?: (action: GanetiAction, reason: string, queue: (reason: string) => number) => Promise<number>;
  found?: number[];
  jobs?: Record<number, JobInfo>;
}) {
  const calls = { submit: [] as string[], findJobs: [] as string[], job: [] as number[] };
  const queued: Array<{ id: number; reason: string }> = [];
  let next = 100;
  const queue = (reason: string) => {
    const id = next++;
    queued.push({ id, reason });
    return id;
  };
  const cluster: Partial<GanetiClient> = {
    submit: async (action, reason) => {
      calls.submit.push(reason);
      return options.submit ? options.submit(action, reason, queue) : queue(reason);
    },
    findJobs: async (token) => {
      calls.findJobs.push(token);
      return [
        ...(options.found ?? []).map((id) => ({ id, status: 'success' as const })),
        ...queued
          .filter((j) => j.reason.includes(token))
          .map((j) => ({ id: j.id, status: 'success' as const })),
      ];
    },
    job: async (id) => {
      calls.job.push(id);
      return options.jobs?.[id] ?? finished(id, 'success', ['* done']);
    },
  };
  return { cluster: cluster as GanetiClient, calls };
}

function recordingReporter() {
  const shown: string[] = [];
  const threads: string[][] = [];
  const reporter: OperationReporter = {
    show: async (view, ref) => {
      shown.push(`${view.state}:${view.outcome ?? '-'}`);
      return ref ?? { channel: 'C0OPS', ts: '1.000001' };
    },
    thread: async (_ref, lines) => void threads.push(lines),
    announce: async (view) => void shown.push(`announce:${view.outcome}`),
    tell: async () => undefined,
  };
  return { reporter, shown, threads };
}

async function run(
  data: ExecutionData,
  cluster: GanetiClient,
  reporter: OperationReporter,
  maxParallel = 3,
  extra: Partial<RunnerDeps> & { save?: () => Holding } = {},
) {
  const saves: Array<Record<string, StepState>> = [];
  let t = 1_000_000;
  const { save, ...more } = extra;
  const view = await runOperation(
    data,
    async (d) => {
      saves.push(structuredClone(d.steps));
      return save?.();
    },
    {
      cluster,
      store,
      reporter,
      logger: captureLogger('silent').logger,
      now: () => t,
      sleep: async (ms) => {
        t += ms;
      },
      maxParallel,
      viewIntervalMs: 0,
      ...more,
    },
  );
  return { view, saves };
}

beforeEach(() => {
  seq += 1;
  requestId = `req-runner${seq}-${Date.now().toString(36)}`;
  store = createRequestStore({ redis, prefix: `test-runner-${process.pid}` });
});

describe('runOperation: each step exactly once, even across crashes', () => {
  it('saves "submitting" before it submits, then the job id, then the outcome', async () => {
    await store.create(request(), 'approved', 'U0ALICE');
    const { cluster, calls } = fakeCluster({});
    const { reporter, shown, threads } = recordingReporter();
    const { view, saves } = await run({ requestId, steps: {}, message: null }, cluster, reporter);
    const key = 'inst1.example.org';
    expect(saves.map((s) => s[key]?.status).filter((st, i, all) => st !== all[i - 1])).toEqual([
      'pending',
      'submitting',
      'submitted',
      'success',
    ]);
    expect(calls.submit).toEqual([
      `ganeti-chatops req=${requestId} step=${key} by=U0ALICE approved-by=U0ALICE`,
    ]);
    expect(view?.outcome).toBe('success');
    expect(threads).toEqual([['* done']]);
    expect(shown.at(-1)).toBe('announce:success');
    expect((await store.get(requestId))?.state).toBe('done');
  });

  it('resumes a submitted step by following its stored job, never submitting again', async () => {
    await store.create(request(), 'running', 'U0ALICE');
    const { cluster, calls } = fakeCluster({ jobs: { 42: finished(42, 'success') } });
    const steps = { 'inst1.example.org': { ...newStepState(), status: 'submitted' as const, jobId: 42 } };
    const { view } = await run(
      { requestId, steps, message: { channel: 'C0OPS', ts: '1.1' } },
      cluster,
      recordingReporter().reporter,
    );
    expect(calls.submit).toEqual([]);
    expect(calls.job).toEqual([42]);
    expect(view?.steps[0]?.status).toBe('success');
  });

  it('finds the job of a submit interrupted by a crash through its reason, and follows it', async () => {
    await store.create(request(), 'running', 'U0ALICE');
    const { cluster, calls } = fakeCluster({ found: [77] });
    const steps = {
      'inst1.example.org': { ...newStepState(), status: 'submitting' as const, submittingAt: 999_000 },
    };
    const { view } = await run({ requestId, steps, message: null }, cluster, recordingReporter().reporter);
    expect(calls.submit).toEqual([]);
    expect(calls.findJobs).toEqual([`req=${requestId} step=inst1.example.org `]);
    expect(view?.steps[0]).toMatchObject({ status: 'success', jobId: 77 });
  });

  it('submits an interrupted step again when, looked up twice, no Ganeti job carries it', async () => {
    await store.create(request(), 'running', 'U0ALICE');
    const { cluster, calls } = fakeCluster({});
    const steps = {
      'inst1.example.org': { ...newStepState(), status: 'submitting' as const, submittingAt: 999_000 },
    };
    const { view } = await run({ requestId, steps, message: null }, cluster, recordingReporter().reporter);
    expect(calls.findJobs).toHaveLength(2);
    expect(calls.submit).toHaveLength(1);
    expect(view?.steps[0]).toMatchObject({ status: 'success', jobId: 100 });
  });

  it('does nothing more and says so when an interrupted submit is too old to be sure Ganeti kept its job', async () => {
    await store.create(request(), 'running', 'U0ALICE');
    const { cluster, calls } = fakeCluster({});
    const steps = {
      'inst1.example.org': { ...newStepState(), status: 'submitting' as const, submittingAt: 1 },
    };
    const { view } = await run(
      { requestId, steps, message: null },
      cluster,
      recordingReporter().reporter,
      3,
      {
        resubmitWithinMs: 60_000,
      },
    );
    expect(calls.submit).toEqual([]);
    expect(view?.outcome).toBe('unknown');
    expect(view?.steps[0]?.error).toMatch(/cannot tell what happened: no Ganeti job carries this request/);
  });

  it('looks the job up by its reason when the connection drops during the submit', async () => {
    await store.create(request(), 'approved', 'U0ALICE');
    const { cluster, calls } = fakeCluster({
      // Ganeti queued it, but the answer never came back.
      submit: async (_action, reason, queue) => {
        queue(reason);
        throw new ClusterUnavailableError('Lost the SSH connection');
      },
    });
    const { view } = await run(
      { requestId, steps: {}, message: null },
      cluster,
      recordingReporter().reporter,
    );
    expect(calls.submit).toHaveLength(1);
    expect(view?.steps[0]).toMatchObject({ status: 'success', jobId: 100 });
  });

  it('says "unknown" and submits nothing when several Ganeti jobs carry one step', async () => {
    await store.create(request(), 'approved', 'U0ALICE');
    const { cluster, calls } = fakeCluster({ found: [7, 8] });
    const { view } = await run(
      { requestId, steps: {}, message: null },
      cluster,
      recordingReporter().reporter,
    );
    expect(calls.submit).toEqual([]);
    expect(view?.steps[0]?.status).toBe('unknown');
    expect(view?.steps[0]?.error).toMatch(/several Ganeti jobs carry this request \(7, 8\)/);
  });

  it("follows the job already in Ganeti's queue when Redis forgot a step was submitted", async () => {
    // A Redis restored from an older snapshot: the request is back to approved, its steps pending.
    await store.create(request(), 'approved', 'U0ALICE');
    const { cluster, calls } = fakeCluster({ found: [31] });
    const { view } = await run(
      { requestId, steps: {}, message: null },
      cluster,
      recordingReporter().reporter,
    );
    expect(calls.submit).toEqual([]);
    expect(view?.steps[0]).toMatchObject({ status: 'success', jobId: 31 });
  });

  it('a worker that lost the execution to another submits nothing and posts nothing', async () => {
    await store.create(request([failover(1), failover(2)]), 'approved', 'U0ALICE');
    const { cluster, calls } = fakeCluster({});
    const { reporter, shown } = recordingReporter();
    await expect(
      run({ requestId, steps: {}, message: null }, cluster, reporter, 1, { holds: async () => 'taken' }),
    ).rejects.toBeInstanceOf(ExecutionTakenError);
    expect(calls.submit).toEqual([]);
    expect(shown.filter((s) => s.startsWith('announce'))).toEqual([]);
  });

  it('stops at the first save that finds the lock gone to another worker', async () => {
    await store.create(request([failover(1), failover(2)]), 'approved', 'U0ALICE');
    const { cluster, calls } = fakeCluster({});
    let saves = 0;
    await expect(
      run({ requestId, steps: {}, message: null }, cluster, recordingReporter().reporter, 1, {
        // The card and step 1's `submitting` are saved; then the lock is someone else's.
        save: () => ((saves += 1) > 2 ? 'taken' : 'held'),
      }),
    ).rejects.toBeInstanceOf(ExecutionTakenError);
    expect(calls.submit.join()).not.toContain('inst2');
  });

  it('when Redis lost the execution, follows what was submitted, submits nothing more and says so', async () => {
    await store.create(request([failover(1), failover(2)]), 'approved', 'U0ALICE');
    const { cluster, calls } = fakeCluster({});
    let asked = 0;
    const { reporter, shown } = recordingReporter();
    const { view } = await run({ requestId, steps: {}, message: null }, cluster, reporter, 1, {
      holds: async () => ((asked += 1) > 1 ? 'gone' : 'held'),
    });
    expect(calls.submit).toHaveLength(1);
    expect(view?.steps.map((s) => s.status)).toEqual(['success', 'refused']);
    expect(view?.steps[1]?.error).toMatch(
      /^not run: the bot's job queue \(Redis\) lost this operation's record/,
    );
    expect(shown.at(-1)).toBe('announce:partial');
  });

  it('posts the outcome once: a worker resuming after the announcement only closes the request', async () => {
    await store.create(request(), 'running', 'U0ALICE');
    const { cluster } = fakeCluster({});
    const { reporter, shown } = recordingReporter();
    const steps = { 'inst1.example.org': { ...newStepState(), status: 'success' as const, jobId: 9 } };
    await run(
      { requestId, steps, message: { channel: 'C0OPS', ts: '1.1' }, announced: true },
      cluster,
      reporter,
    );
    expect(shown.filter((s) => s.startsWith('announce'))).toEqual([]);
    expect((await store.get(requestId))?.state).toBe('done');
  });

  it('reaches the crash points in order: start, submitting saved, submitted, following, outcome', async () => {
    await store.create(request(), 'approved', 'U0ALICE');
    const { cluster } = fakeCluster({});
    const reached: string[] = [];
    await run({ requestId, steps: {}, message: null }, cluster, recordingReporter().reporter, 3, {
      failpoint: (name) => void reached.push(name),
    });
    expect(reached).toEqual([
      'before-start',
      'after-submitting-saved',
      'after-submit',
      'while-following',
      'before-outcome',
    ]);
  });

  it("records Ganeti's refusal as refused, with its words", async () => {
    await store.create(request(), 'approved', 'U0ALICE');
    const { cluster } = fakeCluster({
      submit: async () => {
        throw new GanetiCommandError("`gnt-instance failover` failed: Can't find any good node", 1);
      },
    });
    const { view } = await run(
      { requestId, steps: {}, message: null },
      cluster,
      recordingReporter().reporter,
    );
    expect(view?.outcome).toBe('failed');
    expect(view?.steps[0]).toMatchObject({
      status: 'refused',
      error: "`gnt-instance failover` failed: Can't find any good node",
    });
  });

  it.each(['pending', 'cancelled', 'expired', 'done'] as const)(
    'does nothing for a request that is %s',
    async (state) => {
      await store.create(request(), state);
      const { cluster, calls } = fakeCluster({});
      const { view } = await run(
        { requestId, steps: {}, message: null },
        cluster,
        recordingReporter().reporter,
      );
      expect(view).toBeNull();
      expect(calls.submit).toEqual([]);
    },
  );

  it('keeps at most maxParallel Ganeti jobs running, and sums up what moved and what failed', async () => {
    const steps = [1, 2, 3, 4, 5].map(failover);
    await store.create(request(steps), 'approved', 'U0ALICE');
    let running = 0;
    let peak = 0;
    const { cluster } = fakeCluster({ jobs: { 103: finished(103, 'error') } });
    const inner = cluster.job.bind(cluster);
    cluster.job = async (id) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 10));
      running -= 1;
      return inner(id);
    };
    const { view } = await run(
      { requestId, steps: {}, message: null },
      cluster,
      recordingReporter().reporter,
      2,
    );
    expect(peak).toBe(2);
    expect(view?.outcome).toBe('partial');
    expect(view?.steps.map((s) => s.status)).toEqual(['success', 'success', 'success', 'error', 'success']);
    expect(view?.steps[3]?.error).toBe('OpPrereqError: no room');
  });
});
