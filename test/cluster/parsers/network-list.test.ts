import { describe, expect, it } from 'vitest';
import { NETWORK_LIST_FIELDS, parseNetworkList } from '../../../src/cluster/parsers/network-list.js';
import { readFixture, readFixtureRaw } from '../../support/fixtures.js';

describe('parseNetworkList', () => {
  it('uses exactly the field list the fixtures were captured with', () => {
    for (const name of ['gnt-network_list.fields.txt', 'gnt-network_list.fields.empty.txt']) {
      const command = readFixtureRaw(name).split('\n')[0];
      expect(command).toBe(
        `$ gnt-network list --no-headers --separator='|' -o ${NETWORK_LIST_FIELDS.join(',')}`,
      );
    }
  });

  it('reads a network with a gateway and one whose gateway Ganeti prints as -', () => {
    expect(parseNetworkList(readFixture('gnt-network_list.fields.txt'))).toEqual([
      { name: 'lab-net1', subnet: '10.99.0.0/24', gateway: '10.99.0.1' },
      { name: 'lab-net2', subnet: '10.98.0.0/28', gateway: null },
    ]);
  });

  it('returns no networks for a cluster without any (empty output)', () => {
    expect(parseNetworkList(readFixture('gnt-network_list.fields.empty.txt'))).toEqual([]);
    expect(parseNetworkList('')).toEqual([]);
  });

  it('refuses a line with the wrong number of fields, naming the line', () => {
    expect(() => parseNetworkList('lab-net1|10.99.0.0/24\n')).toThrow(
      /gnt-network list: line 1 has 2 fields, expected 3/,
    );
  });

  it('refuses a line without a name or a subnet', () => {
    expect(() => parseNetworkList('lab-net1||-\n')).toThrow(
      /gnt-network list: line 1 has no name or no subnet/,
    );
    expect(() => parseNetworkList('|10.99.0.0/24|-\n')).toThrow(/line 1 has no name or no subnet/);
  });
});
