import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../src/demo/slack/fake-slack.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import {
  instancePlacement,
  jobsForRequest,
  NO_CLUSTER_NOTE,
  onMaster,
  testCluster,
} from './support/cluster-env.js';
import { cardRequestId, startHarness, type Harness } from './support/harness.js';
import { cardFor, outcomesOf, stepsReached } from './support/executions.js';
import { eventually } from './support/lab.js';
import { startWorkerProcess, type WorkerProcess } from './support/worker-process.js';

const cluster = testCluster();
if (!cluster) console.warn(NO_CLUSTER_NOTE);

/**
 * Redis frozen past the BullMQ lock, and Redis killed and restarted with and without its data,
 * while operations wait and run: Ganeti's job queue keeps every step to one job, the outcome is
 * posted once, and Slack requests are answered within its 3 s meanwhile.
 */
describe.runIf(cluster)('Redis faults during operations', () => {
  let redis: TestRedis | null = null;
  let h: Harness | null = null;
  const workers: WorkerProcess[] = [];
  const figures: string[] = [];

  afterEach(async () => {
    for (const w of workers.splice(0)) await w.kill('SIGTERM');
    await h?.stop();
    h = null;
    await redis?.close();
    redis = null;
  });
  afterAll(() => console.info(`redis faults: ${figures.join('; ')}`));

  async function setUp(appendonly: boolean, parallel = '3'): Promise<{ h: Harness; redis: TestRedis }> {
    redis = await startRedis({ appendonly });
    h = await startHarness({ cluster: cluster ?? undefined, botOnly: true, redisUrl: redis.url });
    const env = {
      ...h.env,
      WORKER_STALLED_INTERVAL_MS: '2000',
      WORKER_LOCK_DURATION_MS: '3000',
      GANETI_MAX_PARALLEL_JOBS: parallel,
      LOG_LEVEL: 'info',
    };
    workers.push(startWorkerProcess(env), startWorkerProcess(env));
    return { h, redis };
  }

  /** A slash command and a click sent while Redis does not answer: each HTTP answer's time. */
  async function answeredWhileDown(harness: Harness, pending: RecordedCall): Promise<number[]> {
    let started = Date.now();
    const sent = await harness.command('nodes');
    const commandMs = Date.now() - started;
    expect(sent.status).toBe(200);
    const told = await harness.slack.waitFor(
      (c) => c.method === 'response_url' && c.url === sent.responseUrl,
      { timeoutMs: 10_000 },
    );
    expect(JSON.stringify(told.body)).toMatch(/Redis/);
    started = Date.now();
    const click = await harness.click('op_approve', pending);
    const clickMs = Date.now() - started;
    expect(click.status).toBe(200);
    const clicked = await harness.slack.waitFor(
      (c) => c.method === 'response_url' && c.url === click.responseUrl,
      { timeoutMs: 10_000 },
    );
    expect(JSON.stringify(clicked.body)).toMatch(/Redis/);
    return [commandMs, clickMs];
  }

  /**
   * A failover of inst2 approved and submitted, a failover of inst3 waiting for approval, and
   * then Redis killed (SIGKILL): where the restart tests start from.
   */
  async function killedWhileRunning(harness: Harness, server: TestRedis) {
    const home = instancePlacement(cluster!).inst2?.node ?? 'node2';
    const away = home === 'node3' ? 'node2' : 'node3';
    const running = await cardFor(harness, `failover inst2 --to ${away}`);
    const waiting = await cardFor(harness, 'failover inst3 --to node2');
    await harness.click('op_approve', running);
    await stepsReached(harness.env, cardRequestId(running));
    await server.stop('SIGKILL');
    return { home, away, running, waiting };
  }

  async function putBack(): Promise<void> {
    const p = instancePlacement(cluster!);
    if (p.inst1?.node !== 'node1') onMaster(cluster!, 'gnt-instance migrate -f -n node1 inst1.ganeti.test');
    if (p.inst4?.node !== 'node1') onMaster(cluster!, 'gnt-instance failover -f -n node1 inst4.ganeti.test');
  }

  it('frozen past the lock during a two-step evacuation: each step one Ganeti job, one outcome, Slack answered within 3 s', async () => {
    const { h, redis } = await setUp(true, '1');
    const evac = await cardFor(h, 'evacuate node1');
    const waiting = await cardFor(h, 'failover inst3 --to node2');
    await h.click('op_approve', evac);
    const requestId = cardRequestId(evac);
    await stepsReached(h.env, requestId, 1);
    redis.pause();
    const frozenAt = Date.now();
    const times = await answeredWhileDown(h, waiting);
    // Well past the 3 s lock and two 2 s stalled checks: BullMQ hands the execution to a worker anew.
    await new Promise((r) => setTimeout(r, Math.max(0, 9_000 - (Date.now() - frozenAt))));
    redis.resume();
    figures.push(`frozen ${Date.now() - frozenAt} ms; answers while frozen ${times.join(', ')} ms`);
    await eventually('the outcome', () => (outcomesOf(h, evac).length > 0 ? true : null), 120_000);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(outcomesOf(h, evac)).toHaveLength(1);
    expect(outcomesOf(h, evac)[0]?.body.text).toMatch(/^✅ /);
    const jobs = jobsForRequest(cluster!, requestId);
    expect(jobs).toHaveLength(2);
    expect(new Set(jobs.map((j) => j.replace(/^\d+\|success\|INSTANCE_\w+\((inst\d)\..*$/, '$1')))).toEqual(
      new Set(['inst1', 'inst4']),
    );
    for (const ms of times) expect(ms).toBeLessThan(3_000);
    const logs = workers.map((w) => w.output()).join('\n');
    figures.push(
      `takeovers logged: ${(logs.match(/lost the execution to another worker|resuming an execution/g) ?? []).length}`,
    );
    await putBack();
  });

  it('killed and restarted with its data (AOF) while one operation runs and one waits: both run, each once', async () => {
    const { h, redis } = await setUp(true);
    const { home, away, running, waiting } = await killedWhileRunning(h, redis);
    const times = await answeredWhileDown(h, waiting);
    await redis.restart();
    figures.push(`restart with AOF: answers while down ${times.join(', ')} ms`);
    await eventually('the first outcome', () => (outcomesOf(h, running).length > 0 ? true : null), 120_000);
    expect(outcomesOf(h, running)[0]?.body.text).toMatch(/^✅ Fail over inst2/);
    expect(jobsForRequest(cluster!, cardRequestId(running))).toHaveLength(1);
    // The request that waited for approval survived the restart and runs once approved.
    await h.click('op_approve', waiting);
    await eventually('the second outcome', () => (outcomesOf(h, waiting).length > 0 ? true : null), 120_000);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(outcomesOf(h, running)).toHaveLength(1);
    expect(outcomesOf(h, waiting)).toHaveLength(1);
    expect(jobsForRequest(cluster!, cardRequestId(waiting))).toHaveLength(1);
    expect(instancePlacement(cluster!).inst2?.node).toBe(away);
    expect(instancePlacement(cluster!).inst3?.node).toBe('node2');
    onMaster(cluster!, `gnt-instance migrate -f -n ${home} inst2.ganeti.test`);
    onMaster(cluster!, 'gnt-instance migrate -f -n node3 inst3.ganeti.test');
  });

  it('killed and restarted empty (no persistence): the running step is followed to its end and reported once, the lost request is refused clearly', async () => {
    const { h, redis } = await setUp(false);
    const { home, running, waiting } = await killedWhileRunning(h, redis);
    await redis.restart();
    await eventually('the outcome', () => (outcomesOf(h, running).length > 0 ? true : null), 120_000);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(outcomesOf(h, running)).toHaveLength(1);
    expect(outcomesOf(h, running)[0]?.body.text).toMatch(/^✅ Fail over inst2/);
    expect(jobsForRequest(cluster!, cardRequestId(running))).toHaveLength(1);
    // Redis forgot the waiting request: approving it says so, and nothing runs.
    const click = await h.click('op_approve', waiting);
    const told = await h.slack.waitFor((c) => c.method === 'response_url' && c.url === click.responseUrl);
    expect(JSON.stringify(told.body)).toMatch(/no longer known/);
    expect(jobsForRequest(cluster!, cardRequestId(waiting))).toEqual([]);
    // Put inst2 back.
    onMaster(cluster!, `gnt-instance migrate -f -n ${home} inst2.ganeti.test`);
  });
});
