import { describe, expect, it } from 'vitest';
import {
  parseGanetiErrorType,
  parseGanetiFailure,
  parseNotMasterHint,
  parseSubmittedJobId,
} from '../../../src/cluster/parsers/submit-output.js';
import { readFixture } from '../../support/fixtures.js';

describe('parseSubmittedJobId', () => {
  it('reads the job id that --submit prints on stderr', () => {
    expect(parseSubmittedJobId(readFixture('gnt-instance_failover.submit.stderr.txt'))).toBe(20);
    expect(parseSubmittedJobId(readFixture('gnt-instance_migrate.submit.stderr.txt'))).toBe(23);
    // Accepted at submission even though the job fails later (bad target node).
    expect(parseSubmittedJobId(readFixture('error.gnt-instance_failover.submit-bad-target.stderr.txt'))).toBe(
      26,
    );
  });

  it('gives null when stderr holds no job id', () => {
    expect(parseSubmittedJobId(readFixture('error.gnt-instance_failover.nonexistent.stderr.txt'))).toBeNull();
    expect(parseSubmittedJobId('')).toBeNull();
  });
});

describe('parseGanetiFailure', () => {
  it.each([
    [
      'error.gnt-node_list.on-non-master.stderr.txt',
      "prerequisites not met for this operation: This is not the master node, please connect to node 'node2.ganeti.test' and rerun the command",
    ],
    [
      'error.gnt-instance_failover.nonexistent.stderr.txt',
      "prerequisites not met for this operation: Instance 'nosuch.ganeti.test' not known",
    ],
    [
      'error.gnt-instance_failover.single-node.stderr.txt',
      "prerequisites not met for this operation: Can't compute nodes using iallocator 'hail': Request failed: Can't find any good node",
    ],
    [
      'error.gnt-instance_failover.node3-unreachable.stderr.txt',
      "command execution error: Can't get data for node node3.ganeti.test: Error 7: Failed to connect to 198.51.100.13 port 1811 after 3067 ms: Couldn't connect to server",
    ],
    [
      'error.gnt-instance_info.nonexistent.stderr.txt',
      "prerequisites not met for this operation: Instance 'nosuch.ganeti.test' not known",
    ],
    [
      'error.gnt-instance_migrate.node3-unreachable.stderr.txt',
      "command execution error: Can't get data for node node3.ganeti.test: Error 7: Failed to connect to 198.51.100.13 port 1811 after 3060 ms: Couldn't connect to server",
    ],
    [
      'error.gnt-instance_migrate.from-offline-node.stderr.txt',
      "prerequisites not met for this operation: Can't migrate, please use failover: Node is marked offline",
    ],
    [
      'error.gnt-instance_migrate.same-node.stderr.txt',
      'prerequisites not met for this operation: Cannot migrate instance inst1.ganeti.test to its primary (node1.ganeti.test)',
    ],
    [
      'error.gnt-instance_migrate.to-offline-node.stderr.txt',
      "prerequisites not met for this operation: Can't get data from node node3.ganeti.test: Node is marked offline",
    ],
    [
      'error.gnt-instance_startup.offline-node.stderr.txt',
      "prerequisites not met for this operation: Can't use offline node: node3.ganeti.test",
    ],
    [
      'error.gnt-instance_shutdown.offline-node.stderr.txt',
      "prerequisites not met for this operation: Can't use offline node: node3.ganeti.test",
    ],
    [
      'error.gnt-job_watch.failed-job.stderr.txt',
      "prerequisites not met for this operation: Node 'nosuchnode.ganeti.test' not known",
    ],
    ['error.gnt-job_watch.nonexistent.stderr.txt', "Error checking job status: Can't load job file"],
    [
      'gnt-node_list-storage.stderr.txt',
      "prerequisites not met for this operation: Storage reporting for storage type 'diskless' is not supported. Please use the --storage-type option to specify one of the supported storage types (gluster, sharedfile, lvm-pv, file, lvm-vg) or set the default disk template to one that supports storage reporting.",
    ],
  ])('turns %s into one readable message', (fixture, message) => {
    expect(parseGanetiFailure(readFixture(fixture))).toBe(message);
  });

  it('skips the ssh noise before the failure', () => {
    expect(parseGanetiFailure(readFixture('error.gnt-node_add.no-ssh-auth.txt'))).toMatch(
      /^command execution error: Command 'ssh .*prepare-node-join'' failed: exited with exit code 255$/,
    );
  });

  it('gives null when stderr holds only warnings or a job id', () => {
    expect(parseGanetiFailure(readFixture('gnt-instance_list.output-json.stderr.txt'))).toBeNull();
    expect(parseGanetiFailure(readFixture('gnt-node_add.readd.stderr.txt'))).toBeNull();
    expect(parseGanetiFailure(readFixture('gnt-instance_failover.submit.stderr.txt'))).toBeNull();
    expect(parseGanetiFailure('')).toBeNull();
  });
});

describe('parseGanetiErrorType', () => {
  it('reads the error type of a prerequisite failure', () => {
    expect(parseGanetiErrorType(readFixture('error.gnt-instance_failover.nonexistent.stderr.txt'))).toBe(
      'unknown_entity',
    );
    expect(parseGanetiErrorType(readFixture('error.gnt-instance_startup.offline-node.stderr.txt'))).toBe(
      'wrong_state',
    );
  });

  it('gives null when the failure has no error type', () => {
    expect(parseGanetiErrorType(readFixture('gnt-node_list-storage.stderr.txt'))).toBeNull();
  });
});

describe('parseNotMasterHint', () => {
  it('names the node to connect to when a command ran on a node that is not master', () => {
    expect(parseNotMasterHint(readFixture('error.gnt-node_list.on-non-master.stderr.txt'))).toBe(
      'node2.ganeti.test',
    );
  });

  it('gives null for other failures', () => {
    expect(parseNotMasterHint(readFixture('error.gnt-instance_failover.nonexistent.stderr.txt'))).toBeNull();
  });
});
