import { describe, expect, it } from 'vitest';
import { slackDate, TIME } from '../../src/core/slack-date.js';
import { parseInstanceList } from '../../src/cluster/parsers/instance-list.js';
import { parseNodeHealthList, type NodeHealthRow } from '../../src/cluster/parsers/node-health-list.js';
import { reduceIncident, reduceMasterLoss, type PollFacts } from '../../src/monitor/incident-reducer.js';
import { trackInstanceProblems } from '../../src/monitor/instance-problems.js';
import { nextNodeModel } from '../../src/monitor/node-health.js';
import { toInstanceModel } from '../../src/monitor/poller.js';
import type { Incident, InstanceModel, NodeModel, ProbeResult } from '../../src/monitor/types.js';
import { readFixture } from '../support/fixtures.js';

const rows = (fixture: string) => parseNodeHealthList(readFixture(fixture));
const HEALTHY = rows('gnt-node_list.health.txt');
const NODE3_CUT = rows('gnt-node_list.health.node3-unreachable.txt');
const NODE3_OFFLINE = rows('gnt-node_list.health.node3-offline.txt');
const instances: InstanceModel[] = parseInstanceList(readFixture('gnt-instance_list.fields.txt')).map(
  toInstanceModel,
);

const GRACE = 30_000;

/** A little cluster simulation over real rows: each step is one poll 10 s after the last. */
function simulate(polls: Array<{ rows: NodeHealthRow[]; probe?: ProbeResult; master?: string | null }>) {
  let nodes: Record<string, NodeModel> = {};
  let incident: Incident | null = null;
  const changes = [];
  let at = 1_000_000;
  let master: string | null = 'node1.ganeti.test';
  for (const p of polls) {
    at += 10_000;
    const after: Record<string, NodeModel> = {};
    for (const row of p.rows)
      after[row.name] = nextNodeModel(
        nodes[row.name],
        { row, probe: row.live === 'ok' ? 'not-probed' : (p.probe ?? 'silent') },
        at,
        GRACE,
      );
    const facts: PollFacts = {
      cluster: 'lab',
      now: at,
      before: nodes,
      after,
      instances,
      master: p.master ?? master,
      previousMaster: master,
    };
    const change = reduceIncident(incident, facts);
    changes.push(change);
    incident = change.incident;
    nodes = after;
    master = p.master ?? master;
  }
  return { changes, incident };
}

const cutFor = (polls: number) => Array.from({ length: polls }, () => ({ rows: NODE3_CUT }));

describe('reduceIncident: one incident, one message', () => {
  it('opens nothing while a node is only suspect', () => {
    const { incident } = simulate([{ rows: HEALTHY }, { rows: NODE3_CUT }, { rows: HEALTHY }]);
    expect(incident).toBeNull();
  });

  it('opens one incident when a node is down, naming its instances and where they would go', () => {
    const { changes, incident } = simulate([{ rows: HEALTHY }, ...cutFor(5)]);
    expect(changes.filter((c) => c.opened)).toHaveLength(1);
    expect(incident?.nodes).toHaveLength(1);
    const [node3] = incident?.nodes ?? [];
    expect(node3).toMatchObject({
      name: 'node3.ganeti.test',
      cause: 'no-answer',
      capacityOk: true,
      secondaries: [],
    });
    expect(node3?.primaries).toEqual([
      expect.objectContaining({ name: 'inst3.ganeti.test', target: 'node1.ganeti.test', stranded: null }),
    ]);
    // The thread line is the message itself: Slack renders the token, UTC is the fallback.
    expect(incident?.timeline[0]?.text).toMatch(
      /^🔴 node3\.ganeti\.test does not answer \(since <!date\^\d+\^\{time\}\|\d{4}-\d\d-\d\d \d\d:\d\d UTC>\); 1 primary instance/,
    );
    expect(incident?.timeline[0]?.text).toContain(`(since ${slackDate(node3?.since ?? Number.NaN, TIME)})`);
  });

  it('adds a second lost node to the open incident instead of opening another', () => {
    const both = NODE3_CUT.map((r) =>
      r.name === 'node2.ganeti.test' ? { ...r, live: 'unreachable' as const, memoryFreeMiB: null } : r,
    );
    const { changes, incident } = simulate([
      { rows: HEALTHY },
      ...cutFor(5),
      ...Array.from({ length: 5 }, () => ({ rows: both })),
    ]);
    expect(changes.filter((c) => c.opened)).toHaveLength(1);
    expect(incident?.nodes.map((n) => n.name)).toEqual(['node3.ganeti.test', 'node2.ganeti.test']);
    expect(incident?.timeline.at(-1)?.text).toMatch(/^🔴 Also: node2\.ganeti\.test/);
  });

  it('warns loudly of split brain when a node marked offline answers the probe again, then resolves once it is online', () => {
    const { changes, incident } = simulate([
      { rows: HEALTHY },
      ...cutFor(5),
      { rows: NODE3_OFFLINE, probe: 'silent' },
      { rows: NODE3_OFFLINE, probe: 'answers' },
      { rows: HEALTHY },
      { rows: HEALTHY },
    ]);
    const loud = incident?.timeline.filter((l) => l.loud) ?? [];
    expect(loud).toHaveLength(1);
    expect(loud[0]?.text).toContain('node3.ganeti.test answers again while marked offline');
    expect(incident?.nodes[0]?.returnedWhileOffline).toBe(true);
    expect(changes.at(-2)?.onlined).toEqual(['node3.ganeti.test']);
    expect(incident?.resolvedAt).not.toBeNull();
    expect(incident?.timeline.at(-1)?.text).toBe('✅ Every node of this incident is back: resolved.');
  });
});

describe('reduceMasterLoss', () => {
  it('opens a master-loss incident naming the candidates that answer, and updates it only when they change', () => {
    const first = reduceMasterLoss(null, 'lab', 1, 'node1.ganeti.test', [
      'node2.ganeti.test',
      'node3.ganeti.test',
    ]);
    expect(first).toMatchObject({ opened: true, changed: true });
    expect(first.incident).toMatchObject({ kind: 'master-loss', lostMaster: 'node1.ganeti.test' });
    const same = reduceMasterLoss(first.incident, 'lab', 2, 'node1.ganeti.test', [
      'node2.ganeti.test',
      'node3.ganeti.test',
    ]);
    expect(same).toMatchObject({ opened: false, changed: false });
    const fewer = reduceMasterLoss(first.incident, 'lab', 3, 'node1.ganeti.test', ['node2.ganeti.test']);
    expect(fewer.incident?.reachableCandidates).toEqual(['node2.ganeti.test']);
  });

  it('resolves when the same master answers again and no node was lost', () => {
    const lost = reduceMasterLoss(null, 'lab', 1, 'node1.ganeti.test', ['node2.ganeti.test']).incident;
    const { after } = { after: {} };
    const change = reduceIncident(lost, {
      cluster: 'lab',
      now: 2,
      before: {},
      after,
      instances,
      master: 'node1.ganeti.test',
      previousMaster: 'node1.ganeti.test',
    });
    expect(change.incident?.resolvedAt).toBe(2);
    expect(change.incident?.timeline.map((l) => l.text).slice(-2)).toEqual([
      'The master node1.ganeti.test answers again.',
      '✅ Every node of this incident is back: resolved.',
    ]);
  });

  it('turns into a node loss of the old master once another node is master', () => {
    const lost = reduceMasterLoss(null, 'lab', 1, 'node1.ganeti.test', ['node2.ganeti.test']).incident;
    const node1Cut = HEALTHY.map((r) =>
      r.name === 'node1.ganeti.test' ? { ...r, live: 'unreachable' as const } : r,
    );
    const healthyBefore = Object.fromEntries(
      HEALTHY.map((row) => [row.name, nextNodeModel(undefined, { row, probe: 'not-probed' }, 0, GRACE)]),
    );
    // The poller counts the old master as bad since the master went silent.
    const before: Record<string, NodeModel> = {
      ...healthyBefore,
      'node1.ganeti.test': {
        ...healthyBefore['node1.ganeti.test']!,
        health: 'suspect' as const,
        badSince: 0,
      },
    };
    const after = Object.fromEntries(
      node1Cut.map((row) => [
        row.name,
        nextNodeModel(before[row.name], { row, probe: 'silent' }, 40_000, GRACE),
      ]),
    );
    const change = reduceIncident(lost, {
      cluster: 'lab',
      now: 40_000,
      before,
      after,
      instances,
      master: 'node2.ganeti.test',
      previousMaster: 'node1.ganeti.test',
    });
    expect(change.incident?.kind).toBe('node-loss');
    expect(change.incident?.resolvedAt).toBeNull();
    expect(change.incident?.nodes).toEqual([
      expect.objectContaining({ name: 'node1.ganeti.test', wasMaster: true }),
    ]);
    expect(change.incident?.timeline.map((l) => l.text)[1]).toMatch(/^node2\.ganeti\.test is the master now/);
  });
});

describe('trackInstanceProblems', () => {
  const down = instances.map((i) =>
    i.name === 'inst2.ganeti.test' ? { ...i, status: 'ERROR_down', running: false } : i,
  );
  const base = { cluster: 'lab', instanceProblems: {}, announcedInstanceProblems: {} };

  it('announces an instance problem only once it lasted the grace period, and only once', () => {
    const first = trackInstanceProblems(base, down, 0, GRACE);
    expect(first.note).toBeNull();
    const later = trackInstanceProblems(
      { ...base, instanceProblems: first.instanceProblems, announcedInstanceProblems: first.announced },
      down,
      GRACE,
      GRACE,
    );
    expect(later.note?.problems).toEqual([
      expect.objectContaining({ name: 'inst2.ganeti.test', status: 'ERROR_down', isNew: true }),
    ]);
    const again = trackInstanceProblems(
      { ...base, instanceProblems: later.instanceProblems, announcedInstanceProblems: later.announced },
      down,
      2 * GRACE,
      GRACE,
    );
    expect(again.note).toBeNull();
    const cleared = trackInstanceProblems(
      { ...base, instanceProblems: again.instanceProblems, announcedInstanceProblems: again.announced },
      instances,
      3 * GRACE,
      GRACE,
    );
    expect(cleared.note).toMatchObject({ problems: [], cleared: ['inst2.ganeti.test'] });
  });

  it('leaves instances of a lost node to the node’s incident', () => {
    const nodedown = instances.map((i) => ({ ...i, status: 'ERROR_nodedown' }));
    expect(trackInstanceProblems(base, nodedown, 0, 0).note).toBeNull();
  });
});
