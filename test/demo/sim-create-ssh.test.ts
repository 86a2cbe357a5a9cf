import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectCluster, type ClusterAccess } from '../../src/cluster/connect-cluster.js';
import type { GanetiAction } from '../../src/cluster/actions.js';
import { checkNewInstance, liveCreateFacts } from '../../src/commands/new-instance.js';
import { clusterState } from '../../src/commands/prechecks.js';
import { createSimCluster } from '../../src/demo/simulator/create-cluster.js';
import {
  startSimulatedCluster,
  type SimulatedCluster,
} from '../../src/demo/simulator/start-simulated-cluster.js';

describe('/ganeti create and remove through the bot’s cluster stack, over the simulator’s SSH', () => {
  let sim: SimulatedCluster;
  let access: ClusterAccess;

  beforeAll(async () => {
    sim = await startSimulatedCluster({
      cluster: createSimCluster({ nodes: 3, instances: 12 }),
      speed: 0.05,
      delayScale: 0,
    });
    access = connectCluster(sim.config, { logger: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await access?.close();
    await sim?.close();
  });

  /** Submits like the bot's worker and polls the job until it ends. */
  async function run(action: GanetiAction, reason: string) {
    const id = await access.client.submit(action, reason);
    for (let i = 0; i < 100; i += 1) {
      const job = await access.client.job(id);
      if (job?.status === 'success' || job?.status === 'error') return job;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`job ${id} did not end`);
  }

  it('reads the form’s facts, creates the instance the form asks for, then removes it', async () => {
    const options = await access.client.createOptions();
    expect(options.oses).toEqual(['debootstrap+default', 'noop']);
    expect(options.settings.enabledDiskTemplates).toEqual(['drbd', 'plain', 'diskless']);
    expect(options.networks).toEqual([]);
    const facts = liveCreateFacts(await clusterState(access.client), options);
    const outcome = checkNewInstance(
      { name: 'web9.example.org', os: 'debootstrap+default', memory: '2G', disk: '20G', tags: 'env:test' },
      facts,
      null,
    );
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    const added = await run(
      { op: 'instance-add', instance: outcome.name, spec: outcome.spec },
      'ganeti-chatops req=req-c1 step=add by=U1 approved-by=U2',
    );
    expect(added.status).toBe('success');
    const made = (await access.client.instances()).find((i) => i.name === 'web9.example.org');
    expect(made).toMatchObject({
      status: 'running',
      diskTemplate: 'drbd',
      memoryMiB: 2048,
      tags: ['env:test'],
    });
    const again = await run(
      { op: 'instance-add', instance: outcome.name, spec: outcome.spec },
      'ganeti-chatops req=req-c2 step=add by=U1 approved-by=U2',
    );
    expect(again.opcodes[0]?.error?.message).toBe("Instance 'web9.example.org' is already in the cluster");
    const removed = await run(
      { op: 'instance-remove', instance: 'web9.example.org' },
      'ganeti-chatops req=req-r1 step=remove by=U1 approved-by=U2',
    );
    expect(removed.status).toBe('success');
    expect((await access.client.instances()).map((i) => i.name)).not.toContain('web9.example.org');
  });
});
