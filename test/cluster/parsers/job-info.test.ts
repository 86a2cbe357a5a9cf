import { describe, expect, it } from 'vitest';
import { parseJobInfo } from '../../../src/cluster/parsers/job-info.js';
import { readFixture } from '../../support/fixtures.js';

describe('parseJobInfo', () => {
  it('reads a successful failover job with its times and execution log', () => {
    const job = parseJobInfo(readFixture('gnt-job_info.failover.txt'));
    expect(job).toMatchObject({
      id: 20,
      status: 'success',
      receivedAt: '2026-11-24 02:40:54.553185',
      startedAt: '2026-11-24 02:40:55.121407',
      endedAt: '2026-11-24 02:40:57.708283',
      totalSeconds: 3.155098,
      opcodes: [{ opcode: 'OP_INSTANCE_FAILOVER', status: 'success', error: null }],
      reasons: [],
    });
    expect(job?.log).toHaveLength(8);
    expect(job?.log[0]).toEqual({
      time: '2026-11-24 02:40:56.289886',
      message: '- INFO: Selected nodes for instance inst2.ganeti.test via iallocator hail: node3.ganeti.test',
    });
    expect(job?.log[7]).toEqual({
      time: '2026-11-24 02:40:57.062044',
      message: '* starting the instance on the target node node3.ganeti.test',
    });
  });

  it('reads a successful migrate job', () => {
    const job = parseJobInfo(readFixture('gnt-job_info.migrate.txt'));
    expect(job?.id).toBe(23);
    expect(job?.opcodes).toEqual([{ opcode: 'OP_INSTANCE_MIGRATE', status: 'success', error: null }]);
    expect(job?.log.map((entry) => entry.message).at(-1)).toBe('* done');
    expect(job?.log).toHaveLength(12);
  });

  it('gives the error class and message of a failed opcode', () => {
    const job = parseJobInfo(readFixture('error.gnt-job_info.failed-job.txt'));
    expect(job).toMatchObject({ id: 26, status: 'error', totalSeconds: 0.775345, log: [] });
    expect(job?.opcodes).toEqual([
      {
        opcode: 'OP_INSTANCE_FAILOVER',
        status: 'error',
        error: { kind: 'OpPrereqError', message: "Node 'nosuchnode.ganeti.test' not known" },
      },
    ]);
  });

  it('returns null for a job Ganeti does not know', () => {
    expect(parseJobInfo(readFixture('error.gnt-job_info.nonexistent.txt'))).toBeNull();
  });

  it("returns the submitter's --reason text but not Ganeti's own gnt:* entries", () => {
    const job = parseJobInfo(readFixture('gnt-job_info.with-reason.txt'));
    expect(job).toMatchObject({ id: 10, status: 'success', totalSeconds: 2.235411 });
    expect(job?.reasons).toEqual(['slack:U123 req-abc']);
  });

  it('does not mistake a structured result for an error', () => {
    const job = parseJobInfo(readFixture('gnt-job_info.with-reason.txt'));
    expect(job?.opcodes).toEqual([{ opcode: 'OP_CLUSTER_VERIFY', status: 'success', error: null }]);
  });

  it('gives a running job no end time and no total, and keeps its log so far', () => {
    const job = parseJobInfo(readFixture('gnt-job_info.running.txt'));
    expect(job).toMatchObject({
      id: 15,
      status: 'running',
      receivedAt: '2026-11-24 03:21:26.192130',
      startedAt: '2026-11-24 03:21:28.399665',
      endedAt: null,
      totalSeconds: null,
      opcodes: [{ opcode: 'OP_CLUSTER_VERIFY_GROUP', status: 'running', error: null }],
      reasons: ['slack:U123 req-abc'],
    });
    expect(job?.log.map((entry) => entry.message)).toEqual([
      "* Verifying group 'default'",
      '* Gathering data (3 nodes)',
      '* Gathering information about nodes (3 nodes)',
      '* Gathering disk information (3 nodes)',
      '* Verifying configuration file consistency',
      '* Verifying node status',
      '* Verifying instance status',
      '* Verifying orphan volumes',
      '* Verifying N+1 Memory redundancy',
    ]);
  });

  it('reads a job waiting for its locks, with no end time yet', () => {
    const job = parseJobInfo(readFixture('gnt-job_info.waiting.txt'));
    expect(job).toMatchObject({
      id: 14,
      status: 'waiting',
      endedAt: null,
      totalSeconds: null,
      log: [],
      reasons: ['slack:U123 req-abc'],
    });
  });

  it('keeps a reason text that itself contains ": "', () => {
    const stdout = [
      '- Job ID: 7',
      '  Status: queued',
      '  Received:         2026-11-24 03:21:26.192130',
      '  Processing start: unknown (None)',
      '  Processing end:   unknown (None)',
      '  Total processing time: N/A',
      '  Opcodes: ',
      '    - Opcode: OP_CLUSTER_VERIFY_DISKS',
      '      Status: queued',
      '      Input fields: ',
      '        reason: ',
      '          - - gnt:user',
      '            - ticket: OPS-12',
      '            - 1795490484683915264',
      '      Result: None',
      '      Execution log: ',
    ].join('\n');
    expect(parseJobInfo(stdout)).toMatchObject({
      status: 'queued',
      startedAt: null,
      reasons: ['ticket: OPS-12'],
    });
  });

  it('refuses output that is not a job description', () => {
    expect(() => parseJobInfo('Usage: gnt-job info <job-id>\n')).toThrow(/not a job description/);
    expect(() => parseJobInfo('')).toThrow(/not a job description/);
  });
});
