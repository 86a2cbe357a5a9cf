import { describe, expect, it } from 'vitest';
import { argv } from '../../src/cluster/argv.js';
import { submitArgv, type InstanceSpec } from '../../src/cluster/actions.js';
import { parseClusterInfo } from '../../src/cluster/parsers/cluster-info.js';
import { parseInstanceList } from '../../src/cluster/parsers/instance-list.js';
import { parseJobInfo } from '../../src/cluster/parsers/job-info.js';
import { parseNetworkList } from '../../src/cluster/parsers/network-list.js';
import { parseNodeList } from '../../src/cluster/parsers/node-list.js';
import { parseOsList } from '../../src/cluster/parsers/os-list.js';
import { parseSubmitOutput } from '../../src/cluster/parsers/submit-output.js';
import { clusterSettings } from '../../src/demo/simulator/cluster-facts.js';
import { createLabCluster, createSimCluster } from '../../src/demo/simulator/create-cluster.js';
import { createSimulator, type Simulator } from '../../src/demo/simulator/interpreter.js';
import type { SimCluster } from '../../src/demo/simulator/model.js';
import { readFixture, readFixtureRaw } from '../support/fixtures.js';

/** A simulator on `cluster` with its clock at `t` ms, moved on by `tick`. */
function simulate(cluster: SimCluster) {
  let t = Date.UTC(2026, 11, 2, 3, 0, 0);
  const sim = createSimulator({ cluster, now: () => t });
  return { sim, cluster, tick: (ms: number) => (t += ms) };
}
/** Four KVM nodes, most instances DRBD (create-cluster.ts). */
const generated = () => simulate(createSimCluster({ nodes: 4, instances: 20 }));
/** The lab of test/fixtures: fake hypervisor, diskless instances, routed NICs. */
const lab = () => simulate(createLabCluster());

const DRBD: InstanceSpec = {
  os: 'debootstrap+default',
  template: 'drbd',
  memoryMb: 2048,
  vcpus: 2,
  diskMb: 20_480,
  network: null,
  ip: null,
  placement: null,
  tags: ['env:test', 'owner:alice'],
};
const DISKLESS: InstanceSpec = {
  ...DRBD,
  os: 'noop',
  template: 'diskless',
  memoryMb: 256,
  vcpus: 1,
  diskMb: null,
  ip: '198.51.100.120',
  placement: { primary: 'node2.ganeti.test', secondary: null },
  tags: [],
};
const REASON = 'ganeti-chatops req=req-new step=add by=U1 approved-by=U2';

/** Submits what the bot would and returns the job id it reads back (src/cluster/ganeti-client.ts). */
function submit(sim: Simulator, instance: string, spec: InstanceSpec): number {
  const result = sim.run(submitArgv({ op: 'instance-add', instance, spec }, REASON));
  expect(result).toMatchObject({ code: 0, stdout: '' });
  const id = parseSubmitOutput(result.stdout, result.stderr);
  if (id === null) throw new Error(`no job id in ${result.stderr}`);
  return id;
}

/** The job once it has had a minute to run, as the bot parses it. */
function finished(s: ReturnType<typeof simulate>, id: number) {
  s.tick(60_000);
  const job = parseJobInfo(s.sim.run(argv.jobInfo(id)).stdout);
  if (!job) throw new Error(`job ${id} not found`);
  return job;
}

/** Marks a node of the cluster by its short name (`node2`). */
function mark(c: SimCluster, short: string, flag: 'offline' | 'drained'): void {
  const found = c.nodes.find((n) => n.name.startsWith(`${short}.`));
  if (!found) throw new Error(short);
  found[flag] = true;
}

const instances = (sim: Simulator) => parseInstanceList(sim.run(argv.instanceList()).stdout);
const nodes = (sim: Simulator) => parseNodeList(sim.run(argv.nodeList()).stdout);
const node = (sim: Simulator, name: string) => nodes(sim).find((n) => n.name === name);

describe('what /ganeti create reads of the simulated cluster', () => {
  it('gives the generated cluster’s OS definitions, settings and networks to the bot’s parsers', () => {
    const { sim } = generated();
    expect(parseOsList(sim.run(argv.osList()).stdout)).toEqual(['debootstrap+default', 'noop']);
    expect(parseClusterInfo(sim.run(argv.clusterInfo()).stdout)).toEqual({
      name: 'cluster.example.org',
      master: 'node001.example.org',
      enabledHypervisors: ['kvm'],
      enabledDiskTemplates: ['drbd', 'plain', 'diskless'],
      defaultIallocator: 'hail',
      nicMode: 'bridged',
      nicLink: 'br0',
    });
    expect(sim.run(argv.networkList())).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(parseNetworkList(sim.run(argv.networkList()).stdout)).toEqual([]);
  });

  it('answers for the lab cluster as the lab does, gnt-cluster info line by line in its layout', () => {
    const { sim } = lab();
    expect(sim.run(argv.osList()).stdout).toBe(readFixture('gnt-os_list.no-headers.txt'));
    const ours = sim.run(argv.clusterInfo()).stdout;
    const theirs = readFixture('gnt-cluster_info.txt');
    const keys = (text: string) => text.split('\n').map((l) => l.replace(/: .*$/, ':'));
    expect(keys(ours)).toEqual(keys(theirs));
    // The lab also enables `file`, which the simulator does not model.
    expect(parseClusterInfo(ours)).toEqual({
      ...parseClusterInfo(theirs),
      enabledDiskTemplates: ['diskless'],
    });
  });

  it('lists networks like the captures, with none or with the lab’s two', () => {
    const command = (name: string) =>
      (readFixtureRaw(name).split('\n')[0] ?? '').slice(2).replace("'|'", '|');
    expect(command('gnt-network_list.fields.txt')).toBe(argv.networkList().join(' '));
    const empty = lab();
    expect(empty.sim.run(argv.networkList()).stdout).toBe(readFixture('gnt-network_list.fields.empty.txt'));
    const s = lab();
    clusterSettings(s.cluster).networks = [
      { name: 'lab-net1', subnet: '10.99.0.0/24', gateway: '10.99.0.1', mode: 'routed', link: '100' },
      { name: 'lab-net2', subnet: '10.98.0.0/28', gateway: null, mode: 'routed', link: '100' },
    ];
    const listed = s.sim.run(argv.networkList()).stdout;
    expect(listed).toBe(readFixture('gnt-network_list.fields.txt'));
    expect(parseNetworkList(listed).map((n) => n.gateway)).toEqual(['10.99.0.1', null]);
  });
});

describe('gnt-instance add as the bot sends it', () => {
  it('creates a DRBD instance where hail puts it: a job with Ganeti’s log, then a running instance', () => {
    const s = generated();
    const before = nodes(s.sim);
    const mostFree = [...before].sort((a, b) => (b.memoryFreeMiB ?? 0) - (a.memoryFreeMiB ?? 0))[0];
    const id = submit(s.sim, 'web9.example.org', DRBD);
    expect(parseJobInfo(s.sim.run(argv.jobInfo(id)).stdout)?.status).toBe('queued');
    const job = finished(s, id);
    expect(job).toMatchObject({ status: 'success', reasons: [REASON] });
    const log = job.log.map((l) => l.message);
    expect(log[0]).toMatch(
      /^- INFO: Selected nodes for instance web9\.example\.org via iallocator hail: node\d+\.example\.org, node\d+\.example\.org$/,
    );
    expect(log).toContain('* running the instance OS create scripts...');
    expect(log.at(-1)).toBe('* starting instance...');
    const made = instances(s.sim).find((i) => i.name === 'web9.example.org');
    expect(made).toMatchObject({
      primaryNode: mostFree?.name,
      status: 'running',
      running: true,
      adminState: 'up',
      diskTemplate: 'drbd',
      memoryMiB: 2048,
      vcpus: 2,
      tags: ['env:test', 'owner:alice'],
    });
    const secondary = made?.secondaryNodes[0] ?? '';
    expect(made?.secondaryNodes).toHaveLength(1);
    expect(secondary).not.toBe(made?.primaryNode);
    const was = (name: string) => before.find((n) => n.name === name);
    expect(node(s.sim, mostFree?.name ?? '')?.memoryFreeMiB).toBe((mostFree?.memoryFreeMiB ?? 0) - 2048);
    expect(node(s.sim, secondary)?.diskFreeMiB).toBe((was(secondary)?.diskFreeMiB ?? 0) - 20_480);
  });

  it('creates a diskless instance on the node given, with its IP, the opcode shaped like the lab’s', () => {
    const s = lab();
    const id = submit(s.sim, 'inst5.ganeti.test', DISKLESS);
    // The lab created inst1 with the same options (job 5 of the capture).
    const keys = (line: string) => [...line.matchAll(/'(\w+)': /g)].map((m) => m[1]);
    const ops = s.sim.run(argv.jobOps()).stdout;
    expect(keys(ops)).toEqual(keys(readFixture('gnt-job_list.ops-with-reason.txt').split('\n')[4] ?? ''));
    expect(ops).toContain("'nics': [{'ip': '198.51.100.120'}]");
    const job = finished(s, id);
    expect(job.status).toBe('success');
    expect(job.log.map((l) => l.message)).toEqual([
      '* creating instance disks...',
      'adding instance inst5.ganeti.test to cluster config',
      'adding disks to cluster config',
      '* starting instance...',
    ]);
    const facts = s.sim.run([
      'gnt-instance',
      'list',
      '--no-headers',
      '-o',
      'pnode,nic.ips,nic.modes,os',
      '--',
      'inst5',
    ]);
    expect(facts.stdout).toBe('node2.ganeti.test 198.51.100.120 routed noop\n');
    const info = s.sim.run(argv.jobInfo(id)).stdout;
    expect(info).toContain(
      '        beparams: \n          maxmem: 256\n          minmem: 256\n          vcpus: 1\n',
    );
    expect(info).toContain('        nics: \n          - ip: 198.51.100.120\n');
  });

  it('connects the NIC to a network with a free IP of it, and refuses one in use or outside it', () => {
    const s = lab();
    clusterSettings(s.cluster).networks = [
      { name: 'lab-net1', subnet: '10.99.0.0/24', gateway: '10.99.0.1', mode: 'routed', link: '100' },
    ];
    const onNet = { ...DISKLESS, network: 'lab-net1', ip: '10.99.0.5' };
    const job = finished(s, submit(s.sim, 'inst5.ganeti.test', onNet));
    expect(job.status).toBe('success');
    expect(job.log[0]?.message).toBe("- INFO: NIC/0 inherits netparams ['routed', '100', '']");
    const ips = s.sim.run(['gnt-instance', 'list', '--no-headers', '-o', 'nic.ips', '--', 'inst5']).stdout;
    expect(ips).toBe('10.99.0.5\n');
    const inUse = 'IP address 10.99.0.5 already in use or does not belong to network lab-net1';
    expect(finished(s, submit(s.sim, 'inst6.ganeti.test', onNet)).opcodes[0]?.error?.message).toBe(inUse);
    const outside = { ...onNet, ip: '10.98.0.5' };
    expect(finished(s, submit(s.sim, 'inst7.ganeti.test', outside)).opcodes[0]?.error?.message).toBe(
      'IP address 10.98.0.5 already in use or does not belong to network lab-net1',
    );
    const noNet = { ...DISKLESS, ip: '10.99.0.9' };
    expect(finished(s, submit(s.sim, 'inst8.ganeti.test', noNet)).opcodes[0]?.error?.message).toBe(
      'The requested IP address (10.99.0.9) belongs to network lab-net1, but the target NIC does not.',
    );
  });

  it.each<[string, (c: SimCluster) => void, string, InstanceSpec, string]>([
    [
      'an existing name',
      () => undefined,
      'inst1.ganeti.test',
      DISKLESS,
      "Instance 'inst1.ganeti.test' is already in the cluster",
    ],
    [
      'an offline primary',
      (c) => mark(c, 'node2', 'offline'),
      'inst5.ganeti.test',
      DISKLESS,
      "Cannot use offline primary node 'node2.ganeti.test'",
    ],
    [
      'a drained primary',
      (c) => mark(c, 'node2', 'drained'),
      'inst5.ganeti.test',
      DISKLESS,
      "Cannot use drained primary node 'node2.ganeti.test'",
    ],
    [
      'more memory than the primary has free',
      () => undefined,
      'inst5.ganeti.test',
      { ...DISKLESS, memoryMb: 24_000 },
      'Not enough memory on node node2.ganeti.test for creating instance inst5.ganeti.test: needed 24000 MiB, available 23001 MiB',
    ],
    [
      'more memory than any node has, for hail',
      () => undefined,
      'inst5.ganeti.test',
      { ...DISKLESS, memoryMb: 24_000, placement: null },
      "Can't compute nodes using iallocator 'hail': Request failed: Group default (preferred): No valid allocation solutions, failure reasons: FailMem: 3",
    ],
    [
      'a template the cluster does not enable',
      () => undefined,
      'inst5.ganeti.test',
      { ...DRBD, os: 'noop', placement: null },
      "Disk template 'drbd' is not enabled in cluster. Enabled disk templates are: diskless",
    ],
    [
      'an OS the nodes do not have',
      () => undefined,
      'inst5.ganeti.test',
      { ...DISKLESS, os: 'debootstrap+default' },
      'OS Parameters validation failed on node node2.ganeti.test: Directory for OS debootstrap not found in search path',
    ],
    [
      'a node Ganeti does not know',
      () => undefined,
      'inst5.ganeti.test',
      { ...DISKLESS, placement: { primary: 'node9.ganeti.test', secondary: null } },
      "Node 'node9.ganeti.test' not known",
    ],
  ])('fails the job, as Ganeti does, for %s', (_what, setup, name, spec, message) => {
    const s = lab();
    setup(s.cluster);
    const job = finished(s, submit(s.sim, name, spec));
    expect(job.status).toBe('error');
    expect(job.opcodes[0]?.error?.message).toBe(message);
    expect(instances(s.sim).filter((i) => i.name === name)).toHaveLength(
      name === 'inst1.ganeti.test' ? 1 : 0,
    );
  });

  it('fails a DRBD job without a distinct online secondary, and a disk bigger than the nodes have', () => {
    const s = generated();
    const [a, b] = s.cluster.nodes.map((n) => n.name);
    const same = submit(s.sim, 'x1.example.org', {
      ...DRBD,
      placement: { primary: a ?? '', secondary: a ?? '' },
    });
    expect(finished(s, same).opcodes[0]?.error?.message).toBe(
      'The secondary node cannot be the primary node',
    );
    mark(s.cluster, 'node002', 'offline');
    const off = submit(s.sim, 'x2.example.org', {
      ...DRBD,
      placement: { primary: a ?? '', secondary: b ?? '' },
    });
    expect(finished(s, off).opcodes[0]?.error?.message).toBe(`Can't use offline node: ${b ?? ''}`);
    const plain = { ...DRBD, template: 'plain', diskMb: 4 * 1_048_576 };
    const big = submit(s.sim, 'x3.example.org', {
      ...plain,
      placement: { primary: a ?? '', secondary: null },
    });
    expect(finished(s, big).opcodes[0]?.error?.message).toMatch(
      new RegExp(
        `^Not enough disk space on target node ${a ?? ''} vg xenvg: required 4194304 MiB, available \\d+ MiB$`,
      ),
    );
    // hail finds no node with room: three usable nodes, node002 being offline.
    expect(finished(s, submit(s.sim, 'x4.example.org', plain)).opcodes[0]?.error?.message).toMatch(
      /failure reasons: FailDisk: 3$/,
    );
  });

  it('refuses at submission what Ganeti’s CLI refuses, with its texts and exit codes', () => {
    const { sim } = lab();
    expect(sim.run(['gnt-instance', 'add', '--bogus', '--submit', '--', 'a.ganeti.test'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('gnt-instance: error: no such option: --bogus'),
    });
    const add = (...extra: string[]) =>
      sim.run(['gnt-instance', 'add', '-o', 'noop', ...extra, '--submit', '--', 'a.ganeti.test']);
    expect(add('-t', 'diskless', '--disk', '0:size=1G')).toMatchObject({
      code: 1,
      stderr:
        'Failure: prerequisites not met for this operation:\nerror type: wrong_input, error details:\nDiskless instance but disk information passed\n',
    });
    expect(add('-t', 'plain').stderr).toContain('No disk information specified');
    expect(add('-t', 'plain', '--disk', '0:size=lots').stderr).toContain(
      'Invalid disk size for disk 0: Invalid format',
    );
    expect(add('-t', 'diskless', '-B', 'memory=1Q')).toMatchObject({
      code: 1,
      stderr: "Parameter Error: 'memory' (value 1Q) is not a valid size. error: Unknown unit: Q\n",
    });
    expect(add('-t', 'nosuch').code).toBe(2);
    expect(sim.cluster.jobs).toHaveLength(0);
  });
});

describe('gnt-instance remove as the bot sends it', () => {
  const remove = (sim: Simulator, instance: string) =>
    parseSubmitOutput('', sim.run(submitArgv({ op: 'instance-remove', instance }, REASON)).stderr) ?? -1;

  it('removes an instance in a job: gone from gnt-instance list, its memory free again', () => {
    const s = generated();
    const made = finished(s, submit(s.sim, 'web9.example.org', DRBD));
    expect(made.status).toBe('success');
    const pnode = instances(s.sim).find((i) => i.name === 'web9.example.org')?.primaryNode ?? '';
    const free = node(s.sim, pnode)?.memoryFreeMiB ?? 0;
    const job = finished(s, remove(s.sim, 'web9.example.org'));
    expect(job).toMatchObject({ status: 'success', reasons: [REASON] });
    expect(job.opcodes[0]?.opcode).toBe('OP_INSTANCE_REMOVE');
    expect(instances(s.sim).map((i) => i.name)).not.toContain('web9.example.org');
    expect(node(s.sim, pnode)?.memoryFreeMiB).toBe(free + 2048);
  });

  it('fails for an unknown instance, and while the primary is offline, as Ganeti would', () => {
    const s = lab();
    const unknown = finished(s, remove(s.sim, 'nosuch.ganeti.test'));
    expect(unknown.opcodes[0]?.error).toEqual({
      kind: 'OpPrereqError',
      message: "Instance 'nosuch.ganeti.test' not known",
    });
    mark(s.cluster, 'node3', 'offline');
    const offline = finished(s, remove(s.sim, 'inst3.ganeti.test'));
    expect(offline.opcodes[0]?.error).toEqual({
      kind: 'OpExecError',
      message:
        'Could not shutdown instance inst3.ganeti.test on node node3.ganeti.test: Node is marked offline',
    });
    expect(instances(s.sim).map((i) => i.name)).toContain('inst3.ganeti.test');
    // Without -f Ganeti asks on the terminal: exit 1, nothing printed.
    expect(s.sim.run(['gnt-instance', 'remove', '--submit', '--', 'inst3.ganeti.test'])).toMatchObject({
      code: 1,
      stderr: '',
    });
  });
});
