import { describe, expect, it } from 'vitest';
import { argv } from '../../../src/cluster/argv.js';
import { parseClusterInfo } from '../../../src/cluster/parsers/cluster-info.js';
import { readFixture, readFixtureRaw } from '../../support/fixtures.js';

const INFO = readFixture('gnt-cluster_info.txt');

describe('parseClusterInfo', () => {
  it('was captured with the argv the client builds', () => {
    expect(readFixtureRaw('gnt-cluster_info.txt').split('\n')[0]).toBe(`$ ${argv.clusterInfo().join(' ')}`);
  });

  it('reads the lab cluster’s name, master, hypervisors, disk templates, allocator and NIC defaults', () => {
    expect(parseClusterInfo(INFO)).toEqual({
      name: 'cluster.ganeti.test',
      master: 'node1.ganeti.test',
      enabledHypervisors: ['fake'],
      enabledDiskTemplates: ['diskless', 'file'],
      defaultIallocator: 'hail',
      nicMode: 'routed',
      nicLink: '100',
    });
  });

  it('reads the enabled templates from Cluster parameters, not the policy’s allowed ones', () => {
    const edited = INFO.replace(
      '  enabled disk templates: diskless, file',
      '  enabled disk templates: drbd, plain',
    );
    expect(parseClusterInfo(edited).enabledDiskTemplates).toEqual(['drbd', 'plain']);
  });

  it('gives null for an empty allocator and empty NIC mode and link', () => {
    const edited = INFO.replace('  default instance allocator: hail', '  default instance allocator: ')
      .replace('    link: 100', '    link: ')
      .replace('    mode: routed', '    mode: ');
    expect(parseClusterInfo(edited)).toMatchObject({ defaultIallocator: null, nicMode: null, nicLink: null });
  });

  it('reads several hypervisors and bridged NICs', () => {
    const edited = INFO.replace('Enabled hypervisors: fake', 'Enabled hypervisors: kvm, xen-pvm')
      .replace('    link: 100', '    link: br0')
      .replace('    mode: routed', '    mode: bridged');
    expect(parseClusterInfo(edited)).toMatchObject({
      enabledHypervisors: ['kvm', 'xen-pvm'],
      nicMode: 'bridged',
      nicLink: 'br0',
    });
  });

  it('refuses output without a Cluster name line, naming it', () => {
    const edited = INFO.replace(/^Cluster name: .*\n/m, '');
    expect(() => parseClusterInfo(edited)).toThrow(/gnt-cluster info: no "Cluster name:" line/);
  });

  it('refuses output without an enabled disk templates line, naming it', () => {
    const edited = INFO.replace(/^ {2}enabled disk templates: .*\n/m, '');
    expect(() => parseClusterInfo(edited)).toThrow(/gnt-cluster info: no "enabled disk templates:" line/);
  });

  it('refuses an error message or empty output', () => {
    expect(() => parseClusterInfo('')).toThrow(/no "Cluster name:" line/);
    expect(() => parseClusterInfo('Failure: command execution error:\nCannot connect\n')).toThrow(
      /gnt-cluster info: no "Cluster name:" line/,
    );
  });
});
