import { describe, expect, it } from 'vitest';
import { NODE_UUID_FIELDS, parseNodeUuids } from '../../../src/cluster/parsers/node-uuids.js';
import { readFixture, readFixtureRaw } from '../../support/fixtures.js';

describe('parseNodeUuids', () => {
  it('uses exactly the field list the fixture was captured with', () => {
    const command = readFixtureRaw('gnt-node_list.name-uuid.txt').split('\n')[0];
    expect(command).toBe(`$ gnt-node list --no-headers --separator='|' -o ${NODE_UUID_FIELDS.join(',')}`);
  });

  it('maps each node UUID to its name', () => {
    expect(parseNodeUuids(readFixture('gnt-node_list.name-uuid.txt'))).toEqual(
      new Map([
        ['0ffdadeb-315d-4e62-a8cd-981beed3ee71', 'node1.ganeti.test'],
        ['588f7640-c092-43f2-8301-1a2b1a7b424b', 'node2.ganeti.test'],
        ['4bd35252-4f84-446c-9718-1b6e795d638d', 'node3.ganeti.test'],
      ]),
    );
  });

  it('refuses a line without a UUID column', () => {
    expect(() => parseNodeUuids('node1.ganeti.test\n')).toThrow(/line 1 has 1 fields, expected 2/);
  });
});
