import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteArgv } from '../../src/cluster/shell-quote.js';
import { connectCluster, type ClusterAccess } from '../../src/cluster/connect-cluster.js';
import { createLabCluster, createSimCluster } from '../../src/demo/simulator/create-cluster.js';
import {
  startSimulatedCluster,
  type SimulatedCluster,
} from '../../src/demo/simulator/start-simulated-cluster.js';
import { unquoteArgv } from '../../src/demo/simulator/unquote.js';

describe('unquoting what the bot’s transport sends (src/cluster/shell-quote.ts)', () => {
  it.each([
    [['gnt-node', 'list', '--no-headers', '--separator=|', '-o', 'name,role']],
    [
      [
        'gnt-instance',
        'failover',
        '-f',
        '--submit',
        '--reason',
        "ganeti-chatops req=r-1 step=1 by=U'1",
        '--',
        'x',
      ],
    ],
    [['A=b', 'time', '', "'", '$(reboot)', 'a b']],
  ])('reads back exactly the argv quoteArgv quoted: %j', (words) => {
    expect(unquoteArgv(quoteArgv(words))).toEqual(words);
  });

  it.each([
    'gnt-node list; reboot',
    'gnt-node  list',
    'gnt-node list ',
    'echo $(id)',
    'echo "a"',
    "echo 'a",
    "echo 'a'b",
    'A=b gnt-node list',
    'time gnt-node list',
    'echo a\\ b',
    '',
  ])('refuses anything quoteArgv would not produce: %j', (command) => {
    expect(unquoteArgv(command)).toBeNull();
  });
});

describe('the bot’s real cluster stack over the simulator’s SSH servers', () => {
  let sim: SimulatedCluster;
  let access: ClusterAccess;

  beforeAll(async () => {
    sim = await startSimulatedCluster({ cluster: createLabCluster(), speed: 0.2, delayScale: 0 });
    access = connectCluster(sim.config, { logger: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await access?.close();
    await sim?.close();
  });

  it('finds the master among three candidates and reads nodes, instances, facts, info and jobs', async () => {
    expect(sim.servers).toHaveLength(3);
    expect(await access.client.master()).toBe('node1.ganeti.test');
    const nodes = await access.client.nodes();
    expect(nodes.map((n) => [n.name, n.role])).toEqual([
      ['node1.ganeti.test', 'master'],
      ['node2.ganeti.test', 'candidate'],
      ['node3.ganeti.test', 'candidate'],
    ]);
    const instances = await access.client.instances();
    expect(instances.map((i) => i.status)).toEqual(['running', 'running', 'running', 'ADMIN_down']);
    const facts = await access.client.instanceInfo('inst1.ganeti.test');
    expect(facts).toMatchObject({ name: 'inst1.ganeti.test', primaryNode: 'node1.ganeti.test' });
    const full = await access.client.instanceInfo('inst1.ganeti.test', { full: true });
    expect(full.name).toBe('inst1.ganeti.test');
    await expect(access.client.instanceInfo('nosuch.ganeti.test', { full: true })).rejects.toThrow(
      "prerequisites not met for this operation: Instance 'nosuch.ganeti.test' not known",
    );
    // gnt-instance info is a job of its own, as on the lab.
    expect((await access.client.jobs()).map((j) => [j.summary, j.status])).toEqual([
      ['INSTANCE_QUERY_DATA', 'success'],
      ['INSTANCE_QUERY_DATA', 'error'],
    ]);
    expect(await access.client.job(99_999)).toBeNull();
    const verify = await access.client.verify();
    expect(verify.findings).toEqual([]);
    expect((await access.client.hspace()).ok).toBe(true);
  });

  it('submits a failover, finds it by its reason and follows it to success', async () => {
    const reason = 'ganeti-chatops req=req-ssh step=1 by=U1 approved-by=U2';
    const id = await access.client.submit(
      { op: 'instance-failover', instance: 'inst2.ganeti.test', target: 'node3.ganeti.test' },
      reason,
    );
    expect(await access.client.findJobs('req=req-ssh step=1 ')).toEqual([{ id, status: 'queued' }]);
    let status = '';
    for (let i = 0; i < 100 && status !== 'success' && status !== 'error'; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await access.client.job(id))?.status ?? '';
    }
    expect(status).toBe('success');
    expect((await access.client.job(id))?.reasons).toEqual([reason]);
    const moved = (await access.client.instances()).find((i) => i.name === 'inst2.ganeti.test');
    expect(moved?.primaryNode).toBe('node3.ganeti.test');
  });

  it('shows a node that does not answer as Ganeti does, and serves nothing from it', async () => {
    sim.simulator.setFault('node3.ganeti.test', 'unreachable');
    try {
      const health = await access.client.nodeHealth();
      expect(health.find((n) => n.name === 'node3.ganeti.test')).toMatchObject({
        live: 'unreachable',
        memoryTotalMiB: null,
      });
      const on3 = (await access.client.instances()).filter((i) => i.primaryNode === 'node3.ganeti.test');
      expect(on3.map((i) => i.status)).toEqual(on3.map(() => 'ERROR_nodedown'));
      const survey = await access.client.survey({ timeoutMs: 3_000 });
      expect(survey.answers.filter((a) => a.error !== null)).toHaveLength(1);
      expect(survey.master).toBe('node1.ganeti.test');
    } finally {
      sim.simulator.setFault('node3.ganeti.test', null);
    }
  });

  it('follows a master failover to the new master', async () => {
    await access.client.masterFailover('node2.ganeti.test', { noVoting: false });
    expect(await access.client.master()).toBe('node2.ganeti.test');
    expect((await access.client.nodes()).find((n) => n.role === 'master')?.name).toBe('node2.ganeti.test');
  });
});

describe('a large simulated cluster over SSH', () => {
  it('serves 200 nodes and 10,000 instances to the bot', async () => {
    const sim = await startSimulatedCluster({
      cluster: createSimCluster({ nodes: 200, instances: 10_000, seed: 3 }),
      delayScale: 0,
    });
    const access = connectCluster(sim.config, { logger: pino({ level: 'silent' }) });
    try {
      expect(await access.client.nodes()).toHaveLength(200);
      expect(await access.client.instances()).toHaveLength(10_000);
    } finally {
      await access.close();
      await sim.close();
    }
  });
});

describe('the query helper over the simulator', () => {
  it('is refused with exit 127, and the bot falls back to plain commands by itself', async () => {
    const sim = await startSimulatedCluster({ cluster: createLabCluster(), delayScale: 0 });
    const access = connectCluster(
      { ...sim.config, queryHelper: 'ganeti-chatops-query' },
      { logger: pino({ level: 'silent' }) },
    );
    try {
      expect(await access.client.nodes()).toHaveLength(3);
      expect(await access.client.instances()).toHaveLength(4);
    } finally {
      await access.close();
      await sim.close();
    }
  });
});
