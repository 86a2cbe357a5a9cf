import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_OPERATIONS } from '../../src/queue/names.js';
import { executionJobId } from '../../src/queue/operation-queue.js';
import { instancePlacement, jobsForRequest, NO_CLUSTER_NOTE, testCluster } from './support/cluster-env.js';
import { cardRequestId, startHarness, type Harness } from './support/harness.js';
import { startWorkerProcess, type WorkerProcess } from './support/worker-process.js';

const cluster = testCluster();
if (!cluster) console.warn(NO_CLUSTER_NOTE);

describe.runIf(cluster)('a worker killed (SIGKILL) right after submitting a failover', () => {
  let h: Harness;
  let workerEnv: Record<string, string>;
  const workers: WorkerProcess[] = [];
  let redis: Redis;
  let queue: Queue;

  beforeAll(async () => {
    h = await startHarness({ cluster: cluster ?? undefined, botOnly: true });
    workerEnv = {
      ...h.env,
      // Fast stalled-job recovery, the same on every worker (NOTES.md).
      WORKER_STALLED_INTERVAL_MS: '2000',
      WORKER_LOCK_DURATION_MS: '3000',
      LOG_LEVEL: 'info',
    };
    redis = new Redis(h.env.REDIS_URL ?? '', { maxRetriesPerRequest: null });
    queue = new Queue(QUEUE_OPERATIONS, {
      connection: redis,
      prefix: h.env.GANETI_CHATOPS_QUEUE_PREFIX ?? '',
    });
  });
  afterAll(async () => {
    for (const w of workers) await w.kill('SIGTERM');
    await queue?.close();
    redis?.disconnect();
    await h?.stop();
  });

  async function waitFor<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== null) return value;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}\n${workers.map((w) => w.output()).join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function failoverWithCrash(target: string): Promise<string> {
    await h.command(`failover inst2 --to ${target}`);
    const card = await h.slack.waitFor(
      (c) => c.method === 'chat.postMessage' && JSON.stringify(c.body.blocks ?? '').includes('op_approve'),
      {
        timeoutMs: 60_000,
      },
    );
    const requestId = cardRequestId(card);
    await h.click('op_approve', card);
    const first = workers.at(-1);
    // The moment the Ganeti job id is stored in the BullMQ job: kill the worker.
    const jobId = await waitFor('the submitted job id', async () => {
      const job = await queue.getJob(executionJobId(requestId));
      const step = (
        job?.data as { steps?: Record<string, { status: string; jobId: number | null }> } | undefined
      )?.steps?.['inst2.ganeti.test'];
      return step?.status === 'submitted' ? step.jobId : null;
    });
    await first?.kill('SIGKILL');
    expect(jobId).toBeGreaterThan(0);
    workers.push(startWorkerProcess(workerEnv));
    return requestId;
  }

  it('resumes after restart: exactly one Ganeti failover job for the request, and the outcome is posted', async () => {
    workers.push(startWorkerProcess(workerEnv));
    const home = instancePlacement(cluster!).inst2?.node ?? 'node2';
    const away = home === 'node3' ? 'node2' : 'node3';
    const requestId = await failoverWithCrash(away);
    const done = await h.slack.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.reply_broadcast === 'true',
      { timeoutMs: 90_000 },
    );
    expect(done.body.text).toMatch(/^✅ Fail over inst2\.ganeti\.test: done/);
    expect(jobsForRequest(cluster!, requestId)).toEqual([
      expect.stringMatching(/^\d+\|success\|INSTANCE_FAILOVER\(inst2\.ganeti\.test\)$/),
    ]);
    expect(instancePlacement(cluster!).inst2?.node).toBe(away);
    // The restarted worker says it resumed, and finished (its log line may trail the Slack post).
    const log = await waitFor('the restarted worker to log', async () =>
      /"msg":"operation finished"/.test(workers.at(-1)?.output() ?? '')
        ? (workers.at(-1)?.output() ?? '')
        : null,
    );
    expect(log).toMatch(/"msg":"resuming an execution that was interrupted"/);
    expect(log).not.toMatch(/"msg":"submit interrupted/);

    // Put the cluster back, through the restarted worker.
    const back = await failoverWithCrash(home);
    const again = await h.slack.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.reply_broadcast === 'true',
      { timeoutMs: 90_000 },
    );
    expect(again.body.text).toMatch(/^✅ Fail over inst2\.ganeti\.test: done/);
    expect(jobsForRequest(cluster!, back)).toHaveLength(1);
    expect(instancePlacement(cluster!).inst2?.node).toBe(home);
  });
});
