import { describe, expect, it } from 'vitest';
import {
  parseClusterVerify,
  parseVerifyStepLine,
  resolveVerifyUuids,
} from '../../../src/cluster/parsers/cluster-verify.js';
import { parseNodeUuids } from '../../../src/cluster/parsers/node-uuids.js';
import { readFixture } from '../../support/fixtures.js';

const STEPS = [
  'Verifying cluster config',
  'Verifying cluster certificate files',
  'Verifying hypervisor parameters',
  'Verifying all nodes belong to an existing group',
  "Verifying group 'default'",
  'Gathering data (3 nodes)',
  'Gathering information about nodes (3 nodes)',
  'Gathering disk information (3 nodes)',
  'Verifying configuration file consistency',
  'Verifying node status',
  'Verifying instance status',
  'Verifying orphan volumes',
  'Verifying N+1 Memory redundancy',
  'Other Notes',
  'Hooks Results',
];

describe('parseClusterVerify', () => {
  it('reads a healthy cluster as its jobs and steps with no findings', () => {
    expect(parseClusterVerify(readFixture('gnt-cluster_verify.healthy.txt'))).toEqual({
      jobIds: [14, 15],
      steps: STEPS,
      findings: [],
    });
    expect(parseClusterVerify(readFixture('gnt-cluster_verify.error-codes.healthy.txt'))).toEqual({
      jobIds: [15, 16],
      steps: STEPS,
      findings: [],
    });
  });

  it('reads an unreachable node as errors under the step that found them', () => {
    const report = parseClusterVerify(readFixture('gnt-cluster_verify.node3-unreachable.txt'));
    expect(report.jobIds).toEqual([61, 62]);
    expect(report.findings).toHaveLength(11);
    expect(report.findings[0]).toEqual({
      severity: 'ERROR',
      code: null,
      itemType: 'node',
      item: 'node3.ganeti.test',
      message: 'Could not verify the SSH setup of this node.',
      step: 'Verifying configuration file consistency',
    });
    expect(report.findings[2]).toEqual({
      severity: 'ERROR',
      code: null,
      itemType: 'node',
      item: 'node1.ganeti.test',
      message:
        "ssh communication with node 'node3.ganeti.test': ssh problem: ssh: connect to host node3.ganeti.test port 22: No route to host",
      step: 'Verifying node status',
    });
    expect(report.findings[7]).toMatchObject({
      itemType: 'instance',
      item: 'inst2.ganeti.test',
      message: 'instance not running on its primary node node3.ganeti.test',
      step: 'Verifying instance status',
    });
    expect(report.findings[9]).toEqual({
      severity: 'WARNING',
      code: null,
      itemType: null,
      item: null,
      message:
        "Communication failure to node 9fc8b4a1-0f5a-4225-8e69-94528e999108: Error 7: Failed to connect to 198.51.100.13 port 1811 after 3065 ms: Couldn't connect to server",
      step: 'Other Notes',
    });
    expect(report.findings[10]).toMatchObject({
      severity: 'ERROR',
      itemType: 'node',
      item: '9fc8b4a1-0f5a-4225-8e69-94528e999108',
      step: 'Hooks Results',
    });
  });

  it('reads --error-codes lines with their code, item type and item', () => {
    const report = parseClusterVerify(readFixture('gnt-cluster_verify.error-codes.node3-unreachable.txt'));
    expect(report.jobIds).toEqual([18, 19]);
    expect(report.findings.map((finding) => [finding.code, finding.item])).toEqual([
      ['ENODESSH', 'node3.ganeti.test'],
      ['ENODEFILECHECK', 'node3.ganeti.test'],
      ['ENODERPC', 'node3.ganeti.test'],
      ['ENODESSH', 'node2.ganeti.test'],
      ['ENODENET', 'node2.ganeti.test'],
      ['ENODESSH', 'node1.ganeti.test'],
      ['ENODENET', 'node1.ganeti.test'],
      ['EINSTANCEDOWN', 'inst3.ganeti.test'],
      ['ENODERPC', 'node3.ganeti.test'],
      [null, null],
      ['ENODEHOOKS', 'ffa32023-b70c-4797-8613-8b8b6ee6da64'],
    ]);
    expect(report.findings[2]).toEqual({
      severity: 'ERROR',
      code: 'ENODERPC',
      itemType: 'node',
      item: 'node3.ganeti.test',
      message:
        "while contacting node: Error 7: Failed to connect to 198.51.100.13 port 1811 after 3063 ms: Couldn't connect to server",
      step: 'Verifying node status',
    });
    expect(report.findings[7]?.itemType).toBe('instance');
  });

  it('drops the literal \\n that ends ssh messages', () => {
    const report = parseClusterVerify(readFixture('gnt-cluster_verify.error-codes.node3-unreachable.txt'));
    expect(report.findings[3]?.message).toBe(
      "ssh communication with node 'node3.ganeti.test': ssh problem: ssh: connect to host node3.ganeti.test port 22: Connection timed out",
    );
  });

  it('reads an offline node as instance errors plus a notice', () => {
    const report = parseClusterVerify(readFixture('gnt-cluster_verify.node3-offline.txt'));
    expect(report.findings).toEqual([
      {
        severity: 'ERROR',
        code: null,
        itemType: 'instance',
        item: 'inst2.ganeti.test',
        message: 'instance is marked as running and lives on offline node node3.ganeti.test',
        step: 'Verifying instance status',
      },
      {
        severity: 'ERROR',
        code: null,
        itemType: 'instance',
        item: 'inst3.ganeti.test',
        message: 'instance is marked as running and lives on offline node node3.ganeti.test',
        step: 'Verifying instance status',
      },
      {
        severity: 'NOTICE',
        code: null,
        itemType: null,
        item: null,
        message: '1 offline node(s) found.',
        step: 'Other Notes',
      },
    ]);
  });

  it('reads a node whose daemon is stopped', () => {
    const report = parseClusterVerify(readFixture('gnt-cluster_verify.node2-noded-stopped.txt'));
    expect(report.jobIds).toEqual([73, 74]);
    expect(report.findings.filter((finding) => finding.item === 'node2.ganeti.test')).toHaveLength(5);
    expect(report.findings.map((finding) => finding.severity)).toEqual([
      ...Array<string>(7).fill('ERROR'),
      'WARNING',
      'ERROR',
    ]);
  });

  it('reads a rebooted node as its instance not running', () => {
    expect(parseClusterVerify(readFixture('gnt-cluster_verify.node3-rebooted.txt')).findings).toEqual([
      {
        severity: 'ERROR',
        code: null,
        itemType: 'instance',
        item: 'inst2.ganeti.test',
        message: 'instance not running on its primary node node3.ganeti.test',
        step: 'Verifying instance status',
      },
    ]);
  });

  it('reads stale instances on a node brought back online', () => {
    const stale = parseClusterVerify(readFixture('gnt-cluster_verify.after-online-stale-instances.txt'));
    expect(stale.findings.map((finding) => [finding.item, finding.message, finding.step])).toEqual([
      ['inst3.ganeti.test', 'instance should not run on node node3.ganeti.test', 'Verifying node status'],
      ['inst2.ganeti.test', 'instance should not run on node node3.ganeti.test', 'Verifying node status'],
    ]);
    const readd = parseClusterVerify(readFixture('gnt-cluster_verify.after-readd.txt'));
    expect(readd.jobIds).toEqual([70, 71]);
    expect(readd.findings.map((finding) => finding.item)).toEqual(['inst2.ganeti.test']);
  });

  it('reads a node setup error on a single-node cluster', () => {
    const report = parseClusterVerify(readFixture('gnt-cluster_verify.single-node-unpatched-sysrq.txt'));
    expect(report.steps).toContain('Gathering data (1 nodes)');
    expect(report.findings).toEqual([
      {
        severity: 'ERROR',
        code: null,
        itemType: 'node',
        item: 'node1.ganeti.test',
        message:
          "node setup error: The procfs filesystem doesn't seem to be mounted under /proc, missing required directory /proc/sys and the file /proc/sysrq-trigger",
        step: 'Verifying node status',
      },
    ]);
  });

  // Ganeti's format for findings without an item (verify.py _ErrorMsgList) and LogWarning hints.
  it('reads cluster-wide findings, which have no item, and attaches hints', () => {
    const report = parseClusterVerify(
      [
        'Tue Nov  3 02:40:29 2026 * Verifying cluster config',
        'Tue Nov  3 02:40:29 2026   - ERROR: cluster : the cluster has no master candidates',
        'Tue Nov  3 02:40:29 2026   - WARNING:ECLUSTERCFG:cluster::configuration is odd',
        'Tue Nov  3 02:40:29 2026  - WARNING: something to look at',
        'Tue Nov  3 02:40:29 2026       Hint: look at it',
      ].join('\n'),
    );
    expect(report.steps).toEqual(['Verifying cluster config']);
    expect(
      report.findings.map(({ code, itemType, item, message }) => [code, itemType, item, message]),
    ).toEqual([
      [null, 'cluster', null, 'the cluster has no master candidates'],
      ['ECLUSTERCFG', 'cluster', null, 'configuration is odd'],
      [null, null, null, 'something to look at Hint: look at it'],
    ]);
  });

  it('returns an empty report for empty output', () => {
    expect(parseClusterVerify('')).toEqual({ jobIds: [], steps: [], findings: [] });
  });
});

describe('parseVerifyStepLine', () => {
  it('gives the step name of a progress line, with or without its timestamp', () => {
    expect(parseVerifyStepLine('Tue Nov 24 02:40:30 2026 * Gathering data (3 nodes)')).toBe(
      'Gathering data (3 nodes)',
    );
    expect(parseVerifyStepLine('* Verifying node status')).toBe('Verifying node status');
  });

  it('gives null for findings and other lines', () => {
    expect(
      parseVerifyStepLine(
        'Tue Nov 24 02:47:28 2026   - ERROR: instance inst2.ganeti.test: instance should not run',
      ),
    ).toBeNull();
    expect(parseVerifyStepLine('Waiting for job 15 ...')).toBeNull();
    expect(parseVerifyStepLine('Submitted jobs 14, 15')).toBeNull();
  });
});

describe('resolveVerifyUuids', () => {
  it('names hooks-result nodes given by UUID, in the item and in the message', () => {
    const report = parseClusterVerify(readFixture('gnt-cluster_verify.node2-noded-stopped.txt'));
    // The node UUIDs of the cluster build this fixture was captured on.
    const uuids = new Map([['2b6bae1b-9e46-464f-bfe7-69106d2226f2', 'node2.ganeti.test']]);
    const resolved = resolveVerifyUuids(report, uuids);
    expect(resolved.findings.slice(-2).map((finding) => [finding.item, finding.message])).toEqual([
      [
        null,
        "Communication failure to node node2.ganeti.test: Error 7: Failed to connect to 198.51.100.12 port 1811 after 84 ms: Couldn't connect to server",
      ],
      [
        'node2.ganeti.test',
        "Communication failure in hooks execution: Error 7: Failed to connect to 198.51.100.12 port 1811 after 84 ms: Couldn't connect to server",
      ],
    ]);
    expect(report.findings.at(-1)?.item).toBe('2b6bae1b-9e46-464f-bfe7-69106d2226f2');
  });

  it('leaves UUIDs it does not know as they are', () => {
    const report = parseClusterVerify(readFixture('gnt-cluster_verify.error-codes.node3-unreachable.txt'));
    const resolved = resolveVerifyUuids(report, parseNodeUuids(readFixture('gnt-node_list.name-uuid.txt')));
    expect(resolved.findings.at(-1)?.item).toBe('ffa32023-b70c-4797-8613-8b8b6ee6da64');
    expect(resolved).toEqual(report);
  });

  it('resolves with the map parseNodeUuids builds from the live cluster', () => {
    const uuids = parseNodeUuids(readFixture('gnt-node_list.name-uuid.txt'));
    const report = parseClusterVerify(
      'Tue Nov 24 03:21:10 2026   - ERROR: node 4bd35252-4f84-446c-9718-1b6e795d638d: ' +
        'Communication failure in hooks execution: node 4bd35252-4f84-446c-9718-1b6e795d638d',
    );
    expect(resolveVerifyUuids(report, uuids).findings[0]).toMatchObject({
      item: 'node3.ganeti.test',
      message: 'Communication failure in hooks execution: node node3.ganeti.test',
    });
  });
});
