import { describe, expect, it } from 'vitest';
import { parseInstanceInfo } from '../../../src/cluster/parsers/instance-info.js';
import { UserError } from '../../../src/core/errors.js';
import { readFixture } from '../../support/fixtures.js';

describe('parseInstanceInfo', () => {
  it('reads a diskless instance on the fake hypervisor', () => {
    expect(parseInstanceInfo(readFixture('gnt-instance_info.inst1.txt'))).toEqual({
      name: 'inst1.ganeti.test',
      uuid: 'b3839464-64e3-4595-9db1-4c4a427f8592',
      state: { configured: 'up', actual: 'up' },
      primaryNode: 'node1.ganeti.test',
      secondaryNodes: [],
      os: 'noop',
      hypervisor: 'fake',
      diskTemplate: 'diskless',
      memoryMiB: 256,
      vcpus: 1,
      nics: [{ mac: 'aa:00:00:47:f8:29', ip: '198.51.100.101', mode: 'routed', link: '100' }],
      disks: [],
      createdAt: '2026-11-24 02:39:31',
      modifiedAt: '2026-11-24 02:39:32',
      networkPort: null,
      hypervisorParams: {},
    });
  });

  it('throws a not_found UserError for the empty stdout of an unknown instance', () => {
    const stdout = readFixture('error.gnt-instance_info.nonexistent.txt');
    expect(stdout).toBe('');
    let caught: unknown;
    try {
      parseInstanceInfo(stdout, 'nosuch.ganeti.test');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UserError);
    expect(caught).toMatchObject({
      code: 'not_found',
      userMessage: 'Instance nosuch.ganeti.test was not found on the cluster.',
    });
  });

  it('treats "No instances." as not found', () => {
    expect(() => parseInstanceInfo('No instances.\n')).toThrow(/The instance was not found/);
  });

  it('refuses output that is not an instance description', () => {
    expect(() => parseInstanceInfo('Usage: gnt-instance info\n')).toThrow(/not an instance description/);
  });

  // Ganeti's own layout (gnt_instance.py _FormatInstanceInfo / _FormatBlockDevInfo) for what the
  // diskless lab cannot show: secondaries, disks, a static query and hypervisor parameters.
  it('reads secondaries, disks, effective hypervisor parameters and a state without actual part', () => {
    const stdout = [
      '- Instance name: web.ganeti.test',
      '  UUID: 5a0c7d52-0000-4000-8000-000000000001',
      '  State: configured to be up',
      '  Nodes: ',
      '    - primary: node1.ganeti.test',
      '      group: default (UUID 9f28b1b2-cbe4-4cac-a469-72d52c00f9f4)',
      '    - secondaries: node2.ganeti.test (group default, group UUID 9f28b1b2-cbe4-4cac-a469-72d52c00f9f4)',
      '  Allocated network port: 11000',
      '  Hypervisor: kvm',
      '  Hypervisor parameters: ',
      '    kernel_path: default ()',
      '    vnc_bind_address: 0.0.0.0',
      '  Back-end parameters: ',
      '    maxmem: default (1024)',
      '    vcpus: 2',
      '  Disk template: drbd',
      '  Disks: ',
      '    - disk/0: drbd, size 10.0G',
      '      access mode: rw',
      '      on primary: /dev/drbd0 (147:0) in sync, status ok',
      '      name: None',
      '    - disk/1: drbd, size 512M',
      '      access mode: rw',
    ].join('\n');
    expect(parseInstanceInfo(stdout)).toMatchObject({
      name: 'web.ganeti.test',
      state: { configured: 'up', actual: 'unknown' },
      primaryNode: 'node1.ganeti.test',
      secondaryNodes: ['node2.ganeti.test'],
      networkPort: '11000',
      memoryMiB: 1024,
      vcpus: 2,
      disks: [
        { name: 'disk/0', size: '10.0G' },
        { name: 'disk/1', size: '512M' },
      ],
      hypervisorParams: { kernel_path: '', vnc_bind_address: '0.0.0.0' },
      nics: [],
    });
  });
});
