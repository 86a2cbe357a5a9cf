import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { RecordedCall } from '../../src/demo/slack/fake-slack.js';
import { blockActionPayload, sendInteraction } from '../../src/demo/slack/slack-requests.js';
import {
  startSimulatedCluster,
  type SimulatedCluster,
} from '../../src/demo/simulator/start-simulated-cluster.js';
import { auditTrail } from '../support/audit-trail.js';
import { NO_CLUSTER_NOTE, onMaster, testCluster } from './support/cluster-env.js';
import { ADMIN, APPROVER, SIGNING_SECRET, startHarness, type Harness } from './support/harness.js';

const cluster = testCluster();
if (!cluster) console.warn(NO_CLUSTER_NOTE);

/** #ops is bound to the lab, #sim to the simulated cluster; #other to none (the first: the lab). */
const OPS = 'C0OPS';
const SIM = 'C0SIM';
const OTHER = 'C0OTHER';
/** A member of a project that lives on the lab only. */
const MEMBER = 'U0LABWEB';

/** The node tables' headlines: the lab has 3 nodes, the simulated cluster 2. */
const LAB_NODES = /^3 nodes: /;
const SIM_NODES = /^2 nodes: /;

const text = (c: RecordedCall) => `${String(c.body.text)} ${JSON.stringify(c.body.blocks ?? '')}`;

describe.runIf(cluster)('one bot, two clusters: the lab and a simulated one over SSH', () => {
  let h: Harness;
  let sim: SimulatedCluster;
  let dir: string;
  let redis: Redis;

  beforeAll(async () => {
    // The second cluster: 2 nodes behind real SSH servers on loopback. Its node2 does not answer,
    // so that each of its node lists takes about 5 s (the simulator's pace of a silent node).
    sim = await startSimulatedCluster({
      size: { nodes: 2, instances: 4, domain: 'sim.test', seed: 7 },
      speed: 0.05,
      delayScale: 1,
      candidates: 1,
    });
    dir = mkdtempSync(join(tmpdir(), 'gc-two-'));
    writeFileSync(join(dir, 'sim_key'), sim.config.privateKey, { mode: 0o600 });
    writeFileSync(join(dir, 'sim_known_hosts'), sim.config.knownHosts ?? '');
    const simHosts = sim.config.hosts.map((x) => `'${x.host}:${x.port}'`).join(', ');
    writeFileSync(
      join(dir, 'chatops.yaml'),
      `clusters:
  - name: lab
    hosts: [${cluster!.hosts.map((x) => `'${x}'`).join(', ')}]
    user: ${cluster!.user}
    keyFile: ${cluster!.botKeyFile}
    knownHosts: ${cluster!.knownHostsFile}
    channels: [${OPS}]
  - name: sim
    hosts: [${simHosts}]
    user: root
    keyFile: ${join(dir, 'sim_key')}
    knownHosts: ${join(dir, 'sim_known_hosts')}
    channels: [${SIM}]
    concurrency: 1
projects:
  - name: labweb
    members: [${MEMBER}]
    # Its patterns fit instances on both clusters; it lives on the lab only.
    instances: { patterns: ['inst1', '*.sim.test'] }
    actions: [start]
    clusters: [lab]
`,
    );
    h = await startHarness({ workers: true, env: { GANETI_CHATOPS_CONFIG: join(dir, 'chatops.yaml') } });
    redis = new Redis(inject('redisUrl'));
  });
  afterAll(async () => {
    await h?.stop();
    await sim?.close();
    redis?.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  const ask = async (line: string, channel: string, user = ADMIN) => {
    const sent = await h.command(line, { channel_id: channel, user_id: user });
    expect(sent.status).toBe(200);
    return h.answer(sent.responseUrl, { channel, timeoutMs: 60_000 });
  };

  it('answers each channel from its own cluster, and names the cluster', async () => {
    const lab = await ask('nodes', OPS);
    expect(text(lab)).toMatch(LAB_NODES);
    expect(text(lab)).toContain('cluster `lab`');
    const simulated = await ask('nodes', SIM);
    expect(text(simulated)).toMatch(SIM_NODES);
    expect(text(simulated)).toContain('cluster `sim`');
    // A channel bound to none goes to the first cluster.
    expect(text(await ask('nodes', OTHER))).toMatch(LAB_NODES);
  }, 90_000);

  it('goes to another cluster with --cluster, and resolves names within the cluster chosen', async () => {
    const there = await ask('nodes --cluster sim', OPS);
    expect(text(there)).toMatch(SIM_NODES);
    // inst1 is the lab's; the simulated cluster has none of that name.
    expect(text(await ask('info inst1', OPS))).toContain('inst1.ganeti.test');
    const missing = await ask('info inst1 --cluster sim', OPS);
    expect(text(missing)).toMatch(/no instance|not an instance|unknown/i);
    expect(text(missing)).not.toContain('inst1.ganeti.test');
  }, 90_000);

  it('lists both clusters in help, and which one the channel uses', async () => {
    expect(text(await ask('help', SIM))).toContain("*Clusters*: `lab`, `sim` (this channel's default).");
    expect(text(await ask('help', OTHER))).toContain("*Clusters*: `lab` (this channel's default), `sim`.");
  });

  it('keeps a project to its cluster: its member reaches their instance on the lab, not the other', async () => {
    // Let through to the lab's worker, whose pre-check answers (inst1 runs: nothing changes).
    expect(text(await ask('start inst1', OPS, MEMBER))).toContain('`inst1.ganeti.test` is already running');
    const there = sim.simulator.cluster.instances[0]!.name;
    expect(there).toMatch(/\.sim\.test$/);
    const refused = await ask(`start ${there} --cluster sim`, OPS, MEMBER);
    expect(text(refused)).toContain('Your project (labweb) is not on cluster `sim`: add `--cluster lab`.');
  });

  it('refuses a cluster it does not serve, naming the ones it does, and runs nothing', async () => {
    // Refused in Slack's acknowledgement itself, like any command the bot cannot read.
    const sent = await h.command('nodes --cluster prod', { channel_id: OPS });
    expect(JSON.stringify(sent.json)).toContain(
      '`prod` is not a cluster of this bot. It serves `lab`, `sim`.',
    );
    await new Promise((r) => setTimeout(r, 1_000));
    expect(h.slack.calls.filter((c) => c.method === 'chat.postMessage')).toEqual([]);
  });

  it('changes the cluster the card names, once approved, and leaves the other alone', async () => {
    const answering = sim.simulator.cluster.nodes[0]!.name;
    const target = sim.simulator.cluster.instances.find((i) => i.running && i.pnode === answering);
    expect(target, 'a running instance on the simulated node that answers').toBeDefined();
    const labBefore = onMaster(cluster!, 'gnt-instance list --no-headers -o name,status');
    await h.command(`shutdown ${target!.name}`, { channel_id: SIM, user_id: ADMIN });
    const card = await h.slack.waitFor(
      (c) => c.method === 'chat.postMessage' && text(c).includes(`Shut down ${target!.name}`),
      { timeoutMs: 60_000 },
    );
    expect(text(card)).toContain('cluster `sim`');
    const requestId = /"value":"(req-[a-z0-9]+-[a-z0-9]+)"/.exec(text(card))?.[1] ?? '';
    await sendInteraction(
      h.baseUrl,
      SIGNING_SECRET,
      blockActionPayload({
        user: APPROVER,
        channel: SIM,
        actionId: 'op_approve',
        value: requestId,
        messageTs: String((card.result as { ts: string }).ts),
        responseUrl: h.slack.newResponseUrl({ channel: SIM }),
      }),
    );
    await h.slack.waitFor(
      (c) => c.method === 'chat.update' && text(c).includes('✅') && text(c).includes(target!.name),
      {
        timeoutMs: 60_000,
      },
    );
    expect(sim.simulator.cluster.instances.find((i) => i.name === target!.name)?.running).toBe(false);
    expect(onMaster(cluster!, 'gnt-instance list --no-headers -o name,status')).toBe(labBefore);
    const records = (await auditTrail(redis, h.env.GANETI_CHATOPS_QUEUE_PREFIX ?? '').all()).filter(
      (r) => r.requestId === requestId,
    );
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.cluster === 'sim')).toBe(true);
  }, 120_000);

  it('keeps a slow cluster from holding up the other: each has its own queue and concurrency', async () => {
    sim.simulator.setFault(sim.simulator.cluster.nodes[1]!.name, 'unreachable');
    try {
      h.slack.clearCalls();
      const started = Date.now();
      const slow = [
        h.command('nodes --cluster sim', { channel_id: SIM }),
        h.command('nodes --cluster sim', { channel_id: SIM }),
      ];
      const sent = await Promise.all(slow);
      const fast = await h.command('nodes', { channel_id: OPS });
      const labAnswer = await h.answer(fast.responseUrl, { channel: OPS, timeoutMs: 30_000 });
      const labAt = labAnswer.at - started;
      expect(text(labAnswer)).toMatch(LAB_NODES);
      // Both lists of the simulated cluster, each its own final answer in #sim.
      const simFinal = (c: RecordedCall) =>
        (c.method === 'chat.postMessage' || c.method === 'chat.update') &&
        c.body.channel === SIM &&
        SIM_NODES.test(text(c));
      await vi.waitFor(() => expect(h.slack.calls.filter(simFinal).length).toBeGreaterThanOrEqual(2), {
        timeout: 60_000,
        interval: 250,
      });
      const [first, second] = h.slack.calls.filter(simFinal).map((c) => c.at - started);
      // The lab answered while the simulated cluster was still on its first ~5 s list; its
      // concurrency of 1 ran the second list only after the first.
      expect(labAt).toBeLessThan(first!);
      expect(labAt).toBeLessThan(4_000);
      expect(second! - first!).toBeGreaterThan(3_500);
      expect(sent).toHaveLength(2);
    } finally {
      sim.simulator.setFault(sim.simulator.cluster.nodes[1]!.name, null);
    }
  }, 120_000);
});
