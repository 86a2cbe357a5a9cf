import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../src/demo/slack/fake-slack.js';
import { instancePlacement, NO_CLUSTER_NOTE, testCluster } from './support/cluster-env.js';
import { approved, outcomesOf, stepsReached } from './support/executions.js';
import { startHarness, type Harness } from './support/harness.js';
import { eventually, freshLab, inNode, labAvailable, startSshd, stopSshd } from './support/lab.js';

const cluster = testCluster();
if (!cluster) console.warn(NO_CLUSTER_NOTE);

/** `gnt-job list` lines (id|status|summary) of a request, asked on lab node N (the master). */
async function jobsOn(node: number, requestId: string): Promise<string[]> {
  return (
    await inNode(node, ['gnt-job', 'list', '--no-headers', '--separator=|', '-o', 'id,status,summary,ops'])
  )
    .split('\n')
    .filter((line) => line.includes(`req=${requestId} `))
    .map((line) => line.split('|').slice(0, 3).join('|'));
}

/**
 * The real sshd of the lab master killed (listener and sessions) while an operation follows its
 * job, and a master failover (`gnt-cluster master-failover` on node2) between two steps of a
 * running evacuation: the bot finds its way back, and no step is submitted twice.
 */
describe.runIf(cluster && labAvailable)('SSH and master faults on the lab while operations run', () => {
  let h: Harness;
  const figures: string[] = [];

  beforeAll(async () => {
    h = await startHarness({ cluster: cluster ?? undefined, env: { GANETI_MAX_PARALLEL_JOBS: '1' } });
  });
  afterAll(async () => {
    await h?.stop();
    console.info(`ssh/master faults: ${figures.join('; ')}`);
  });

  async function answerTo(text: string): Promise<RecordedCall> {
    const sent = await h.command(text);
    return h.answer(sent.responseUrl, { timeoutMs: 120_000 });
  }

  it('sshd on the master killed mid-operation and started again: the job is followed to its end, submitted once, and reads work again', async () => {
    expect((await answerTo('nodes')).body.text).toBe('3 nodes: 3 ok');
    const home = instancePlacement(cluster!).inst2?.node ?? 'node2';
    const away = home === 'node3' ? 'node2' : 'node3';
    const { card, requestId } = await approved(h, `failover inst2 --to ${away}`);
    await stepsReached(h.env, requestId);
    const killed = stopSshd(1);
    expect(killed).toBeGreaterThan(0); // the listener and the bot's sessions
    const downAt = Date.now();
    // A read while the master's sshd is gone gets an answer (an error that says so, or the data
    // once it is back): never silence.
    const during = h.command('nodes');
    await new Promise((r) => setTimeout(r, 8_000));
    await startSshd(1);
    figures.push(`master sshd down ${Date.now() - downAt} ms (${killed} sshd processes)`);
    const duringAnswer = await h.answer((await during).responseUrl, { timeoutMs: 120_000 });
    expect(String(duringAnswer.body.text)).toMatch(/3 nodes: 3 ok|Could not reach|not answer/);
    await eventually('the outcome', () => (outcomesOf(h, card).length > 0 ? true : null), 120_000);
    expect(outcomesOf(h, card)).toHaveLength(1);
    expect(outcomesOf(h, card)[0]?.body.text).toMatch(/^✅ Fail over inst2\.ganeti\.test: done/);
    expect(await jobsOn(1, requestId)).toEqual([
      expect.stringMatching(/^\d+\|success\|INSTANCE_FAILOVER\(inst2\.ganeti\.test\)$/),
    ]);
    expect((await answerTo('nodes')).body.text).toBe('3 nodes: 3 ok');
    await inNode(1, ['gnt-instance', 'migrate', '-f', '-n', home, 'inst2.ganeti.test']);
  });

  it('a master failover to node2 while an evacuation runs: its jobs are followed on the new master and reported once, and the next command finds it', async () => {
    const { card, requestId } = await approved(h, 'evacuate node1');
    await stepsReached(h.env, requestId, 1); // the first step's job is queued and running
    const started = Date.now();
    await inNode(2, ['gnt-cluster', 'master-failover']);
    figures.push(`master-failover took ${Date.now() - started} ms`);
    try {
      await eventually('the outcome', () => (outcomesOf(h, card).length > 0 ? true : null), 180_000);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(outcomesOf(h, card)).toHaveLength(1);
      // One job per instance, none twice, each followed to its end through the new master; a
      // migration the master failover cut short ends as Ganeti says, and the outcome says so.
      const jobs = await jobsOn(2, requestId);
      expect(jobs).toHaveLength(2);
      for (const j of jobs)
        expect(j).toMatch(
          /^\d+\|(success|error|canceled)\|INSTANCE_(MIGRATE|FAILOVER)\(inst[14]\.ganeti\.test\)$/,
        );
      const allDone = jobs.every((j) => j.includes('|success|'));
      figures.push(
        `evacuation jobs after the master failover: ${jobs.map((j) => j.split('|')[1]).join(', ')}`,
      );
      if (allDone) expect(outcomesOf(h, card)[0]?.body.text).toMatch(/^✅ /);
      else expect(outcomesOf(h, card)[0]?.body.text).not.toMatch(/^✅ /);
      const status = await answerTo('status');
      expect(JSON.stringify(status.body)).toMatch(/node2/);
    } finally {
      // A migration cut short by a master failover can leave an instance on the wrong node:
      // rebuild the lab rather than guess (about a minute).
      freshLab();
    }
  });
});
