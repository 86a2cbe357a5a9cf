import { describe, expect, it } from 'vitest';
import { parseHtoolsFailure, parseShellAssignments } from '../../../src/cluster/parsers/htools-output.js';
import { readFixture } from '../../support/fixtures.js';

describe('parseHtoolsFailure', () => {
  it('names the node whose data is missing when a node does not answer', () => {
    expect(parseHtoolsFailure(readFixture('hcheck.L.node3-unreachable.stderr.txt'))).toEqual({
      message:
        "failed to load data, aborting: Node 'node3.ganeti.test', error while reading attribute 'mtotal': No data for a field",
      unreachableNode: 'node3.ganeti.test',
    });
    expect(parseHtoolsFailure(readFixture('hbal.L.node3-unreachable.stderr.txt'))?.unreachableNode).toBe(
      'node3.ganeti.test',
    );
  });

  it('finds no error in the "inconsistent data" warnings of a run that succeeded', () => {
    expect(parseHtoolsFailure(readFixture('hcheck.L-machine-readable.stderr.txt'))).toBeNull();
    expect(parseHtoolsFailure('')).toBeNull();
  });

  it('keeps other errors whole, with no node', () => {
    expect(parseHtoolsFailure('Error: Found multiple node groups:\n  default\n  other\n')).toEqual({
      message: 'Found multiple node groups: default other',
      unreachableNode: null,
    });
  });
});

describe('parseShellAssignments', () => {
  it('reads plain and single-quoted values', () => {
    const values = parseShellAssignments(
      'hspace',
      "HTS_OK=1\nHTS_TSPEC='1,2,3,4=1 5,6,7,8=2'\nHTS_EMPTY=''\n",
    );
    expect([...values]).toEqual([
      ['HTS_OK', '1'],
      ['HTS_TSPEC', '1,2,3,4=1 5,6,7,8=2'],
      ['HTS_EMPTY', ''],
    ]);
  });

  it('refuses a line that is not KEY=value, naming the program and line', () => {
    expect(() => parseShellAssignments('hcheck', 'HCHECK_OK=1\nWarning: something\n')).toThrow(
      /^hcheck: line 2 is not KEY=value/,
    );
  });
});
