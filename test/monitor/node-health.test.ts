import { describe, expect, it } from 'vitest';
import { parseNodeHealthList, type NodeHealthRow } from '../../src/cluster/parsers/node-health-list.js';
import { nextNodeModel, type NodeSighting } from '../../src/monitor/node-health.js';
import type { NodeModel, ProbeResult } from '../../src/monitor/types.js';
import { readFixture } from '../support/fixtures.js';

const node3 = (fixture: string): NodeHealthRow => {
  const row = parseNodeHealthList(readFixture(fixture))[2];
  if (!row) throw new Error('no node3');
  return row;
};
const healthy = node3('gnt-node_list.health.txt');
const cut = node3('gnt-node_list.health.node3-unreachable.txt');
const offline = node3('gnt-node_list.health.node3-offline.txt');
const see = (row: NodeHealthRow, probe: ProbeResult = 'not-probed'): NodeSighting => ({ row, probe });

const GRACE = 30_000;
/** Feeds sightings 10 s apart and returns the states the node went through. */
function run(sightings: NodeSighting[], start?: NodeModel): NodeModel[] {
  const out: NodeModel[] = [];
  let model = start;
  sightings.forEach((s, i) => {
    model = nextNodeModel(model, s, 1_000_000 + i * 10_000, GRACE);
    out.push(model);
  });
  return out;
}
const downNode = () => run([see(healthy), ...Array.from({ length: 4 }, () => see(cut, 'silent'))]).at(-1);

describe('the node state machine', () => {
  it('forgives one lost poll: suspect, then healthy again, never down', () => {
    const states = run([see(healthy), see(cut, 'silent'), see(healthy), see(healthy)]).map((m) => m.health);
    expect(states).toEqual(['healthy', 'suspect', 'healthy', 'healthy']);
  });

  it('declares a node down only once it stayed bad for the grace period', () => {
    const states = run([see(healthy), ...Array.from({ length: 5 }, () => see(cut, 'silent'))]);
    expect(states.map((m) => m.health)).toEqual(['healthy', 'suspect', 'suspect', 'suspect', 'down', 'down']);
    expect(states[4]).toMatchObject({ cause: 'no-answer', badSince: 1_010_000, since: 1_040_000 });
  });

  it('tells a stopped node daemon from silence by the probe', () => {
    const states = run([see(healthy), ...Array.from({ length: 4 }, () => see(cut, 'noded-down'))]);
    expect(states.at(-1)).toMatchObject({ health: 'down', cause: 'noded-down' });
  });

  it('counts a node someone marked offline as lost, with that cause', () => {
    const states = run([see(healthy), ...Array.from({ length: 4 }, () => see(offline, 'silent'))]);
    expect(states.at(-1)).toMatchObject({ health: 'down', cause: 'marked-offline', offline: true });
  });

  it('notices a node marked offline answering again by its own probe, and keeps it returned until onlined', () => {
    const after = run(
      [see(offline, 'silent'), see(offline, 'answers'), see(offline, 'answers'), see(healthy), see(healthy)],
      downNode(),
    );
    expect(after.map((m) => m.health)).toEqual(['down', 'returned', 'returned', 'returned', 'healthy']);
  });

  it('goes straight back to down when a returned node falls silent again', () => {
    const states = run([see(offline, 'answers'), see(offline, 'silent')], downNode()).map((m) => m.health);
    expect(states).toEqual(['returned', 'down']);
  });

  it('takes a node already offline at first sight as planned maintenance, not an incident', () => {
    const states = run([see(offline, 'silent'), see(offline, 'silent'), see(healthy)]).map((m) => m.health);
    expect(states).toEqual(['offline-known', 'offline-known', 'healthy']);
  });

  it('keeps the last known memory total of a node that stopped answering, but not its free memory', () => {
    const [, suspect] = run([see(healthy), see(cut, 'silent')]);
    expect(suspect).toMatchObject({ memoryTotalMiB: 24105, memoryFreeMiB: null });
  });
});
