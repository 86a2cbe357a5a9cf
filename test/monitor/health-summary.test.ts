import { describe, expect, it } from 'vitest';
import { parseInstanceList } from '../../src/cluster/parsers/instance-list.js';
import { parseJobList } from '../../src/cluster/parsers/job-list.js';
import { parseNodeList } from '../../src/cluster/parsers/node-list.js';
import { buildHealthSummary, type HealthSummaryInput } from '../../src/monitor/health-summary.js';
import type { IncidentSummary } from '../../src/monitor/types.js';
import { readFixture } from '../support/fixtures.js';

const HOUR = 60 * 60 * 1000;

/**
 * The lab's real job list has no failed job with timestamps (the captured `gnt-job list` outputs
 * that show job 16 in `error` have no timestamp columns), so three of its finished jobs are
 * marked failed here; ids, summaries and times stay the real ones.
 */
const jobsWithFailures = () =>
  parseJobList(
    readFixture('gnt-job_list.fields-timestamps.txt')
      .replace('5|success|', '5|error|')
      .replace('9|success|', '9|error|')
      .replace('11|success|', '11|error|'),
  );
/** Real end times of those jobs (ms), from the fixture. */
const ENDED = { job5: 1795490205029, job9: 1795490217420, job11: 1795490466206 };

function lab(scenario: '' | '.node3-unreachable' | '.node3-offline'): HealthSummaryInput {
  return {
    cluster: 'node1.ganeti.test',
    master: 'node1.ganeti.test',
    nodes: parseNodeList(readFixture(`gnt-node_list.fields${scenario}.txt`)),
    instances: parseInstanceList(readFixture(`gnt-instance_list.fields${scenario}.txt`)),
    jobs: parseJobList(readFixture('gnt-job_list.fields-timestamps.txt')),
    incidents: [],
    since: null,
    now: ENDED.job11 + HOUR,
  };
}

describe('buildHealthSummary on the healthy lab', () => {
  it('can lose any node and finds no instance out of its intended state', () => {
    const summary = buildHealthSummary(lab(''));
    expect(summary.nPlusOne).toEqual({ canLoseAnyNode: true, risks: [] });
    expect(summary.instanceProblems).toEqual([]);
    expect(summary.instanceCount).toBe(4);
    expect(summary.failedJobs).toEqual([]);
  });

  it('gives each node its memory and disk in use, instance counts, role and state', () => {
    const summary = buildHealthSummary(lab(''));
    expect(summary.nodes.map((n) => [n.name, n.role, n.state])).toEqual([
      ['node1.ganeti.test', 'master', 'ok'],
      ['node2.ganeti.test', 'candidate', 'ok'],
      ['node3.ganeti.test', 'candidate', 'ok'],
    ]);
    expect(summary.nodes[0]).toEqual({
      name: 'node1.ganeti.test',
      role: 'master',
      state: 'ok',
      memoryUsedMiB: 24105 - 23001,
      memoryTotalMiB: 24105,
      diskUsedMiB: 258019 - 80902,
      diskTotalMiB: 258019,
      primaryInstances: 2,
      secondaryInstances: 0,
    });
  });

  it('does not count a stopped instance whose admin state is down as a problem', () => {
    const summary = buildHealthSummary(lab(''));
    expect(summary.instanceProblems.map((p) => p.name)).not.toContain('inst4.ganeti.test');
  });

  it('names the node whose loss would strand an instance, and which one', () => {
    const input = lab('');
    const big = parseInstanceList(
      readFixture('gnt-instance_list.fields.txt').replace(
        'inst1.ganeti.test|node1.ganeti.test||running|Y|up|diskless|256|',
        'inst1.ganeti.test|node1.ganeti.test||running|Y|up|diskless|23500|',
      ),
    );
    const summary = buildHealthSummary({ ...input, instances: big });
    expect(summary.nPlusOne.canLoseAnyNode).toBe(false);
    expect(summary.nPlusOne.risks).toEqual([
      {
        node: 'node1.ganeti.test',
        state: 'ok',
        stranded: [{ instance: 'inst1.ganeti.test', memoryMiB: 23500, reason: 'no-room' }],
      },
    ]);
  });
});

describe('buildHealthSummary with node3 down', () => {
  it('reports an unreachable node3 with unknown memory and disk, and its instance in ERROR_nodedown', () => {
    const summary = buildHealthSummary(lab('.node3-unreachable'));
    const node3 = summary.nodes.find((n) => n.name === 'node3.ganeti.test');
    expect(node3).toMatchObject({
      state: 'unreachable',
      memoryUsedMiB: null,
      memoryTotalMiB: null,
      diskUsedMiB: null,
      diskTotalMiB: null,
      primaryInstances: 1,
    });
    // In this capture inst3 had already been moved to node2; inst2 is the one left on node3.
    expect(summary.instanceProblems).toEqual([
      {
        name: 'inst2.ganeti.test',
        status: 'ERROR_nodedown',
        adminState: 'up',
        primaryNode: 'node3.ganeti.test',
      },
    ]);
  });

  it('finds room elsewhere for the unreachable node’s instance, so no loss strands one', () => {
    const summary = buildHealthSummary(lab('.node3-unreachable'));
    expect(summary.nPlusOne).toEqual({ canLoseAnyNode: true, risks: [] });
  });

  it('reports an offline node3 and both its instances in ERROR_nodeoffline', () => {
    const summary = buildHealthSummary(lab('.node3-offline'));
    expect(summary.nodes.map((n) => n.state)).toEqual(['ok', 'ok', 'offline']);
    expect(summary.instanceProblems.map((p) => `${p.name} ${p.status}`)).toEqual([
      'inst2.ganeti.test ERROR_nodeoffline',
      'inst3.ganeti.test ERROR_nodeoffline',
    ]);
  });

  it('reports a drained node as drained', () => {
    const summary = buildHealthSummary({
      ...lab(''),
      nodes: parseNodeList(readFixture('gnt-node_list.fields.node2-drained.txt')),
    });
    expect(summary.nodes.map((n) => `${n.role} ${n.state}`)).toEqual([
      'master ok',
      'drained drained',
      'candidate ok',
    ]);
  });
});

describe('buildHealthSummary: instances not in their intended state', () => {
  const one = (line: string) => buildHealthSummary({ ...lab(''), instances: parseInstanceList(`${line}\n`) });

  it('lists an instance that should run but is shut down from inside (USER_down)', () => {
    expect(one('vm.ganeti.test|node1.ganeti.test||USER_down|N|up|diskless|256|1|').instanceProblems).toEqual([
      { name: 'vm.ganeti.test', status: 'USER_down', adminState: 'up', primaryNode: 'node1.ganeti.test' },
    ]);
  });

  it('lists an instance that runs although its admin state is down (ERROR_up)', () => {
    expect(
      one('vm.ganeti.test|node1.ganeti.test||ERROR_up|Y|down|diskless|256|1|').instanceProblems,
    ).toHaveLength(1);
  });

  it('leaves out an instance marked offline by its admin', () => {
    expect(
      one('vm.ganeti.test|node1.ganeti.test||ADMIN_offline|N|offline|diskless|256|1|').instanceProblems,
    ).toEqual([]);
  });
});

describe('buildHealthSummary: failed jobs', () => {
  it('lists the failed jobs that ended after the last summary, newest first', () => {
    const summary = buildHealthSummary({ ...lab(''), jobs: jobsWithFailures(), since: ENDED.job9 });
    expect(summary.failedJobs).toEqual([{ id: 11, summary: 'CLUSTER_VERIFY_CONFIG', endedAt: ENDED.job11 }]);
    expect(summary.failedJobsSince).toBe(ENDED.job9);
    expect(summary.sinceLastSummary).toBe(true);
  });

  it('looks back 24 hours when no summary was posted yet', () => {
    const now = ENDED.job5 + 24 * HOUR + 5_000;
    const summary = buildHealthSummary({ ...lab(''), jobs: jobsWithFailures(), since: null, now });
    expect(summary.failedJobs.map((j) => j.id)).toEqual([11, 9]);
    expect(summary.failedJobsSince).toBe(now - 24 * HOUR);
    expect(summary.sinceLastSummary).toBe(false);
  });

  it('ignores jobs that succeeded, are still running or are queued', () => {
    const summary = buildHealthSummary({ ...lab(''), since: 0 });
    expect(summary.failedJobs).toEqual([]);
  });
});

describe('buildHealthSummary: incidents', () => {
  const incident: IncidentSummary = {
    id: 'inc-1',
    cluster: 'node1.ganeti.test',
    kind: 'node-loss',
    openedAt: ENDED.job11,
    nodes: ['node3.ganeti.test'],
    acknowledgedBy: null,
  };

  it('passes the monitor’s open incidents through unchanged', () => {
    const summary = buildHealthSummary({ ...lab('.node3-unreachable'), incidents: [incident] });
    expect(summary.incidents).toEqual([incident]);
    expect(summary.monitorOn).toBe(true);
  });

  it('says when the monitor is off', () => {
    expect(buildHealthSummary({ ...lab(''), monitorOn: false }).monitorOn).toBe(false);
  });
});
