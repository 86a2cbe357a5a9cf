import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_CLUSTER_NOTE, onMaster, testCluster } from './support/cluster-env.js';
import { startHarness, type Harness } from './support/harness.js';

const cluster = testCluster();
if (!cluster) console.warn(NO_CLUSTER_NOTE);

/** Runs a read-only command on the master, as the test's own view of the cluster. */
const onCluster = (command: string): string => (cluster ? onMaster(cluster, command) : '');

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');
const blocksText = (call: { body: Record<string, unknown> }) => JSON.stringify(call.body.blocks ?? '');

describe.runIf(cluster)('capacity, balance and console against the real cluster', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ cluster: cluster ?? undefined });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('/ganeti capacity answers in the channel with the per-node table, hcheck and hspace', async () => {
    // Other suites may leave a node drained or offline: the expected headline follows the lab's state.
    const nodes = lines(onCluster('gnt-node list --no-headers --separator=, -o name,offline,drained'));
    const healthy = nodes.length === 3 && nodes.every((l) => l.endsWith(',N,N'));
    const post = await h.answer((await h.command('capacity')).responseUrl, { timeoutMs: 60_000 });
    expect(['chat.postMessage', 'chat.update']).toContain(post.method);
    if (healthy) expect(post.body.text).toBe('✅ The cluster can lose any one node');
    else expect(post.body.text).toMatch(/^⚠️ /);
    const blocks = blocksText(post);
    expect(blocks).toMatch(/IF THIS NODE DIES/);
    for (const n of ['node1', 'node2', 'node3'])
      expect(blocks).toMatch(new RegExp(`${n} +(ok|drained|offline)`));
    if (healthy) {
      expect(blocks).toContain('*hcheck*: every node N+1 happy');
      expect(blocks).toMatch(/\*\d+\* more of the standard spec \(128M RAM, 1 vCPU, 1\.0G disk\)/);
    }
  });

  it('/ganeti balance shows hbal’s dry run and changes nothing', async () => {
    const jobsBefore = lines(onCluster('gnt-job list --no-headers -o id')).length;
    const post = await h.answer((await h.command('balance')).responseUrl, { timeoutMs: 60_000 });
    // The lab's hbal finds no move in any state tried (docs/testing.md, "The cluster the tests expect").
    expect(post.body.text).toMatch(/^The cluster is balanced \(score \d+\.\d{8}\), no moves$/);
    expect(blocksText(post)).toMatch(/3 nodes, \d+ instances · group default/);
    expect(lines(onCluster('gnt-job list --no-headers -o id'))).toHaveLength(jobsBefore);
  });

  it('/ganeti console inst1 answers only the requester, and says the fake hypervisor has none', async () => {
    const sent = await h.command('console inst1');
    const answer = await h.answer(sent.responseUrl);
    expect(answer.method).toBe('response_url');
    expect(answer.body.response_type).toBe('ephemeral');
    expect(answer.body.text).toBe(
      'No console for inst1.ganeti.test: Consoles are not available for the `fake` hypervisor.',
    );
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });
});
