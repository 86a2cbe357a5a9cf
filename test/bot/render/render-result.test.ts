import { describe, expect, it } from 'vitest';
import { renderResult } from '../../../src/bot/render/render-result.js';
import { parseClusterVerify } from '../../../src/cluster/parsers/cluster-verify.js';
import { parseInstanceInfo } from '../../../src/cluster/parsers/instance-info.js';
import { parseInstanceList } from '../../../src/cluster/parsers/instance-list.js';
import { parseJobInfo } from '../../../src/cluster/parsers/job-info.js';
import { parseJobList } from '../../../src/cluster/parsers/job-list.js';
import { parseNodeList } from '../../../src/cluster/parsers/node-list.js';
import type { GanetiInstance } from '../../../src/cluster/types.js';
import { allCommands } from '../../../src/commands/all-commands.js';
import { createRegistry } from '../../../src/commands/registry.js';
import type { CommandResult } from '../../../src/commands/results.js';
import { checkBlocks, MESSAGE_MAX_BLOCKS } from '../../../src/demo/slack/block-kit-limits.js';
import { readFixture } from '../../support/fixtures.js';

const meta = { userId: 'U0ALICE', text: 'nodes' };
const golden = (name: string) => `./golden/${name}.json`;

/** Every rendered message must be one Slack accepts: the same checks the fake Slack applies. */
function rendered(result: CommandResult) {
  const message = renderResult(result, meta);
  expect(checkBlocks(message.blocks, MESSAGE_MAX_BLOCKS)).toEqual([]);
  expect(message.text.length).toBeGreaterThan(0);
  expect(message.text.length).toBeLessThanOrEqual(4000);
  return message;
}

describe('renderResult (golden files from real Ganeti output)', () => {
  it('renders the node table of a cluster with an unreachable node', async () => {
    const nodes = parseNodeList(readFixture('gnt-node_list.fields.node3-unreachable.txt'));
    await expect(JSON.stringify(rendered({ kind: 'nodes', nodes }), null, 2)).toMatchFileSnapshot(
      golden('nodes.node3-unreachable'),
    );
  });

  it('renders status with an offline node and its instances in error', async () => {
    const result: CommandResult = {
      kind: 'status',
      master: 'node1.ganeti.test',
      nodes: parseNodeList(readFixture('gnt-node_list.fields.node3-offline.txt')),
      instances: parseInstanceList(readFixture('gnt-instance_list.fields.node3-offline.txt')),
    };
    const message = rendered(result);
    expect(message.text).toBe(
      'Cluster: master node1.ganeti.test; nodes 2 up, 1 offline; instances 1 running, 1 stopped, 2 in error',
    );
    await expect(JSON.stringify(message, null, 2)).toMatchFileSnapshot(golden('status.node3-offline'));
  });

  it('says in the status when SSH host keys are not checked', () => {
    const result: CommandResult = {
      kind: 'status',
      master: 'node1.ganeti.test',
      nodes: parseNodeList(readFixture('gnt-node_list.fields.txt')),
      instances: parseInstanceList(readFixture('gnt-instance_list.fields.txt')),
      hostKeysChecked: false,
    };
    expect(JSON.stringify(rendered(result).blocks)).toContain('SSH host keys are not checked');
    expect(JSON.stringify(rendered({ ...result, hostKeysChecked: true }).blocks)).not.toContain('host keys');
  });

  it('renders the instance list with a filter', async () => {
    const instances = parseInstanceList(readFixture('gnt-instance_list.fields.with-tags.txt'));
    const result: CommandResult = {
      kind: 'instances',
      instances: instances.slice(0, 2),
      total: 4,
      filter: { pattern: 'inst', node: null, state: 'running' },
    };
    await expect(JSON.stringify(rendered(result), null, 2)).toMatchFileSnapshot(golden('instances.filtered'));
  });

  it('renders instance info', async () => {
    const info = parseInstanceInfo(readFixture('gnt-instance_info.inst1.txt'));
    await expect(JSON.stringify(rendered({ kind: 'instance-info', info }), null, 2)).toMatchFileSnapshot(
      golden('instance-info.inst1'),
    );
  });

  it('renders the job list and a failed job with Ganeti’s error', async () => {
    const jobs = parseJobList(readFixture('gnt-job_list.fields-timestamps.txt'));
    await expect(
      JSON.stringify(rendered({ kind: 'jobs', jobs: jobs.slice(-5).reverse(), total: jobs.length }), null, 2),
    ).toMatchFileSnapshot(golden('jobs'));
    const failed = parseJobInfo(readFixture('error.gnt-job_info.failed-job.txt'));
    if (!failed) throw new Error('fixture should parse');
    const message = rendered({ kind: 'job', job: failed });
    expect(message.text).toBe("Ganeti job 26: error (Node 'nosuchnode.ganeti.test' not known)");
    await expect(JSON.stringify(message, null, 2)).toMatchFileSnapshot(golden('job.failed'));
  });

  it('renders verify findings grouped by node and instance, errors first', async () => {
    const report = parseClusterVerify(readFixture('gnt-cluster_verify.node3-unreachable.txt'));
    const message = rendered({ kind: 'verify', report, durationMs: 55_300 });
    expect(message.text).toMatch(/^gnt-cluster verify: \d+ errors, 1 warning$/);
    await expect(JSON.stringify(message, null, 2)).toMatchFileSnapshot(golden('verify.node3-unreachable'));
  });

  it('renders help from the registry', async () => {
    const registry = createRegistry(allCommands);
    await expect(
      JSON.stringify(rendered({ kind: 'help', commands: [...registry.help], topic: null }), null, 2),
    ).toMatchFileSnapshot(golden('help'));
  });
});

describe('renderResult within Slack’s limits', () => {
  const many = (n: number): GanetiInstance[] =>
    Array.from({ length: n }, (_, i) => ({
      name: `project-${String(i).padStart(4, '0')}-with-a-long-descriptive-name.hosting.example.org`,
      primaryNode: `node${(i % 4) + 1}.hosting.example.org`,
      secondaryNodes: [`node${((i + 1) % 4) + 1}.hosting.example.org`],
      status: i % 7 === 0 ? 'ERROR_nodedown' : 'running',
      running: true,
      adminState: 'up',
      diskTemplate: 'drbd',
      memoryMiB: 4096,
      vcpus: 2,
      tags: [],
    }));

  it('splits 60 instances over several sections of at most 3000 characters', () => {
    const message = rendered({
      kind: 'instances',
      instances: many(60),
      total: 60,
      filter: { pattern: null, node: null, state: null },
    });
    expect(message.blocks.length).toBeGreaterThan(2);
    expect(JSON.stringify(message.blocks)).toContain('project-0059-with-a-long-descriptive-name');
  });

  it('shows the first 200 of 10,000 instances, says how many more and how to narrow, and who asked', () => {
    const message = rendered({
      kind: 'instances',
      instances: many(10_000),
      total: 10_000,
      filter: { pattern: null, node: null, state: null },
    });
    const all = JSON.stringify(message.blocks);
    expect(message.blocks.length).toBeLessThan(50);
    expect(all).toContain('project-0199-with-a-long-descriptive-name');
    expect(all).not.toContain('project-0200-with-a-long-descriptive-name');
    expect(all).toMatch(/…and 9800 more\. Narrow the list with a pattern/);
    expect(JSON.stringify(message.blocks.at(-1))).toMatch(/asked by <@U0/);
  });

  it('keeps a status with hundreds of problems within the section limit', () => {
    const instances = many(500).map((i) => ({ ...i, status: 'ERROR_nodedown' }));
    const message = rendered({ kind: 'status', master: 'node1', nodes: [], instances });
    expect(JSON.stringify(message.blocks)).toMatch(/…and 4[0-9]{2} more"/);
  });

  it('escapes Slack control characters in Ganeti text', () => {
    const report = {
      jobIds: [1],
      steps: [],
      findings: [
        {
          severity: 'ERROR' as const,
          code: null,
          itemType: 'node' as const,
          item: 'n1',
          message: '<!channel> & <@U1>',
          step: null,
        },
      ],
    };
    const message = rendered({ kind: 'verify', report, durationMs: 1 });
    expect(JSON.stringify(message.blocks)).toContain('&lt;!channel&gt; &amp; &lt;@U1&gt;');
  });
});
