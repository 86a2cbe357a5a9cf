import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Failpoint } from '../../src/core/failpoints.js';
import {
  instancePlacement,
  jobsForRequest,
  NO_CLUSTER_NOTE,
  onMaster,
  testCluster,
} from './support/cluster-env.js';
import { approved, outcomesOf } from './support/executions.js';
import { startHarness, type Harness } from './support/harness.js';
import { eventually } from './support/lab.js';
import { startWorkerProcess, type WorkerProcess } from './support/worker-process.js';
import type { RecordedCall } from '../../src/demo/slack/fake-slack.js';

const cluster = testCluster();
if (!cluster) console.warn(NO_CLUSTER_NOTE);

/** Every point of a destructive operation where the worker is killed (src/core/failpoints.ts). */
const POINTS: Failpoint[] = [
  'before-start',
  'after-submitting-saved',
  'after-submit',
  'while-following',
  'before-outcome',
];

describe.runIf(cluster)('kill -9 of the worker at each point of a destructive operation', () => {
  let h: Harness;
  let workerEnv: Record<string, string>;
  const workers: WorkerProcess[] = [];
  const kills: string[] = [];

  beforeAll(async () => {
    h = await startHarness({ cluster: cluster ?? undefined, botOnly: true });
    workerEnv = {
      ...h.env,
      // Fast stalled-job recovery, the same on every worker (docs/reliability.md).
      WORKER_STALLED_INTERVAL_MS: '2000',
      WORKER_LOCK_DURATION_MS: '3000',
      LOG_LEVEL: 'info',
    };
  });
  afterAll(async () => {
    for (const w of workers) await w.kill('SIGTERM');
    await h?.stop();
    console.info(`crash tests: ${kills.length} workers killed (${kills.join(', ')})`);
  });

  const worker = (failpoints?: string) => {
    const w = startWorkerProcess({
      ...workerEnv,
      ...(failpoints ? { GANETI_CHATOPS_FAILPOINTS: failpoints } : {}),
    });
    workers.push(w);
    return w;
  };

  /** Waits until the worker that took over has finished the request and logged it. */
  async function settled(w: WorkerProcess, card: RecordedCall): Promise<RecordedCall[]> {
    await eventually(
      'the worker that took over to finish',
      () => (/"msg":"operation finished"/.test(w.output()) ? true : null),
      90_000,
    );
    await new Promise((r) => setTimeout(r, 500)); // a second outcome would be posted by now
    return outcomesOf(h, card);
  }

  async function crashedFailover(point: Failpoint): Promise<void> {
    const home = instancePlacement(cluster!).inst2?.node ?? 'node2';
    const away = home === 'node3' ? 'node2' : 'node3';
    const doomed = worker(point);
    const { card, requestId } = await approved(h, `failover inst2 --to ${away}`);
    expect(await doomed.exited).toBe('SIGKILL');
    kills.push(point);
    const next = worker();
    const posted = await settled(next, card);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.body.text).toMatch(/^✅ Fail over inst2\.ganeti\.test: done/);
    expect(jobsForRequest(cluster!, requestId)).toEqual([
      expect.stringMatching(/^\d+\|success\|INSTANCE_FAILOVER\(inst2\.ganeti\.test\)$/),
    ]);
    expect(instancePlacement(cluster!).inst2?.node).toBe(away);
    if (point !== 'before-start')
      expect(next.output()).toMatch(/"msg":"resuming an execution that was interrupted"/);
    await next.kill('SIGTERM');
  }

  it.each(POINTS)(
    'killed at %s, twice (there and back): one Ganeti job per request and one outcome message',
    async (point) => {
      await crashedFailover(point);
      await crashedFailover(point);
    },
  );

  it('killed in the middle of a two-instance evacuation, and again while the next worker follows: each instance moved once', async () => {
    const before = instancePlacement(cluster!);
    expect([before.inst1?.node, before.inst4?.node]).toEqual(['node1', 'node1']);
    const first = worker('after-submit@2');
    const { card, requestId } = await approved(h, 'evacuate node1');
    expect(await first.exited).toBe('SIGKILL');
    const second = worker('while-following');
    expect(await second.exited).toBe('SIGKILL');
    kills.push('evacuate:after-submit@2', 'evacuate:while-following');
    const third = worker();
    const posted = await settled(third, card);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.body.text).toMatch(/^✅ /);
    const jobs = jobsForRequest(cluster!, requestId);
    expect(jobs).toHaveLength(2);
    expect(
      jobs.every((j) => /^\d+\|success\|INSTANCE_(MIGRATE|FAILOVER)\(inst[14]\.ganeti\.test\)$/.test(j)),
    ).toBe(true);
    const after = instancePlacement(cluster!);
    expect(after.inst1?.node).not.toBe('node1');
    expect(after.inst4?.node).not.toBe('node1');
    await third.kill('SIGTERM');
    // Put them back (the tests' own view of the cluster, not the bot).
    onMaster(cluster!, 'gnt-instance migrate -f -n node1 inst1.ganeti.test');
    onMaster(cluster!, 'gnt-instance failover -f -n node1 inst4.ganeti.test');
    await eventually('inst1 and inst4 back on node1', () => {
      const p = instancePlacement(cluster!);
      return p.inst1?.node === 'node1' && p.inst4?.node === 'node1' ? true : null;
    });
  });
});
