import { describe, expect, it } from 'vitest';
import { JOB_LIST_FIELDS, parseJobList } from '../../../src/cluster/parsers/job-list.js';
import { readFixture, readFixtureRaw } from '../../support/fixtures.js';

describe('parseJobList', () => {
  it('uses exactly the field list the fixture was captured with', () => {
    const command = readFixtureRaw('gnt-job_list.fields-timestamps.txt').split('\n')[0];
    expect(command).toBe(`$ gnt-job list --no-headers --separator='|' -o ${JOB_LIST_FIELDS.join(',')}`);
  });

  it('reads finished jobs with their timestamps in Unix milliseconds', () => {
    const jobs = parseJobList(readFixture('gnt-job_list.fields-timestamps.txt'));
    expect(jobs).toHaveLength(15);
    expect(jobs[6]).toEqual({
      id: 7,
      status: 'success',
      summary: 'INSTANCE_CREATE(inst3.ganeti.test)',
      receivedAt: 1795490208765,
      startedAt: 1795490209265,
      endedAt: 1795490211333,
    });
  });

  it('keeps a microsecond part that has fewer than six digits as microseconds', () => {
    // `[1795490184, 95183]` is 95,183 µs, not .95183 s.
    const [first] = parseJobList(readFixture('gnt-job_list.fields-timestamps.txt'));
    expect(first?.startedAt).toBe(1795490184095);
  });

  it('gives a running job no end time and a queued job neither start nor end time', () => {
    const jobs = parseJobList(readFixture('gnt-job_list.fields-timestamps.txt'));
    expect(jobs.slice(12)).toEqual([
      {
        id: 13,
        status: 'running',
        summary: 'CLUSTER_VERIFY',
        receivedAt: 1795490484913,
        startedAt: 1795490485599,
        endedAt: null,
      },
      {
        id: 14,
        status: 'queued',
        summary: 'CLUSTER_VERIFY_CONFIG',
        receivedAt: 1795490486192,
        startedAt: null,
        endedAt: null,
      },
      {
        id: 15,
        status: 'queued',
        summary: 'CLUSTER_VERIFY_GROUP(0abbccb5-12bb-4bcf-96d3-a955fa315b30)',
        receivedAt: 1795490486192,
        startedAt: null,
        endedAt: null,
      },
    ]);
  });

  it('keeps a | inside the summary by reading the timestamps from the right', () => {
    const [job] = parseJobList(
      '42|error|TAGS_SET(a|b)|[1795490000, 1000]|[1795490001, 0]|[1795490002, 999999]',
    );
    expect(job).toEqual({
      id: 42,
      status: 'error',
      summary: 'TAGS_SET(a|b)',
      receivedAt: 1795490000001,
      startedAt: 1795490001000,
      endedAt: 1795490002999,
    });
  });

  it('refuses output listed with only id, status and summary', () => {
    expect(() => parseJobList(readFixture('gnt-job_list.fields.txt'))).toThrow(
      /gnt-job list: line 1 has 3 fields, expected 6/,
    );
  });

  it('refuses an unknown status and a malformed timestamp', () => {
    expect(() => parseJobList('1|finished|X|-|-|-')).toThrow(/unknown job status "finished"/);
    expect(() => parseJobList('1|success|X|1795490000|-|-')).toThrow(/bad timestamp "1795490000"/);
  });
});
