import { describe, expect, it } from 'vitest';
import { INSTANCE_LIST_FIELDS, parseInstanceList } from '../../../src/cluster/parsers/instance-list.js';
import { readFixture, readFixtureRaw } from '../../support/fixtures.js';

const where = (stdout: string): Array<[string, string, string]> =>
  parseInstanceList(stdout).map((instance) => [instance.name, instance.primaryNode, instance.status]);

describe('parseInstanceList', () => {
  it('uses exactly the field list the fixtures were captured with', () => {
    const command = readFixtureRaw('gnt-instance_list.fields.txt').split('\n')[0];
    expect(command).toBe(
      `$ gnt-instance list --no-headers --separator='|' -o ${INSTANCE_LIST_FIELDS.join(',')}`,
    );
  });

  it('reads running and administratively stopped instances', () => {
    const instances = parseInstanceList(readFixture('gnt-instance_list.fields.txt'));
    expect(instances).toHaveLength(4);
    expect(instances[0]).toEqual({
      name: 'inst1.ganeti.test',
      primaryNode: 'node1.ganeti.test',
      secondaryNodes: [],
      status: 'running',
      running: true,
      adminState: 'up',
      diskTemplate: 'diskless',
      memoryMiB: 256,
      vcpus: 1,
      tags: [],
    });
    expect(instances[3]).toMatchObject({
      name: 'inst4.ganeti.test',
      status: 'ADMIN_down',
      running: false,
      adminState: 'down',
    });
  });

  it('gives unknown actual state for instances on an unreachable node', () => {
    const inst2 = parseInstanceList(readFixture('gnt-instance_list.fields.node3-unreachable.txt'))[1];
    expect(inst2).toMatchObject({
      name: 'inst2.ganeti.test',
      primaryNode: 'node3.ganeti.test',
      status: 'ERROR_nodedown',
      running: null,
      adminState: 'up',
      memoryMiB: 256,
    });
  });

  it('gives unknown actual state for instances on an offline node', () => {
    expect(where(readFixture('gnt-instance_list.fields.node3-offline.txt'))).toEqual([
      ['inst1.ganeti.test', 'node1.ganeti.test', 'running'],
      ['inst2.ganeti.test', 'node3.ganeti.test', 'ERROR_nodeoffline'],
      ['inst3.ganeti.test', 'node3.ganeti.test', 'ERROR_nodeoffline'],
      ['inst4.ganeti.test', 'node1.ganeti.test', 'ADMIN_down'],
    ]);
    expect(
      parseInstanceList(readFixture('gnt-instance_list.fields.node3-offline.txt'))[2]?.running,
    ).toBeNull();
  });

  it('splits comma-separated tags', () => {
    const inst1 = parseInstanceList(readFixture('gnt-instance_list.fields.with-tags.txt'))[0];
    expect(inst1?.tags).toEqual(['env:test', 'owner:alice']);
  });

  it('follows instances as they move between nodes', () => {
    expect(where(readFixture('gnt-instance_list.after-moves.txt')).map(([, node]) => node)).toEqual([
      'node1.ganeti.test',
      'node3.ganeti.test',
      'node2.ganeti.test',
      'node1.ganeti.test',
    ]);
    expect(where(readFixture('gnt-instance_list.after-evacuate.txt')).map(([, node]) => node)).toEqual([
      'node1.ganeti.test',
      'node3.ganeti.test',
      'node3.ganeti.test',
      'node1.ganeti.test',
    ]);
    expect(
      where(readFixture('gnt-instance_list.fields.after-evacuate-offline.txt')).map(([, node]) => node),
    ).toEqual(['node1.ganeti.test', 'node2.ganeti.test', 'node2.ganeti.test', 'node1.ganeti.test']);
  });

  it('reports instances as running on their new node after the old node came back', () => {
    const instances = parseInstanceList(readFixture('gnt-instance_list.after-online-stale-instances.txt'));
    expect(instances.filter((instance) => instance.running).map((instance) => instance.name)).toEqual([
      'inst1.ganeti.test',
      'inst2.ganeti.test',
      'inst3.ganeti.test',
    ]);
    expect(instances[1]?.primaryNode).toBe('node2.ganeti.test');
  });

  it('splits comma-separated secondary nodes', () => {
    const [instance] = parseInstanceList(
      'web.ganeti.test|node1.ganeti.test|node2.ganeti.test,node3.ganeti.test|running|Y|up|drbd|1024|2|\n',
    );
    expect(instance?.secondaryNodes).toEqual(['node2.ganeti.test', 'node3.ganeti.test']);
  });

  it('refuses a line with the wrong number of fields', () => {
    expect(() => parseInstanceList('inst1.ganeti.test|node1.ganeti.test|running\n')).toThrow(
      /gnt-instance list: line 1 has 3 fields, expected 10/,
    );
  });

  it('refuses an oper_state that is not Y, N or ?', () => {
    expect(() => parseInstanceList('i|n||running|maybe|up|diskless|256|1|')).toThrow(
      /oper_state of i should be Y, N or \?/,
    );
  });
});
