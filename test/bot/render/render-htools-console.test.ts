import { describe, expect, it } from 'vitest';
import { capacityHeadline } from '../../../src/bot/render/render-capacity.js';
import { renderResult } from '../../../src/bot/render/render-result.js';
import { parseHbal } from '../../../src/cluster/parsers/hbal.js';
import { parseHcheck } from '../../../src/cluster/parsers/hcheck.js';
import { parseHspace } from '../../../src/cluster/parsers/hspace.js';
import { parseHtoolsFailure, type HtoolsFailure } from '../../../src/cluster/parsers/htools-output.js';
import { parseInstanceInfo } from '../../../src/cluster/parsers/instance-info.js';
import { parseInstanceList } from '../../../src/cluster/parsers/instance-list.js';
import { parseNodeList } from '../../../src/cluster/parsers/node-list.js';
import type { GanetiInstance, GanetiNode } from '../../../src/cluster/types.js';
import { checkNodeLoss } from '../../../src/commands/defs/capacity.js';
import { consoleAccess } from '../../../src/commands/defs/console.js';
import type { CapacityResult, CommandResult } from '../../../src/commands/results.js';
import { checkBlocks, MESSAGE_MAX_BLOCKS } from '../../../src/demo/slack/block-kit-limits.js';
import { readFixture } from '../../support/fixtures.js';
import { HBAL_DOCUMENTED_EXAMPLE } from '../../cluster/parsers/hbal-documented-example.js';

const golden = (name: string) => `./golden/${name}.json`;

/** Every rendered message must be one Slack accepts: the same checks the fake Slack applies. */
function rendered(result: CommandResult, text: string = result.kind) {
  const message = renderResult(result, { userId: 'U0ALICE', text });
  expect(checkBlocks(message.blocks, MESSAGE_MAX_BLOCKS)).toEqual([]);
  expect(message.text.length).toBeGreaterThan(0);
  expect(message.text.length).toBeLessThanOrEqual(4000);
  return message;
}

const unreachable = parseHtoolsFailure(readFixture('hcheck.L.node3-unreachable.stderr.txt')) as HtoolsFailure;

function capacityOf(nodeFixture: string, instanceFixture: string, healthy: boolean): CapacityResult {
  const nodes = parseNodeList(readFixture(nodeFixture));
  const instances = parseInstanceList(readFixture(instanceFixture));
  return {
    kind: 'capacity',
    health: healthy
      ? { ok: true, report: parseHcheck(readFixture('hcheck.L-machine-readable.txt')) }
      : { ok: false, failure: unreachable },
    space: healthy
      ? { ok: true, report: parseHspace(readFixture('hspace.L-machine-readable.txt')) }
      : { ok: false, failure: unreachable },
    nodeLoss: nodes.map((n) => checkNodeLoss(n, nodes, instances)),
    durationMs: 1_234,
  };
}

function node(name: string, freeMiB: number, extra: Partial<GanetiNode> = {}): GanetiNode {
  return {
    ...parseNodeList(`${name}|32768|512|${freeMiB}|100000|50000|0|0|N|N|Y|C\n`)[0],
    ...extra,
  } as GanetiNode;
}

const inst = (name: string, primary: string, mib: number): GanetiInstance =>
  parseInstanceList(`${name}|${primary}||running|Y|up|diskless|${mib}|1|\n`)[0] as GanetiInstance;

describe('capacity', () => {
  it('renders a healthy cluster (real hcheck, hspace, node and instance lists)', async () => {
    const message = rendered(capacityOf('gnt-node_list.fields.txt', 'gnt-instance_list.fields.txt', true));
    expect(message.text).toBe('✅ The cluster can lose any one node');
    await expect(JSON.stringify(message, null, 2)).toMatchFileSnapshot(golden('capacity.healthy'));
  });

  it('renders an unreachable node: htools cannot run, the memory check still answers', async () => {
    const message = rendered(
      capacityOf(
        'gnt-node_list.fields.node3-unreachable.txt',
        'gnt-instance_list.fields.node3-unreachable.txt',
        false,
      ),
    );
    expect(message.text).toBe('⚠️ node3 does not answer; its 1 instance would fit on the other nodes');
    expect(JSON.stringify(message.blocks)).toContain(
      '*hcheck* could not run: `node3.ganeti.test` does not answer, and htools only leave out nodes marked offline.',
    );
    await expect(JSON.stringify(message, null, 2)).toMatchFileSnapshot(golden('capacity.node3-unreachable'));
  });

  it('names the node whose loss would leave instances without room, and which ones', async () => {
    const nodes = [node('n1.example.org', 20000), node('n2.example.org', 3000), node('n3.example.org', 2000)];
    const instances = [
      inst('db.example.org', 'n1.example.org', 4096),
      inst('web.example.org', 'n1.example.org', 2048),
      inst('mail.example.org', 'n2.example.org', 1024),
    ];
    const healthy = capacityOf('gnt-node_list.fields.txt', 'gnt-instance_list.fields.txt', true);
    const result: CapacityResult = {
      ...healthy,
      nodeLoss: nodes.map((n) => checkNodeLoss(n, nodes, instances)),
    };
    const message = rendered(result);
    expect(message.text).toBe('⚠️ Losing n1 would leave 1 instance without room');
    expect(JSON.stringify(message.blocks)).toContain('losing `n1`: `db.example.org` (4.0G, no room)');
    await expect(JSON.stringify(message, null, 2)).toMatchFileSnapshot(golden('capacity.stranded'));
  });

  it('words the headline for an offline node, hcheck’s own problems, and an hcheck that could not run', () => {
    const offline = capacityOf(
      'gnt-node_list.fields.node3-offline.txt',
      'gnt-instance_list.fields.node3-offline.txt',
      true,
    );
    expect(capacityHeadline(offline)).toBe(
      '⚠️ node3 is offline; its 2 instances would fit on the other nodes',
    );
    const healthy = capacityOf('gnt-node_list.fields.txt', 'gnt-instance_list.fields.txt', true);
    const problems = parseHcheck(
      readFixture('hcheck.L-machine-readable.txt').replace(
        'HCHECK_INIT_CLUSTER_N1_FAIL=0',
        'HCHECK_INIT_CLUSTER_N1_FAIL=1',
      ),
    );
    expect(capacityHeadline({ ...healthy, health: { ok: true, report: problems } })).toBe(
      '⚠️ Memory allows losing any one node, but hcheck reports problems',
    );
    expect(
      JSON.stringify(renderResult({ ...healthy, health: { ok: true, report: problems } }, null).blocks),
    ).toContain('1 node not N+1 happy');
    const failed = {
      ...healthy,
      health: { ok: false as const, failure: { message: 'boom', unreachableNode: null } },
    };
    expect(capacityHeadline(failed)).toBe('⚠️ Memory allows losing any one node, but hcheck could not run');
  });

  it('stays within Slack’s limits with 300 nodes', () => {
    const nodes = Array.from({ length: 300 }, (_, i) =>
      node(`node${i}.a-long-domain-name.example.org`, 1000),
    );
    const instances = nodes.flatMap((n, i) =>
      Array.from({ length: 5 }, (_, j) => inst(`vm-${i}-${j}.a-long-domain-name.example.org`, n.name, 900)),
    );
    const healthy = capacityOf('gnt-node_list.fields.txt', 'gnt-instance_list.fields.txt', true);
    rendered({ ...healthy, nodeLoss: nodes.map((n) => checkNodeLoss(n, nodes, instances)) });
  });
});

describe('balance', () => {
  it('renders the lab’s real plan: balanced, no moves', async () => {
    const plan = parseHbal(readFixture('hbal.L-dry-run-verbose.txt'));
    const message = rendered({ kind: 'balance', plan: { ok: true, report: plan }, durationMs: 812 });
    expect(message.text).toBe('The cluster is balanced (score 2.12382355), no moves');
    await expect(JSON.stringify(message, null, 2)).toMatchFileSnapshot(golden('balance.no-moves'));
  });

  it('renders moves and commands by jobset (example built from the documented format)', async () => {
    const plan = parseHbal(HBAL_DOCUMENTED_EXAMPLE);
    const message = rendered({ kind: 'balance', plan: { ok: true, report: plan }, durationMs: 812 });
    expect(message.text).toBe('hbal would make 3 moves: score 12.34567890 → 1.05000000');
    expect(JSON.stringify(message.blocks)).toContain(
      'gnt-instance replace-disks -n node3.example.org db1.example.org',
    );
    await expect(JSON.stringify(message, null, 2)).toMatchFileSnapshot(golden('balance.documented-example'));
  });

  it('renders why hbal cannot plan while a node does not answer', async () => {
    const failure = parseHtoolsFailure(readFixture('hbal.L.node3-unreachable.stderr.txt')) as HtoolsFailure;
    const message = rendered({ kind: 'balance', plan: { ok: false, failure }, durationMs: 5_300 });
    expect(message.text).toBe('hbal cannot plan: node3.ganeti.test does not answer');
    await expect(JSON.stringify(message, null, 2)).toMatchFileSnapshot(golden('balance.node3-unreachable'));
  });

  it('cuts a plan of 1000 moves at 50 blocks, saying so', () => {
    const moves = Array.from(
      { length: 1000 },
      (_, i) => `  ${String(i + 1).padStart(3)}. vm${i} n1:n2 => n3:n2   1.00000000 a=f r:n3 f`,
    );
    const commands = Array.from({ length: 1000 }, (_, i) => [
      `  echo jobset ${i + 1}, 1 jobs`,
      `    echo job ${i + 1}/1`,
      `    gnt-instance migrate -f vm${i}`,
      `    gnt-instance replace-disks -n n3 vm${i}`,
      `    gnt-instance migrate -f vm${i}`,
    ]).flat();
    const plan = parseHbal(
      [
        'Initial score: 9.0',
        ...moves,
        'Solution length=1000',
        '',
        'Commands to run to reach the above solution:',
        ...commands,
      ].join('\n'),
    );
    const message = rendered({ kind: 'balance', plan: { ok: true, report: plan }, durationMs: 1 });
    expect(message.blocks).toHaveLength(50);
    expect(JSON.stringify(message.blocks.at(-2))).toMatch(/more blocks left out/);
    // Who asked stays, after the cut.
    expect(JSON.stringify(message.blocks.at(-1))).toMatch(/asked by <@U0ALICE>/);
  });
});

describe('console', () => {
  it('renders the fake hypervisor’s answer (real gnt-instance info)', async () => {
    const info = parseInstanceInfo(readFixture('gnt-instance_info.inst1.txt'));
    const message = rendered(
      {
        kind: 'console',
        instance: info.name,
        hypervisor: info.hypervisor,
        primaryNode: info.primaryNode,
        actualState: info.state?.actual ?? null,
        access: consoleAccess(info, 'node1.ganeti.test'),
      },
      'console inst1',
    );
    await expect(JSON.stringify(message, null, 2)).toMatchFileSnapshot(golden('console.fake'));
  });

  it('renders the tunnel and viewer for a VNC display, and warns when the instance is down', async () => {
    const message = rendered({
      kind: 'console',
      instance: 'web.ganeti.test',
      hypervisor: 'kvm',
      primaryNode: 'node2.ganeti.test',
      actualState: 'down',
      access: {
        kind: 'vnc',
        node: 'node2.ganeti.test',
        listensOn: '0.0.0.0:11000',
        display: 5100,
        tunnel: 'ssh -N -L 11000:127.0.0.1:11000 root@node2.ganeti.test',
        viewer: 'vncviewer localhost::11000',
        note: null,
      },
    });
    expect(message.text).toBe(
      'Console of web.ganeti.test: VNC display :5100 on node2.ganeti.test; ssh -N -L 11000:127.0.0.1:11000 root@node2.ganeti.test',
    );
    await expect(JSON.stringify(message, null, 2)).toMatchFileSnapshot(golden('console.kvm-vnc'));
  });

  it('renders a serial console command', () => {
    const message = rendered({
      kind: 'console',
      instance: 'web.ganeti.test',
      hypervisor: 'kvm',
      primaryNode: 'node2.ganeti.test',
      actualState: 'up',
      access: {
        kind: 'gnt-console',
        what: 'serial console',
        command: 'ssh -t root@node1.ganeti.test gnt-instance console web.ganeti.test',
      },
    });
    expect(JSON.stringify(message.blocks)).toContain(
      'ssh -t root@node1.ganeti.test gnt-instance console web.ganeti.test',
    );
  });
});
