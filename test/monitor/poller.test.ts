import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it, inject } from 'vitest';
import type { GanetiClient } from '../../src/cluster/ganeti-client.js';
import type { NodeProber } from '../../src/cluster/node-prober.js';
import { parseInstanceList } from '../../src/cluster/parsers/instance-list.js';
import { parseNodeHealthList } from '../../src/cluster/parsers/node-health-list.js';
import { ClusterUnavailableError } from '../../src/core/errors.js';
import { createMonitorStore } from '../../src/monitor/monitor-store.js';
import { createPoller, type Poller } from '../../src/monitor/poller.js';
import type { IncidentReporter, IncidentView } from '../../src/monitor/types.js';
import { captureLogger } from '../support/capture-logger.js';
import { dropKeys } from '../support/drop-keys.js';
import { readFixture } from '../support/fixtures.js';

const redis = new Redis(inject('redisUrl'));
let seq = 0;
const prefixes: string[] = [];
afterEach(async () => {
  for (const p of prefixes.splice(0)) await dropKeys(p);
});
afterAll(() => redis.disconnect());

/** The cluster as real captured output says it is; `state` switches what the next poll sees. */
function labCluster() {
  const state = { nodes: 'gnt-node_list.health.txt', masterAnswers: true };
  const client = {
    nodeHealth: async () => {
      if (!state.masterAnswers)
        throw new ClusterUnavailableError('gnt-node on root@198.51.100.11:22 timed out after 12000 ms');
      return parseNodeHealthList(readFixture(state.nodes));
    },
    instancesWithin: async () => {
      if (!state.masterAnswers) throw new ClusterUnavailableError('timed out');
      return parseInstanceList(readFixture('gnt-instance_list.fields.txt'));
    },
    master: async () => 'node1.ganeti.test',
    survey: async () => ({
      answers: [
        { label: 'a', self: null, says: null, error: 'timed out' },
        { label: 'b', self: 'node2.ganeti.test', says: 'node1.ganeti.test', error: null },
        { label: 'c', self: 'node3.ganeti.test', says: 'node1.ganeti.test', error: null },
      ],
      master: null,
      named: 'node1.ganeti.test',
      rivals: [],
    }),
  } as unknown as GanetiClient;
  return { state, client };
}

function recordingReporter() {
  const posts: IncidentView[] = [];
  const updates: IncidentView[] = [];
  const lines: string[] = [];
  let ts = 0;
  const reporter: IncidentReporter = {
    post: async (view) => {
      posts.push(structuredClone(view));
      ts += 1;
      return { channel: 'C0ALERTS', ts: `1700000000.00000${ts}` };
    },
    update: async (view) => {
      updates.push(structuredClone(view));
      return true;
    },
    thread: async (_ref, l) => {
      lines.push(...l.map((x) => x.text));
      return true;
    },
    instanceProblems: async () => undefined,
  };
  return { reporter, posts, updates, lines };
}

const silentProber: NodeProber = { probe: async () => 'silent' };

function makePoller(
  prefix: string,
  client: GanetiClient,
  reporter: IncidentReporter,
  clock: { now: number },
  owner: string,
): Poller {
  return createPoller({
    cluster: 'lab',
    client,
    prober: silentProber,
    store: createMonitorStore({ redis, prefix, cluster: 'lab' }),
    requests: { get: async () => null },
    reporter,
    logger: captureLogger('silent').logger,
    now: () => clock.now,
    sleep: async () => undefined,
    pollMs: 10_000,
    graceMs: 30_000,
    owner,
  });
}

function setup() {
  seq += 1;
  const prefix = `mtest-${process.pid}-${seq}`;
  prefixes.push(prefix);
  return { prefix, clock: { now: 1_000_000 }, ...labCluster(), ...recordingReporter() };
}

describe('the poller over real Redis', () => {
  it('posts one alert for a node down past the grace period, however many pollers share Redis', async () => {
    const t = setup();
    const a = makePoller(t.prefix, t.client, t.reporter, t.clock, 'process-a');
    const b = makePoller(t.prefix, t.client, t.reporter, t.clock, 'process-b');
    expect(await a.tick()).toBe('polled');
    expect(await b.tick()).toBe('standby');
    t.state.nodes = 'gnt-node_list.health.node3-unreachable.txt';
    for (let i = 0; i < 5; i += 1) {
      t.clock.now += 10_000;
      await a.tick();
      await b.tick();
    }
    expect(t.posts).toHaveLength(1);
    expect(t.posts[0]?.incident.nodes.map((n) => n.name)).toEqual(['node3.ganeti.test']);
  });

  it('neither re-announces nor forgets an incident after a restart', async () => {
    const t = setup();
    const first = makePoller(t.prefix, t.client, t.reporter, t.clock, 'before-restart');
    await first.tick();
    t.state.nodes = 'gnt-node_list.health.node3-unreachable.txt';
    for (let i = 0; i < 4; i += 1) {
      t.clock.now += 10_000;
      await first.tick();
    }
    expect(t.posts).toHaveLength(1);
    await first.stop(); // releases the lease, as a clean shutdown does
    const restarted = makePoller(t.prefix, t.client, t.reporter, t.clock, 'after-restart');
    t.clock.now += 10_000;
    await restarted.tick();
    expect(t.posts).toHaveLength(1);
    // The node comes back: the same incident (same message) says so and resolves.
    t.state.nodes = 'gnt-node_list.health.txt';
    for (let i = 0; i < 2; i += 1) {
      t.clock.now += 10_000;
      await restarted.tick();
    }
    expect(t.posts).toHaveLength(1);
    expect(t.updates.at(-1)?.incident.resolvedAt).not.toBeNull();
    expect(t.lines).toContain('✅ Every node of this incident is back: resolved.');
  });

  it('opens a master-loss incident once the master stayed silent for the grace period, deciding nothing else', async () => {
    const t = setup();
    const p = makePoller(t.prefix, t.client, t.reporter, t.clock, 'only');
    await p.tick();
    t.state.masterAnswers = false;
    t.clock.now += 10_000;
    await p.tick();
    expect(t.posts).toHaveLength(0);
    t.clock.now += 30_000;
    await p.tick();
    expect(t.posts).toHaveLength(1);
    expect(t.posts[0]?.incident).toMatchObject({
      kind: 'master-loss',
      lostMaster: 'node1.ganeti.test',
      reachableCandidates: ['node2.ganeti.test', 'node3.ganeti.test'],
      nodes: [],
    });
  });
});
