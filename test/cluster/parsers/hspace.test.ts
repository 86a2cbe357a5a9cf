import { describe, expect, it } from 'vitest';
import { parseHspace } from '../../../src/cluster/parsers/hspace.js';
import { readFixture, readFixtureRaw } from '../../support/fixtures.js';

describe('parseHspace', () => {
  it('was captured with the argv the client runs', () => {
    expect(readFixtureRaw('hspace.L-machine-readable.txt').split('\n')[0]).toBe(
      '$ hspace -L --machine-readable',
    );
  });

  it('reads the cluster, the standard-spec count with its limit, and the tiered sizes', () => {
    expect(parseHspace(readFixture('hspace.L-machine-readable.txt'))).toEqual({
      cluster: { nodes: 3, memoryMiB: 72315, diskMiB: 774057, cpus: 6, vcpus: 24 },
      instances: 4,
      standard: {
        spec: { memoryMiB: 128, diskMiB: 1024, cpus: 1 },
        diskTemplate: 'diskless',
        fits: 14,
        limitedBy: 'CPU',
      },
      tiered: {
        startSpec: { memoryMiB: 32768, diskMiB: 1048576, cpus: 8 },
        diskTemplate: 'diskless',
        fits: 2,
        sizes: [
          { memoryMiB: 23296, diskMiB: 1048576, cpus: 5, count: 1 },
          { memoryMiB: 23040, diskMiB: 1048576, cpus: 5, count: 1 },
        ],
      },
    });
  });

  it('agrees with the counts hspace itself gives (tiered: final minus initial instances)', () => {
    const stdout = readFixture('hspace.L-machine-readable.txt');
    const trl = Number(/^HTS_TRL_INST_CNT=(\d+)$/m.exec(stdout)?.[1]);
    const ini = Number(/^HTS_INI_INST_CNT=(\d+)$/m.exec(stdout)?.[1]);
    expect(parseHspace(stdout).tiered?.fits).toBe(trl - ini);
  });

  it('reads an empty tiered result and the older three-number spec entries', () => {
    const base = readFixture('hspace.L-machine-readable.txt');
    expect(parseHspace(base.replace(/^HTS_TSPEC=.*$/m, "HTS_TSPEC=''")).tiered).toMatchObject({
      fits: 0,
      sizes: [],
    });
    expect(parseHspace(base.replace(/^HTS_TSPEC=.*$/m, "HTS_TSPEC='1024,2048,1=3'")).tiered?.sizes).toEqual([
      { memoryMiB: 1024, diskMiB: 2048, cpus: 1, count: 3 },
    ]);
  });

  it('refuses output cut short before HTS_OK=1', () => {
    const cut = readFixture('hspace.L-machine-readable.txt').replace('HTS_OK=1', '');
    expect(() => parseHspace(cut)).toThrow(/HTS_OK=1/);
  });
});
