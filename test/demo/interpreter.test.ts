import { describe, expect, it } from 'vitest';
import { argv } from '../../src/cluster/argv.js';
import { submitArgv } from '../../src/cluster/actions.js';
import { createLabCluster } from '../../src/demo/simulator/create-cluster.js';
import { createSimulator } from '../../src/demo/simulator/interpreter.js';
import type { SimCluster } from '../../src/demo/simulator/model.js';
import { readFixture, readFixtureRaw } from '../support/fixtures.js';

/** The lab-shaped cluster of test/fixtures, with its clock at `t` ms. */
function lab(setup?: (c: SimCluster) => void) {
  const cluster = createLabCluster();
  setup?.(cluster);
  let t = Date.UTC(2026, 11, 2, 3, 0, 0);
  const sim = createSimulator({ cluster, now: () => t });
  return { sim, cluster, tick: (ms: number) => (t += ms) };
}

/** The fixture's `$ COMMAND` line, as an argv (the captures quote only the separator). */
const commandOf = (name: string) =>
  (readFixtureRaw(name).split('\n')[0] ?? '').slice(2).replace("'|'", '|').split(' ');

const node = (c: SimCluster, short: string) => {
  const n = c.nodes.find((x) => x.name.startsWith(`${short}.`));
  if (!n) throw new Error(short);
  return n;
};
const inst = (c: SimCluster, short: string) => {
  const i = c.instances.find((x) => x.name.startsWith(`${short}.`));
  if (!i) throw new Error(short);
  return i;
};

describe('the simulator answers like the lab captured in test/fixtures', () => {
  it.each([
    ['gnt-node_list.fields.txt', argv.nodeList(), undefined],
    ['gnt-node_list.name-uuid.txt', argv.nodeUuids(), undefined],
    ['gnt-instance_list.fields.txt', argv.instanceList(), undefined],
    ['gnt-instance_list.facts.inst1.txt', argv.instanceFacts('inst1.ganeti.test'), undefined],
    ['gnt-cluster_getmaster.txt', argv.getMaster(), undefined],
    [
      'gnt-instance_list.fields.with-tags.txt',
      argv.instanceList(),
      (c: SimCluster) => (inst(c, 'inst1').tags = ['env:test', 'owner:alice']),
    ],
    [
      'gnt-node_list.fields.node2-drained.txt',
      argv.nodeList(),
      (c: SimCluster) => {
        node(c, 'node2').drained = true;
        inst(c, 'inst2').pnode = 'node3.ganeti.test';
        for (const n of c.nodes) [n.mnode, n.mfreeIdle, n.dfreeIdle] = [332, 23060, 80901];
        node(c, 'node2').mfreeIdle = 23317;
        node(c, 'node3').mfreeIdle = 22805;
      },
    ],
    [
      'gnt-node_list.fields.node3-offline.txt',
      argv.nodeList(),
      (c: SimCluster) => {
        node(c, 'node3').offline = true;
        inst(c, 'inst2').pnode = 'node3.ganeti.test';
        for (const n of c.nodes) [n.mnode, n.mfreeIdle, n.dfreeIdle] = [330, 23107, 80901];
        node(c, 'node2').mfreeIdle = 23363;
      },
    ],
    [
      'gnt-node_list.fields.node3-unreachable.txt',
      argv.nodeList(),
      (c: SimCluster) => {
        node(c, 'node3').fault = 'unreachable';
        for (const n of c.nodes) [n.mnode, n.mfreeIdle, n.dfreeIdle] = [319, 23089, 80901];
      },
    ],
    [
      'gnt-node_list.health.node3-offline.txt',
      argv.nodeHealth(),
      (c: SimCluster) => {
        node(c, 'node3').offline = true;
        for (const n of c.nodes) [n.mfreeIdle, n.dfreeIdle] = [23385, 81335];
      },
    ],
    [
      'gnt-node_list.health.node3-noded-stopped.txt',
      argv.nodeHealth(),
      (c: SimCluster) => {
        node(c, 'node3').fault = 'noded-down';
        for (const n of c.nodes) [n.mfreeIdle, n.dfreeIdle] = [23448, 81335];
      },
    ],
    [
      'gnt-instance_list.fields.node3-unreachable.txt',
      argv.instanceList(),
      (c: SimCluster) => {
        node(c, 'node3').fault = 'unreachable';
        [inst(c, 'inst2').pnode, inst(c, 'inst3').pnode] = ['node3.ganeti.test', 'node2.ganeti.test'];
      },
    ],
    [
      'gnt-instance_list.fields.node3-offline.txt',
      argv.instanceList(),
      (c: SimCluster) => {
        node(c, 'node3').offline = true;
        inst(c, 'inst2').pnode = 'node3.ganeti.test';
      },
    ],
  ])('%s: the same command, byte for byte the same stdout', (fixture, command, setup) => {
    const { sim } = lab(setup);
    expect(command).toEqual(commandOf(fixture));
    const result = sim.run(command);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(readFixture(fixture));
  });

  it('gives the error texts of test/fixtures/error.* for what does not exist', () => {
    const { sim } = lab();
    const info = sim.run(argv.instanceInfo('nosuch.ganeti.test'));
    expect(info).toMatchObject({ code: 1, stdout: readFixture('error.gnt-instance_info.nonexistent.txt') });
    expect(info.stderr).toBe(readFixture('error.gnt-instance_info.nonexistent.stderr.txt'));
    const facts = sim.run(argv.instanceFacts('nosuch.ganeti.test'));
    expect(facts.code).toBe(1);
    expect(facts.stderr).toBe(readFixture('gnt-instance_list.facts.unknown.stderr.txt'));
    expect(sim.run(argv.jobInfo(99999))).toMatchObject({
      code: 0,
      stdout: readFixture('error.gnt-job_info.nonexistent.txt'),
    });
    expect(sim.run(argv.jobCancel(99999)).stdout).toBe(readFixture('error.gnt-job_cancel.nonexistent.txt'));
    expect(sim.run(['gnt-node', 'list'], 'node2.ganeti.test').stderr).toBe(
      readFixture('error.gnt-node_list.on-non-master.stderr.txt').replace('node2', 'node1'),
    );
  });

  it('prints a submitted job id where Ganeti does: stderr for failover, stdout for startup', () => {
    const { sim } = lab();
    const failover = sim.run(
      submitArgv(
        { op: 'instance-failover', instance: 'inst2.ganeti.test', target: 'node3.ganeti.test' },
        'r',
      ),
    );
    expect(failover).toMatchObject({ code: 0, stdout: '', stderr: 'JobID: 1\n' });
    const startup = sim.run(submitArgv({ op: 'instance-startup', instance: 'inst4.ganeti.test' }, 'r'));
    expect(startup).toMatchObject({ code: 0, stdout: '2: inst4.ganeti.test\n', stderr: '' });
    expect(readFixture('gnt-instance_failover.submit-target.stderr.txt')).toMatch(/^JobID: \d+\n$/);
    expect(readFixture('gnt-instance_startup.submit.txt')).toMatch(/^\d+: inst4\.ganeti\.test\n$/);
  });

  it('lays out gnt-job info line by line like the captured failover job', () => {
    const { sim, tick } = lab();
    sim.run(submitArgv({ op: 'instance-failover', instance: 'inst2.ganeti.test', target: null }, 'because'));
    tick(10_000);
    const ours = sim.run(argv.jobInfo(1)).stdout;
    /** Each line's key (the text before the first `:`), values and reason items left out. */
    const shape = (text: string) =>
      text
        .split('\n')
        .filter((l) => !/^\s+- (?:- )?\S/.test(l) || /^\s+- (Time|Opcode|Job ID):/.test(l))
        .map((l) => l.replace(/:.*$/, ':'));
    const theirs = readFixture('gnt-job_info.failover.txt');
    expect(shape(ours).filter((l) => !/^\s+target_node/.test(l))).toEqual(shape(theirs));
    expect(ours).toContain('          - - gnt:user\n            - because\n');
  });

  it('lays out gnt-job list timestamps and ops like the captures', () => {
    const { sim, tick } = lab();
    sim.run(
      submitArgv(
        { op: 'instance-reboot', instance: 'inst1.ganeti.test', hard: true },
        'ganeti-chatops req=req-abc step=inst1',
      ),
    );
    const queued = sim.run(argv.jobList()).stdout;
    expect(queued).toMatch(/^1\|queued\|INSTANCE_REBOOT\(inst1\.ganeti\.test\)\|\[\d+, \d+\]\|-\|-\n$/);
    tick(10_000);
    expect(sim.run(argv.jobList()).stdout).toMatch(
      /^1\|success\|INSTANCE_REBOOT\(inst1\.ganeti\.test\)(\|\[\d+, \d+\]){3}\n$/,
    );
    const ops = sim.run(argv.jobOps()).stdout;
    const captured = readFixture('gnt-job_list.ops-with-reason.txt').split('\n')[9] ?? '';
    const keys = (line: string) => [...line.matchAll(/'(\w+)': /g)].map((m) => m[1]);
    expect(keys(ops)).toEqual(keys(captured));
    expect(ops).toContain("['gnt:user', 'ganeti-chatops req=req-abc step=inst1', ");
  });

  it('gnt-cluster verify --error-codes: the healthy steps, and the unreachable node’s errors', () => {
    const healthy = lab().sim.run(argv.verify());
    const steps = (text: string) =>
      text.split('\n').map((l) => l.replace(/^\w{3} \w{3} [ \d]\d [\d:]{8} \d{4} /, '').replace(/\d+/g, 'N'));
    expect(healthy.code).toBe(0);
    expect(steps(healthy.stdout)).toEqual(steps(readFixture('gnt-cluster_verify.error-codes.healthy.txt')));
    const down = lab((c) => (node(c, 'node3').fault = 'unreachable')).sim.run(argv.verify());
    expect(down.code).toBe(1);
    const codes = (text: string) =>
      [...text.matchAll(/ERROR:(\w+):(node|instance):/g)].map((m) => `${m[1]}:${m[2]}`).sort();
    expect(codes(down.stdout)).toEqual(
      codes(readFixture('gnt-cluster_verify.error-codes.node3-unreachable.txt')),
    );
  });

  it('htools: the report shapes of the captures, and the load error with a node unreachable', () => {
    const { sim } = lab();
    const keys = (text: string) => text.split('\n').map((l) => l.split('=')[0]);
    const hcheck = sim.run(argv.hcheck());
    expect(keys(hcheck.stdout)).toEqual(keys(readFixture('hcheck.L-machine-readable.txt')));
    const hbal = sim.run(argv.hbalPlan()).stdout;
    expect(hbal.split('\n').map((l) => l.replace(/:.*$|\d.*$/, ''))).toEqual(
      readFixture('hbal.L-dry-run-verbose.txt')
        .split('\n')
        .map((l) => l.replace(/:.*$|\d.*$/, '')),
    );
    expect(sim.run(argv.hspace()).stdout).toMatch(/^HTS_CLUSTER_MEM=72315\n[^]*\nHTS_OK=1\n$/);
    const down = lab((c) => (node(c, 'node3').fault = 'unreachable')).sim.run(argv.hcheck());
    expect(down).toMatchObject({ code: 1, stderr: readFixture('hcheck.L.node3-unreachable.stderr.txt') });
  });
});
