import { describe, expect, it } from 'vitest';
import { argv } from '../../src/cluster/argv.js';
import { reasonText, submitArgv } from '../../src/cluster/actions.js';
import { parseInstanceList } from '../../src/cluster/parsers/instance-list.js';
import { parseJobInfo } from '../../src/cluster/parsers/job-info.js';
import { findJobsMentioning } from '../../src/cluster/parsers/job-ops.js';
import { parseNodeList } from '../../src/cluster/parsers/node-list.js';
import { parseNodeHealthList } from '../../src/cluster/parsers/node-health-list.js';
import { parseHspace } from '../../src/cluster/parsers/hspace.js';
import { parseHcheck } from '../../src/cluster/parsers/hcheck.js';
import { parseHbal } from '../../src/cluster/parsers/hbal.js';
import { parseClusterVerify } from '../../src/cluster/parsers/cluster-verify.js';
import { parseInstanceInfo } from '../../src/cluster/parsers/instance-info.js';
import { createLabCluster, createSimCluster } from '../../src/demo/simulator/create-cluster.js';
import { createSimulator } from '../../src/demo/simulator/interpreter.js';
import type { SimCluster } from '../../src/demo/simulator/model.js';

function simulate(cluster: SimCluster) {
  let t = Date.UTC(2026, 11, 2, 3, 0, 0);
  const sim = createSimulator({ cluster, now: () => t });
  return { sim, tick: (ms: number) => (t += ms) };
}

const instances = (sim: ReturnType<typeof simulate>['sim']) =>
  parseInstanceList(sim.run(argv.instanceList()).stdout);

describe('the simulated cluster changes as Ganeti’s would', () => {
  it('a failover is a job that runs for seconds, keeps its reason, and swaps primary and secondary', () => {
    const { sim, tick } = simulate(createSimCluster());
    const drbd = instances(sim).find((i) => i.secondaryNodes.length === 1 && i.status === 'running');
    if (!drbd) throw new Error('no running DRBD instance');
    const [secondary] = drbd.secondaryNodes;
    const reason = reasonText({ requestId: 'req-1', stepKey: 's1', requester: 'U1', approver: 'U2' });
    const submitted = sim.run(
      submitArgv({ op: 'instance-failover', instance: drbd.name, target: null }, reason),
    );
    expect(submitted).toMatchObject({ code: 0, stderr: 'JobID: 1\n' });
    expect(findJobsMentioning(sim.run(argv.jobOps()).stdout, 'req=req-1 step=s1 ')).toEqual([
      { id: 1, status: 'queued' },
    ]);
    tick(1_000);
    expect(parseJobInfo(sim.run(argv.jobInfo(1)).stdout)?.status).toBe('running');
    expect(instances(sim).find((i) => i.name === drbd.name)?.primaryNode).toBe(drbd.primaryNode);
    tick(5_000);
    const done = parseJobInfo(sim.run(argv.jobInfo(1)).stdout);
    expect(done).toMatchObject({ status: 'success', reasons: [reason] });
    expect(done?.log.map((l) => l.message)).toContain(`Failover instance ${drbd.name}`);
    const moved = instances(sim).find((i) => i.name === drbd.name);
    expect(moved).toMatchObject({
      primaryNode: secondary,
      secondaryNodes: [drbd.primaryNode],
      status: 'running',
    });
  });

  it('a job whose prerequisites fail ends in error with Ganeti’s message', () => {
    const { sim, tick } = simulate(createLabCluster());
    sim.run(
      submitArgv(
        { op: 'instance-failover', instance: 'inst1.ganeti.test', target: 'nosuchnode.ganeti.test' },
        'r',
      ),
    );
    tick(2_000);
    const job = parseJobInfo(sim.run(argv.jobInfo(1)).stdout);
    expect(job?.status).toBe('error');
    expect(job?.opcodes[0]?.error).toEqual({
      kind: 'OpPrereqError',
      message: "Node 'nosuchnode.ganeti.test' not known",
    });
  });

  it('a job not yet started can be cancelled, a running one not', () => {
    const { sim, tick } = simulate(createLabCluster());
    sim.run(submitArgv({ op: 'instance-shutdown', instance: 'inst1.ganeti.test' }, 'r'));
    sim.run(submitArgv({ op: 'instance-shutdown', instance: 'inst2.ganeti.test' }, 'r'));
    expect(sim.run(argv.jobCancel(1))).toMatchObject({ code: 0, stdout: 'Job successfully cancelled\n' });
    tick(1_000);
    expect(sim.run(argv.jobCancel(2)).code).toBe(1);
    tick(5_000);
    expect(sim.run(argv.jobList()).stdout).toMatch(/^1\|canceled\|.*\n2\|success\|/);
    expect(instances(sim).map((i) => i.status)).toEqual(['running', 'ADMIN_down', 'running', 'ADMIN_down']);
  });

  it('drain, offline and a node’s secondaries evacuated, as jobs', () => {
    const { sim, tick } = simulate(createSimCluster({ nodes: 4, instances: 60 }));
    const victim = 'node002.example.org';
    sim.run(submitArgv({ op: 'node-set', node: victim, flag: 'drained', value: true }, 'r'));
    sim.run(submitArgv({ op: 'node-evacuate-secondaries', node: victim }, 'r'));
    tick(20_000);
    const nodes = parseNodeList(sim.run(argv.nodeList()).stdout);
    expect(nodes.find((n) => n.name === victim)).toMatchObject({ role: 'drained', secondaryInstances: 0 });
    sim.run(submitArgv({ op: 'node-set', node: victim, flag: 'offline', value: true }, 'r'));
    tick(2_000);
    const health = parseNodeHealthList(sim.run(argv.nodeHealth()).stdout);
    expect(health.find((n) => n.name === victim)?.offline).toBe(true);
    expect(
      instances(sim)
        .filter((i) => i.primaryNode === victim)
        .every((i) => i.status === 'ERROR_nodeoffline'),
    ).toBe(true);
  });

  it('fails instances over from a powered-off node once it is marked offline, and not before', () => {
    const { sim, tick } = simulate(createSimCluster({ nodes: 4, instances: 60 }));
    const victim = 'node002.example.org';
    const moving = instances(sim).find((i) => i.primaryNode === victim && i.secondaryNodes.length === 1);
    if (!moving) throw new Error('no DRBD instance on the victim');
    sim.setFault(victim, 'powered-off');
    const migrate = {
      op: 'instance-migrate',
      instance: moving.name,
      target: null,
      allowFailover: true,
    } as const;
    sim.run(submitArgv(migrate, 'r'));
    tick(10_000);
    const early = parseJobInfo(sim.run(argv.jobInfo(1)).stdout);
    expect(early?.status).toBe('error');
    sim.run(submitArgv({ op: 'node-set', node: victim, flag: 'offline', value: true }, 'r'));
    tick(2_000);
    sim.run(submitArgv(migrate, 'r'));
    tick(10_000);
    const moved = instances(sim).find((i) => i.name === moving.name);
    expect([moved?.primaryNode, moved?.status]).toEqual([moving.secondaryNodes[0], 'running']);
  });

  it('faults: an unreachable node shows ? and ERROR_nodedown, a powered-off one comes back with its instances down', () => {
    const { sim, tick } = simulate(createLabCluster());
    sim.setFault('node3.ganeti.test', 'unreachable');
    const list = sim.run(argv.nodeList());
    expect(list.slowMs).toBeGreaterThan(0);
    expect(list.stdout).toContain('node3.ganeti.test|?|?|?|?|?|1|0|N|N|Y|C\n');
    expect(instances(sim).find((i) => i.name === 'inst3.ganeti.test')?.status).toBe('ERROR_nodedown');
    sim.run(
      submitArgv(
        { op: 'instance-failover', instance: 'inst3.ganeti.test', target: 'node1.ganeti.test' },
        'r',
      ),
    );
    tick(2_000);
    expect(parseJobInfo(sim.run(argv.jobInfo(1)).stdout)?.opcodes[0]?.error?.message).toMatch(
      /^Can't get data for node node3\.ganeti\.test: Error 7: Failed to connect to 198\.51\.100\.13 port 1811/,
    );
    sim.setFault('node3.ganeti.test', 'powered-off');
    sim.setFault('node3.ganeti.test', null);
    expect(instances(sim).find((i) => i.name === 'inst3.ganeti.test')?.status).toBe('ERROR_down');
    expect(parseClusterVerify(sim.run(argv.verify()).stdout).findings.length).toBeGreaterThan(0);
  });

  it('every read the bot makes parses with the bot’s own parsers, also at 200 nodes and 10,000 instances', () => {
    const big = createSimCluster({ nodes: 200, instances: 10_000, seed: 7 });
    const { sim } = simulate(big);
    expect(parseNodeList(sim.run(argv.nodeList()).stdout)).toHaveLength(200);
    const all = instances(sim);
    expect(all).toHaveLength(10_000);
    expect(new Set(all.map((i) => i.name)).size).toBe(10_000);
    expect(all.filter((i) => i.secondaryNodes.length === 1).length).toBeGreaterThan(8_000);
    expect(parseNodeHealthList(sim.run(argv.nodeHealth()).stdout)).toHaveLength(200);
    expect(parseHspace(sim.run(argv.hspace()).stdout).cluster.nodes).toBe(200);
    expect(parseHcheck(sim.run(argv.hcheck()).stdout)).toBeTruthy();
    expect(parseHbal(sim.run(argv.hbalPlan()).stdout)).toBeTruthy();
    expect(parseInstanceInfo(sim.run(argv.instanceInfo(all[0]?.name ?? '')).stdout).name).toBe(all[0]?.name);
    // Deterministic from the seed.
    expect(createSimCluster({ nodes: 200, instances: 10_000, seed: 7 })).toEqual(
      createSimCluster({ nodes: 200, instances: 10_000, seed: 7 }),
    );
    expect(createSimCluster({ seed: 8 }).instances).not.toEqual(createSimCluster({ seed: 7 }).instances);
    expect(createSimCluster().nodes).toHaveLength(4);
    expect(createSimCluster().instances).toHaveLength(60);
  });
});
