import { describe, expect, it } from 'vitest';
import { submitArgv } from '../../src/cluster/actions.js';
import { argv } from '../../src/cluster/argv.js';
import { createGanetiClient } from '../../src/cluster/ganeti-client.js';
import { create } from '../../src/commands/defs/create.js';
import { remove } from '../../src/commands/defs/remove.js';
import type { CreateScope } from '../../src/commands/new-instance.js';
import type { CreateFormResult } from '../../src/commands/results.js';
import { UserError } from '../../src/core/errors.js';
import { fixtureShell } from '../fakes/fixture-shell.js';

const cmd = (a: string[]) => a.join(' ');

/** The lab as its real commands answered: 3 nodes with ~23 GB free, routed NICs, OS noop. */
function lab(nodes = 'gnt-node_list.fields.txt', networks = 'gnt-network_list.fields.txt') {
  const shell = fixtureShell({
    [cmd(argv.nodeList())]: { stdout: { fixture: nodes } },
    [cmd(argv.instanceList())]: { stdout: { fixture: 'gnt-instance_list.fields.txt' } },
    [cmd(argv.clusterInfo())]: { stdout: { fixture: 'gnt-cluster_info.txt' } },
    [cmd(argv.osList())]: { stdout: { fixture: 'gnt-os_list.no-headers.txt' } },
    [cmd(argv.networkList())]: { stdout: { fixture: networks } },
    [cmd(argv.nodeNames())]: { stdout: 'node1.ganeti.test\nnode2.ganeti.test\nnode3.ganeti.test\n' },
    [cmd(argv.instanceNames())]: {
      stdout: 'inst1.ganeti.test\ninst2.ganeti.test\ninst3.ganeti.test\ninst4.ganeti.test\n',
    },
  });
  return { cluster: createGanetiClient({ shell }), progress: () => undefined, help: [], now: () => 0 };
}

async function refusal(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('create, typed', () => {
  it('plans one gnt-instance add with the allocator placing it', async () => {
    const plan = await create.plan(lab(), {
      instance: 'New1.ganeti.test',
      os: 'noop',
      template: 'diskless',
      memory: '512M',
      ip: '198.51.100.150',
    });
    expect(plan.title).toBe('Create new1.ganeti.test');
    expect(plan.summary).toBe(
      'new1.ganeti.test: diskless, 512M memory, 1 vCPU, where the allocator (hail) places it',
    );
    expect(plan.steps).toHaveLength(1);
    const step = plan.steps[0]!;
    expect(step.action.op).toBe('instance-add');
    expect(submitArgv(step.action as Parameters<typeof submitArgv>[0], 'R')).toEqual([
      'gnt-instance',
      'add',
      '-t',
      'diskless',
      '-o',
      'noop',
      '--no-name-check',
      '--no-ip-check',
      '-B',
      'memory=512M,vcpus=1',
      '--net',
      '0:ip=198.51.100.150',
      '-I',
      'hail',
      '--submit',
      '--reason',
      'R',
      '--',
      'new1.ganeti.test',
    ]);
  });

  it('puts a file instance on the node named, with its disk, network and tags', async () => {
    const plan = await create.plan(lab(), {
      instance: 'files1.ganeti.test',
      os: 'noop',
      template: 'file',
      disk: '2G',
      network: 'lab-net1',
      node: 'node2',
      tags: 'backup, team:ops',
    });
    const step = plan.steps[0]!;
    expect(step.action).toMatchObject({
      op: 'instance-add',
      spec: {
        template: 'file',
        diskMb: 2048,
        network: 'lab-net1',
        ip: null,
        placement: { primary: 'node2.ganeti.test', secondary: null },
        tags: ['backup', 'team:ops'],
      },
    });
  });

  it('refuses, naming every problem, and runs nothing', async () => {
    const ctx = lab();
    const error = await refusal(
      create.plan(ctx, { instance: 'inst1.ganeti.test', os: 'debian', template: 'drbd', memory: '900G' }),
    );
    expect(error.userMessage).toContain('NAME: An instance `inst1.ganeti.test` already exists.');
    expect(error.userMessage).toContain('--os: `debian` is not an OS of this cluster (noop).');
    expect(error.userMessage).toContain(
      '--template: `drbd` is not enabled on this cluster (diskless, file).',
    );
    expect(error.userMessage).toContain(
      '--ip: The cluster’s NICs are routed: give the instance an IP address (or pick a network).',
    );
  });

  it('refuses memory above what any node has free, saying how much the roomiest has', async () => {
    const error = await refusal(
      create.plan(lab(), {
        instance: 'big1',
        os: 'noop',
        template: 'diskless',
        memory: '64G',
        ip: '198.51.100.150',
      }),
    );
    expect(error.userMessage).toMatch(
      /--memory: No node has room for 64G: the most memory free on a usable node is \d+(\.\d+)?G\./,
    );
  });

  it('refuses a node that is offline or drained as the primary', async () => {
    const error = await refusal(
      create.plan(lab('gnt-node_list.fields.node2-drained.txt'), {
        instance: 'new2',
        os: 'noop',
        template: 'diskless',
        ip: '198.51.100.150',
        node: 'node2',
      }),
    );
    expect(error.userMessage).toContain('--node: `node2.ganeti.test` is drained (it takes no instances).');
  });

  it('refuses a short name another instance already has', async () => {
    const error = await refusal(
      create.plan(lab(), {
        instance: 'inst2.example.org',
        os: 'noop',
        template: 'diskless',
        ip: '198.51.100.150',
      }),
    );
    expect(error.userMessage).toContain('`inst2.ganeti.test` already has the short name `inst2`');
  });

  it('gives a project member’s instance the project’s tag, and checks names against a tagless project', async () => {
    const scope: CreateScope = {
      project: 'web',
      tags: ['project:web'],
      patterns: ['web*'],
      nameFits: (n) => n.startsWith('web'),
    };
    const plan = await create.plan(
      { ...lab(), createScope: scope },
      { instance: 'anything1', os: 'noop', template: 'diskless', ip: '198.51.100.150', tags: 'x' },
    );
    expect(plan.steps[0]!.action).toMatchObject({ spec: { tags: ['x', 'project:web'] } });
    const error = await refusal(
      create.plan(
        { ...lab(), createScope: { ...scope, tags: [] } },
        { instance: 'db9', os: 'noop', template: 'diskless', ip: '198.51.100.150' },
      ),
    );
    expect(error.userMessage).toContain('NAME: Instances of project web are named `web*`.');
  });

  it('refuses badly formed values before reading the cluster', () => {
    for (const [args, why] of [
      [{ instance: 'a1', memory: 'lots' }, '`lots` is not a size'],
      [{ instance: 'a1', ip: '1.2.3' }, '`1.2.3` is not an IPv4 address'],
      [{ instance: 'a1', node: 'node1:node2:node3' }, 'is not a node or `PRIMARY:SECONDARY`'],
      [{ instance: 'a1', tags: 'ok, no;pe' }, '`no;pe` is not a Ganeti tag'],
      [{ instance: 'a1', os: '-o' }, '`-o` is not an OS name'],
    ] as const) {
      expect(() => create.validate(args)).toThrow(why);
    }
  });

  it('asks for the name when options come without it', async () => {
    const error = await refusal(create.plan(lab(), { os: 'noop' }));
    expect(error.userMessage).toBe('`create` needs the new instance’s name, or nothing at all for the form.');
  });
});

describe('create’s form', () => {
  it('offers what the cluster has: OS, templates, networks, nodes with their free memory', async () => {
    const form = (await create.form!(lab())) as CreateFormResult;
    expect(form.kind).toBe('create-form');
    expect(form.cluster).toBe('cluster.ganeti.test');
    expect(form.defaults).toEqual({ os: 'noop', template: 'diskless' });
    expect(form.facts.oses).toEqual(['noop']);
    expect(form.facts.templates).toEqual(['diskless', 'file']);
    expect(form.facts.networks).toEqual(['lab-net1', 'lab-net2']);
    expect(form.facts.nicMode).toBe('routed');
    expect(form.facts.instances).toContain('inst1.ganeti.test');
    expect(form.facts.nodes.map((n) => [n.name, n.problem])).toEqual([
      ['node1.ganeti.test', null],
      ['node2.ganeti.test', null],
      ['node3.ganeti.test', null],
    ]);
    expect(form.project).toBeNull();
  });

  it('says which nodes take no instance, and why', async () => {
    const form = (await create.form!(lab('gnt-node_list.fields.node3-offline.txt'))) as CreateFormResult;
    expect(form.facts.nodes.find((n) => n.name === 'node3.ganeti.test')?.problem).toBe(
      '`node3.ganeti.test` is marked offline',
    );
  });
});

describe('remove', () => {
  it('asks the approver to type the name, and warns that the disks go', async () => {
    const plan = await remove.plan(lab(), { instance: 'inst2' });
    expect(plan.confirmName).toBe('inst2.ganeti.test');
    expect(plan.warnings[0]).toBe('Its disks are deleted on `node2.ganeti.test`: this cannot be undone.');
    expect(plan.warnings[1]).toBe('`inst2.ganeti.test` is running: it is shut down first.');
    expect(submitArgv(plan.steps[0]!.action as Parameters<typeof submitArgv>[0], 'R')).toEqual([
      'gnt-instance',
      'remove',
      '-f',
      '--submit',
      '--reason',
      'R',
      '--',
      'inst2.ganeti.test',
    ]);
  });

  it('refuses while the instance’s primary node is offline', async () => {
    const error = await refusal(
      remove.plan(lab('gnt-node_list.fields.node3-offline.txt'), { instance: 'inst3' }),
    );
    expect(error.userMessage).toBe(
      '`inst3.ganeti.test` cannot be removed now: its primary node `node3.ganeti.test` is marked offline, so Ganeti could not delete its disks there.',
    );
  });
});
