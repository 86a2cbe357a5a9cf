import { describe, expect, it } from 'vitest';
import { parseGetMaster } from '../../../src/cluster/parsers/getmaster.js';
import { readFixture } from '../../support/fixtures.js';

describe('parseGetMaster', () => {
  it('reads the master node name', () => {
    expect(parseGetMaster(readFixture('gnt-cluster_getmaster.txt'))).toBe('node1.ganeti.test');
  });

  it('refuses empty output', () => {
    expect(() => parseGetMaster('\n')).toThrow(/expected one node name/);
  });

  it('refuses output that is not a single name', () => {
    expect(() => parseGetMaster('node1.ganeti.test\nnode2.ganeti.test\n')).toThrow(/expected one node name/);
    expect(() => parseGetMaster('Failure: something broke\n')).toThrow(/expected one node name/);
  });
});
