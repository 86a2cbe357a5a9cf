import { describe, expect, it } from 'vitest';
import { NODE_LIST_FIELDS, parseNodeList } from '../../../src/cluster/parsers/node-list.js';
import { readFixture, readFixtureRaw } from '../../support/fixtures.js';

describe('parseNodeList', () => {
  it('uses exactly the field list the fixtures were captured with', () => {
    const command = readFixtureRaw('gnt-node_list.fields.txt').split('\n')[0];
    expect(command).toBe(`$ gnt-node list --no-headers --separator='|' -o ${NODE_LIST_FIELDS.join(',')}`);
  });

  it('reads a healthy three-node cluster with master and candidates', () => {
    const nodes = parseNodeList(readFixture('gnt-node_list.fields.txt'));
    expect(nodes).toHaveLength(3);
    expect(nodes[0]).toEqual({
      name: 'node1.ganeti.test',
      role: 'master',
      offline: false,
      drained: false,
      masterCandidate: true,
      reachability: 'ok',
      memoryTotalMiB: 24105,
      memoryNodeMiB: 335,
      memoryFreeMiB: 23001,
      diskTotalMiB: 258019,
      diskFreeMiB: 80902,
      primaryInstances: 2,
      secondaryInstances: 0,
    });
    expect(nodes.map((node) => [node.name, node.role, node.primaryInstances])).toEqual([
      ['node1.ganeti.test', 'master', 2],
      ['node2.ganeti.test', 'candidate', 1],
      ['node3.ganeti.test', 'candidate', 1],
    ]);
  });

  it('gives the same MiB numbers with --units=m as with the default unit', () => {
    const nodes = parseNodeList(readFixture('gnt-node_list.fields-units-m.txt'));
    expect(nodes[1]).toMatchObject({ memoryTotalMiB: 24105, memoryFreeMiB: 23017, diskFreeMiB: 80902 });
  });

  it('marks a node whose live fields are ? as unreachable with unknown capacity', () => {
    const node3 = parseNodeList(readFixture('gnt-node_list.fields.node3-unreachable.txt'))[2];
    expect(node3).toEqual({
      name: 'node3.ganeti.test',
      role: 'candidate',
      offline: false,
      drained: false,
      masterCandidate: true,
      reachability: 'unreachable',
      memoryTotalMiB: null,
      memoryNodeMiB: null,
      memoryFreeMiB: null,
      diskTotalMiB: null,
      diskFreeMiB: null,
      primaryInstances: 1,
      secondaryInstances: 0,
    });
  });

  it('marks a node whose live fields are * as offline, keeping its instance counts', () => {
    const nodes = parseNodeList(readFixture('gnt-node_list.fields.node3-offline.txt'));
    expect(nodes[2]).toMatchObject({
      name: 'node3.ganeti.test',
      role: 'offline',
      offline: true,
      masterCandidate: false,
      reachability: 'offline',
      memoryFreeMiB: null,
      diskFreeMiB: null,
      primaryInstances: 2,
    });
    expect(nodes[0]?.reachability).toBe('ok');
  });

  it('reads a drained node as role drained and not a master candidate', () => {
    const node2 = parseNodeList(readFixture('gnt-node_list.fields.node2-drained.txt'))[1];
    expect(node2).toMatchObject({
      name: 'node2.ganeti.test',
      role: 'drained',
      drained: true,
      masterCandidate: false,
      reachability: 'ok',
      memoryFreeMiB: 23317,
    });
  });

  it('reads role R as a regular node', () => {
    const [node] = parseNodeList('node4.ganeti.test|1024|100|900|2048|1000|0|0|N|N|N|R\n');
    expect(node?.role).toBe('regular');
  });

  it('returns no nodes for empty output', () => {
    expect(parseNodeList('')).toEqual([]);
  });

  it('refuses a line with the wrong number of fields, naming the line', () => {
    expect(() => parseNodeList('node1.ganeti.test|24105|335\n')).toThrow(
      /gnt-node list: line 1 has 3 fields, expected 12/,
    );
  });

  it('refuses an unknown role letter and a flag that is not Y or N', () => {
    expect(() => parseNodeList('n1|1|1|1|1|1|0|0|N|N|Y|X')).toThrow(/unknown role "X" for node n1/);
    expect(() => parseNodeList('n1|1|1|1|1|1|0|0|yes|N|Y|M')).toThrow(/offline should be Y or N/);
  });

  it('refuses a memory value that is neither a number nor ? or *', () => {
    expect(() => parseNodeList('n1|1.5G|1|1|1|1|0|0|N|N|Y|M')).toThrow(/mtotal should be a number/);
  });
});
