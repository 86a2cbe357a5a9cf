import { describe, expect, it } from 'vitest';
import { NODE_HEALTH_FIELDS, parseNodeHealthList } from '../../../src/cluster/parsers/node-health-list.js';
import { argv } from '../../../src/cluster/argv.js';
import { readFixture, readFixtureRaw } from '../../support/fixtures.js';

describe('parseNodeHealthList (the monitor’s node poll, real lab output)', () => {
  it('is the command the fixtures were captured with', () => {
    const first = readFixtureRaw('gnt-node_list.health.txt').split('\n')[0];
    expect(first).toBe(`$ gnt-node list --no-headers --separator='|' -o ${NODE_HEALTH_FIELDS.join(',')}`);
    expect(argv.nodeHealth()).toEqual([
      'gnt-node',
      'list',
      '--no-headers',
      '--separator=|',
      '-o',
      NODE_HEALTH_FIELDS.join(','),
    ]);
  });

  it('reads a healthy node: address, role, figures, boot id and instance lists', () => {
    const [node1] = parseNodeHealthList(readFixture('gnt-node_list.health.txt'));
    expect(node1).toEqual({
      name: 'node1.ganeti.test',
      ip: '198.51.100.11',
      offline: false,
      drained: false,
      masterCandidate: true,
      role: 'master',
      live: 'ok',
      memoryTotalMiB: 24105,
      memoryFreeMiB: 23376,
      diskTotalMiB: 258019,
      diskFreeMiB: 81335,
      bootId: 'ff07ca66-0e98-4e72-bda4-d1981bbe6ef8',
      primaryInstances: ['inst1.ganeti.test', 'inst4.ganeti.test'],
      secondaryInstances: [],
    });
  });

  it('marks a node whose link is cut as unreachable, keeping its configuration fields', () => {
    const node3 = parseNodeHealthList(readFixture('gnt-node_list.health.node3-unreachable.txt'))[2];
    expect(node3).toMatchObject({
      live: 'unreachable',
      offline: false,
      role: 'candidate',
      memoryFreeMiB: null,
      bootId: null,
    });
    expect(node3?.primaryInstances).toEqual(['inst3.ganeti.test']);
  });

  it('cannot tell a stopped noded from a cut link: both are unreachable to Ganeti', () => {
    const node3 = parseNodeHealthList(readFixture('gnt-node_list.health.node3-noded-stopped.txt'))[2];
    expect(node3?.live).toBe('unreachable');
  });

  it('marks a node set offline with `*` as offline and no longer a candidate', () => {
    const node3 = parseNodeHealthList(readFixture('gnt-node_list.health.node3-offline.txt'))[2];
    expect(node3).toMatchObject({ live: 'offline', offline: true, role: 'offline', masterCandidate: false });
  });

  it('refuses a line with a missing field', () => {
    expect(() => parseNodeHealthList('node1|198.51.100.11|N\n')).toThrow(/expected 13/);
  });
});
