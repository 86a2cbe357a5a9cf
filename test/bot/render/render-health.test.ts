import { describe, expect, it } from 'vitest';
import { healthHeadline } from '../../../src/bot/render/render-health.js';
import { renderResult } from '../../../src/bot/render/render-result.js';
import { slackDate } from '../../../src/core/slack-date.js';
import { parseInstanceList } from '../../../src/cluster/parsers/instance-list.js';
import { parseJobList } from '../../../src/cluster/parsers/job-list.js';
import { parseNodeList } from '../../../src/cluster/parsers/node-list.js';
import type { CommandResult, HealthResult } from '../../../src/commands/results.js';
import { buildHealthSummary, type HealthSummaryInput } from '../../../src/monitor/health-summary.js';
import type { IncidentSummary } from '../../../src/monitor/types.js';
import { checkBlocks, MESSAGE_MAX_BLOCKS } from '../../../src/demo/slack/block-kit-limits.js';
import { readFixture } from '../../support/fixtures.js';

const golden = (name: string) => `./golden/${name}.json`;

/** Every rendered message must be one Slack accepts: the same checks the fake Slack applies. */
function rendered(result: CommandResult) {
  const message = renderResult(result, { userId: 'U0ALICE', text: 'health' });
  expect(checkBlocks(message.blocks, MESSAGE_MAX_BLOCKS)).toEqual([]);
  expect(message.text.length).toBeGreaterThan(0);
  expect(message.text.length).toBeLessThanOrEqual(4000);
  return message;
}

/** Real end time of job 11 in gnt-job_list.fields-timestamps.txt (ms). */
const JOB11_ENDED = 1795490466206;
const HOUR = 60 * 60 * 1000;

/** The lab's real job list with two finished jobs marked failed (it holds no failed job with times). */
const jobsWithFailures = () =>
  parseJobList(
    readFixture('gnt-job_list.fields-timestamps.txt')
      .replace('9|success|', '9|error|')
      .replace('11|success|', '11|error|'),
  );

function lab(scenario: '' | '.node3-unreachable' | '.node3-offline'): HealthSummaryInput {
  return {
    cluster: 'node1.ganeti.test',
    master: 'node1.ganeti.test',
    nodes: parseNodeList(readFixture(`gnt-node_list.fields${scenario}.txt`)),
    instances: parseInstanceList(readFixture(`gnt-instance_list.fields${scenario}.txt`)),
    jobs: parseJobList(readFixture('gnt-job_list.fields-timestamps.txt')),
    incidents: [],
    since: JOB11_ENDED - HOUR,
    now: JOB11_ENDED + HOUR,
  };
}

const node3Lost: IncidentSummary = {
  id: 'inc-1',
  cluster: 'node1.ganeti.test',
  kind: 'node-loss',
  openedAt: JOB11_ENDED + 60_000,
  nodes: ['node3.ganeti.test'],
  acknowledgedBy: 'U0BOB',
};

describe('renderHealth (golden files from real Ganeti output)', () => {
  it('renders the healthy lab: every node up, N+1 fine, nothing to look at', async () => {
    const message = rendered(buildHealthSummary(lab('')));
    expect(message.text).toBe('✅ node-health: 3 nodes up, can lose any one node');
    await expect(JSON.stringify(message, null, 2)).toMatchFileSnapshot(golden('health.healthy'));
  });

  it('renders an unreachable node3 with its incident, the instance in error and failed jobs', async () => {
    const message = rendered(
      buildHealthSummary({
        ...lab('.node3-unreachable'),
        incidents: [node3Lost],
        jobs: jobsWithFailures(),
        // The last summary went out between the two failures: only job 11 is new.
        since: JOB11_ENDED - 60_000,
      }),
    );
    expect(message.text).toBe(
      '⚠️ node-health: 2 of 3 nodes up (node3 unreachable), its instances fit elsewhere, ' +
        '1 instance not as intended, 1 open incident, 1 failed job',
    );
    const blocks = JSON.stringify(message.blocks);
    expect(blocks).toContain('`inst2.ganeti.test` is `ERROR_nodedown`');
    expect(blocks).toContain(`since ${slackDate(node3Lost.openedAt)} · acknowledged by <@U0BOB>`);
    expect(blocks).toContain(
      'job 11 `CLUSTER_VERIFY_CONFIG` ended <!date^1795490466^{date_short_pretty} {time}|2026-11-24 03:21 UTC>',
    );
    expect(blocks).toContain(`since the last summary, ${slackDate(JOB11_ENDED - 60_000)}`);
    expect(message.text).not.toContain('<!date');
    await expect(JSON.stringify(message, null, 2)).toMatchFileSnapshot(golden('health.node3-unreachable'));
  });

  it('renders an offline node3 with the monitor off: no incidents, failed jobs of the last 24 hours', async () => {
    const result = buildHealthSummary({
      ...lab('.node3-offline'),
      jobs: jobsWithFailures(),
      since: null,
      monitorOn: false,
    });
    const message = rendered(result);
    const blocks = JSON.stringify(message.blocks);
    expect(blocks).toContain('The health monitor is off');
    expect(blocks).not.toMatch(/open incident/i);
    expect(blocks).toContain('*Failed Ganeti jobs* (2) in the last 24 hours');
    await expect(JSON.stringify(message, null, 2)).toMatchFileSnapshot(golden('health.node3-offline'));
  });
});

describe('healthHeadline', () => {
  it('names the node whose loss would strand instances', () => {
    const instances = parseInstanceList(
      readFixture('gnt-instance_list.fields.txt').replace('diskless|256|', 'diskless|23500|'),
    );
    expect(healthHeadline(buildHealthSummary({ ...lab(''), instances }))).toBe(
      '⚠️ node-health: 3 nodes up, losing node1 would strand 1 instance',
    );
  });

  it('counts a drained node as up and says it is drained', () => {
    const nodes = parseNodeList(readFixture('gnt-node_list.fields.node2-drained.txt'));
    expect(healthHeadline(buildHealthSummary({ ...lab(''), nodes }))).toBe(
      '✅ node-health: 3 nodes up, 1 drained, can lose any one node',
    );
  });
});

describe('renderHealth within Slack’s limits', () => {
  const domain = 'a-rather-long-datacenter-domain.example.org';
  const nodeName = (i: number) => `node${String(i).padStart(3, '0')}.${domain}`;

  /** 200 nodes, every tenth unreachable and every 25th offline, with little free memory. */
  function bigCluster(): HealthResult {
    const nodes = parseNodeList(
      Array.from({ length: 200 }, (_, i) => {
        const offline = i % 25 === 24;
        const unknown = offline ? '*' : i % 10 === 9 ? '?' : null;
        const figures = unknown ? Array(5).fill(unknown).join('|') : '262144|2048|8192|4194304|1048576';
        return `${nodeName(i)}|${figures}|50|50|${offline ? 'Y' : 'N'}|N|Y|${offline ? 'O' : 'C'}`;
      }).join('\n'),
    );
    const instances = parseInstanceList(
      Array.from({ length: 10_000 }, (_, i) => {
        const p = i % 200;
        const s = (p + 1) % 200;
        const status = i % 9 === 0 ? 'ERROR_nodedown' : i % 13 === 0 ? 'USER_down' : 'running';
        const name = `customer-${String(i).padStart(5, '0')}-web-frontend.${domain}`;
        return `${name}|${nodeName(p)}|${nodeName(s)}|${status}|Y|up|drbd|4096|2|`;
      }).join('\n'),
    );
    const jobs = Array.from({ length: 500 }, (_, i) => ({
      id: 1000 + i,
      status: 'error' as const,
      summary: `INSTANCE_MIGRATE(customer-${i}-web-frontend.${domain}) & <more>`.repeat(5),
      receivedAt: JOB11_ENDED - 1000,
      startedAt: JOB11_ENDED - 900,
      endedAt: JOB11_ENDED + i,
    }));
    const incidents = Array.from({ length: 60 }, (_, i) => ({
      ...node3Lost,
      id: `inc-${i}`,
      nodes: Array.from({ length: 30 }, (_, j) => nodeName((i + j) % 200)),
    }));
    return buildHealthSummary({ ...lab(''), nodes, instances, jobs, incidents });
  }

  it('keeps 200 nodes and 10,000 instances within Block Kit limits, saying what was left out', () => {
    const result = bigCluster();
    expect(result.nPlusOne.risks.length).toBeGreaterThan(100);
    const message = rendered(result);
    expect(message.blocks.length).toBeLessThanOrEqual(MESSAGE_MAX_BLOCKS);
    const blocks = JSON.stringify(message.blocks);
    expect(blocks).toMatch(/…and \d+ more/);
    expect(blocks).toContain('…and 490 more');
    expect(blocks.match(/• job \d+/g)).toHaveLength(10);
    expect(blocks).not.toContain('<more>');
  });
});
