import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const cluster = testCluster();
if (!cluster) console.warn(NO_CLUSTER_NOTE);

describe.runIf(cluster)('SIGTERM (systemctl stop, an upgrade) while an operation runs', () => {
  let h: Harness;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    h = await startHarness({ cluster: cluster ?? undefined, botOnly: true });
  });
  afterAll(async () => {
    for (const w of workers) await w.kill('SIGKILL');
    await h?.stop();
  });

  const worker = (env: Record<string, string>) => {
    const w = startWorkerProcess({
      ...h.env,
      WORKER_STALLED_INTERVAL_MS: '2000',
      WORKER_LOCK_DURATION_MS: '3000',
      LOG_LEVEL: 'info',
      ...env,
    });
    workers.push(w);
    return w;
  };
  const running = (w: WorkerProcess) =>
    eventually('the worker to be running', () =>
      /ganeti-chatops is running/.test(w.output()) ? true : null,
    );

  it('stops at once when nothing runs, with exit status 0', async () => {
    const w = worker({});
    await running(w);
    const t0 = Date.now();
    await w.kill('SIGTERM');
    expect(w.exitCode()).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(w.output()).not.toMatch(/shutdown deadline passed/);
  });

  it('lets a running failover finish within the deadline, then exits 0', async () => {
    const home = instancePlacement(cluster!).inst2?.node ?? 'node2';
    const away = home === 'node3' ? 'node2' : 'node3';
    const w = worker({ SHUTDOWN_TIMEOUT_SECONDS: '120' });
    await running(w);
    const { card, requestId } = await approved(h, `failover inst2 --to ${away}`);
    await eventually('its Ganeti job', () => (jobsForRequest(cluster!, requestId).length > 0 ? true : null));
    w.kill('SIGTERM').catch(() => undefined);
    await w.exited;
    expect(w.exitCode()).toBe(0);
    expect(w.output()).toMatch(/"msg":"operation finished"/);
    expect(w.output()).not.toMatch(/shutdown deadline passed/);
    const posted = outcomesOf(h, card);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.body.text).toMatch(/^✅ Fail over inst2\.ganeti\.test: done/);
    expect(instancePlacement(cluster!).inst2?.node).toBe(away);
    // Back where it was, by the tests' own hand.
    onMaster(cluster!, `gnt-instance failover -f -n ${home} inst2.ganeti.test`);
  });

  it('past the deadline hands the operation back: another worker finishes it, each instance moved once', async () => {
    const before = instancePlacement(cluster!);
    expect([before.inst1?.node, before.inst4?.node]).toEqual(['node1', 'node1']);
    const w = worker({ SHUTDOWN_TIMEOUT_SECONDS: '1', GANETI_MAX_PARALLEL_JOBS: '1' });
    await running(w);
    const { card, requestId } = await approved(h, 'evacuate node1');
    await eventually('the first Ganeti job', () =>
      jobsForRequest(cluster!, requestId).length > 0 ? true : null,
    );
    const t0 = Date.now();
    w.kill('SIGTERM').catch(() => undefined);
    await w.exited;
    expect(w.exitCode()).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(w.output()).toMatch(/shutdown deadline passed: handing the running jobs back/);
    expect(w.output()).not.toMatch(/"msg":"operation finished"/);
    const next = worker({});
    await eventually(
      'the next worker to finish it',
      () => (/"msg":"operation finished"/.test(next.output()) ? true : null),
      90_000,
    );
    expect(next.output()).toMatch(/"msg":"resuming an execution that was interrupted"/);
    await new Promise((r) => setTimeout(r, 500));
    const posted = outcomesOf(h, card);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.body.text).toMatch(/^✅ /);
    expect(jobsForRequest(cluster!, requestId)).toHaveLength(2);
    const after = instancePlacement(cluster!);
    expect(after.inst1?.node).not.toBe('node1');
    expect(after.inst4?.node).not.toBe('node1');
    await next.kill('SIGTERM');
    onMaster(cluster!, 'gnt-instance migrate -f -n node1 inst1.ganeti.test');
    onMaster(cluster!, 'gnt-instance failover -f -n node1 inst4.ganeti.test');
    await eventually('inst1 and inst4 back on node1', () => {
      const p = instancePlacement(cluster!);
      return p.inst1?.node === 'node1' && p.inst4?.node === 'node1' ? true : null;
    });
  });
});
