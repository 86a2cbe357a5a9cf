import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { createAuditLog } from '../../../src/audit/audit-log.js';
import { gatherHome, type HomeDeps } from '../../../src/bot/home/home-data.js';
import type { AccessPolicy } from '../../../src/commands/authorize.js';
import { createMonitorStore } from '../../../src/monitor/monitor-store.js';
import type { ClusterModel, InstanceModel } from '../../../src/monitor/types.js';
import { createRequestStore } from '../../../src/queue/request-store.js';
import { captureLogger } from '../../support/capture-logger.js';
import { dropKeys } from '../../support/drop-keys.js';
import { shutdownRequest } from '../../support/sample-request.js';

const redis = new Redis(inject('redisUrl'));
const prefix = `hometest-${process.pid}`;
afterEach(() => dropKeys(prefix));
afterAll(() => redis.disconnect());

const policy: AccessPolicy = {
  admins: ['U0ALICE', 'U0BOB'],
  operators: ['U0CAROL'],
  viewers: ['U0DAVE'],
  projects: [
    {
      name: 'web',
      members: ['U0ERIN'],
      instances: { tags: ['project:web'], patterns: ['web*'] },
      actions: ['info', 'reboot'],
    },
  ],
};

const instance = (name: string): InstanceModel => ({
  name,
  primaryNode: 'node1.ganeti.test',
  secondaryNodes: ['node2.ganeti.test'],
  status: 'running',
  adminState: 'up',
  running: true,
  diskTemplate: 'drbd',
  memoryMiB: 512,
});

async function setup() {
  const requests = createRequestStore({ redis, prefix });
  const audit = createAuditLog({ redis, prefix, maxEntries: 1000, logger: captureLogger('silent').logger });
  const monitor = createMonitorStore({ redis, prefix, cluster: 'lab' });
  await monitor.lease('poller', 60_000);
  const model: ClusterModel = {
    cluster: 'lab',
    master: 'node1.ganeti.test',
    polledAt: 1_000,
    masterLostSince: null,
    nodes: {},
    instances: {
      ...Object.fromEntries(['web1.ganeti.test', 'db1.ganeti.test'].map((n) => [n, instance(n)])),
      // Owned by its tag only: its name fits no pattern of the project.
      'shop.ganeti.test': { ...instance('shop.ganeti.test'), tags: ['project:web', 'tier:front'] },
      'db2.ganeti.test': { ...instance('db2.ganeti.test'), tags: ['project:db'] },
    },
    instanceProblems: {},
    announcedInstanceProblems: {},
  };
  await monitor.save('poller', model, null);
  // alice asks for a shutdown: it waits for another admin.
  await requests.create(
    { ...shutdownRequest('req-abc1-xyz1', 'web1.ganeti.test'), userId: 'U0ALICE' },
    'pending',
  );
  await audit.record({
    event: 'requested',
    user: 'U0ALICE',
    requestId: 'req-abc1-xyz1',
    command: 'shutdown',
    target: 'web1',
  });
  const deps: HomeDeps = {
    clusters: [{ name: 'lab', monitor }],
    requests,
    audit,
    policy,
    groups: { groupsOf: async () => [] },
    alertChannel: 'C0ALERTS',
    now: () => 2_000,
  };
  return { deps, requests };
}

describe('what an App Home shows, from the stores', () => {
  it('shows a pending request to another admin, never to the one who asked nor to a viewer', async () => {
    const { deps } = await setup();
    const bob = await gatherHome('U0BOB', deps);
    expect(bob.role).toBe('admin');
    expect(bob.approvals.map((r) => r.request.requestId)).toEqual(['req-abc1-xyz1']);
    expect((await gatherHome('U0ALICE', deps)).approvals).toEqual([]);
    expect((await gatherHome('U0DAVE', deps)).approvals).toEqual([]);
  });

  it('drops a request from the approvals once it is decided', async () => {
    const { deps, requests } = await setup();
    await requests.transition('req-abc1-xyz1', ['pending'], 'denied', 'U0BOB');
    expect((await gatherHome('U0BOB', deps)).approvals).toEqual([]);
  });

  it('lists what they asked for, once per request, with its latest state', async () => {
    const { deps } = await setup();
    await deps.audit.record({
      event: 'denied',
      user: 'U0ALICE',
      requestId: 'req-abc1-xyz1',
      command: 'shutdown',
    });
    const alice = await gatherHome('U0ALICE', deps);
    expect(alice.mine.map((r) => [r.requestId, r.event])).toEqual([['req-abc1-xyz1', 'denied']]);
    expect((await gatherHome('U0BOB', deps)).mine).toEqual([]);
  });

  it('shows a project member their project’s instances, by name and by tag, and not the cluster', async () => {
    const { deps } = await setup();
    const erin = await gatherHome('U0ERIN', deps);
    expect(erin.role).toBeNull();
    expect(erin.clusters).toEqual([]);
    expect(erin.projects).toMatchObject([
      {
        name: 'web',
        actions: ['info', 'reboot'],
        instances: [{ name: 'web1.ganeti.test' }, { name: 'shop.ganeti.test' }],
      },
    ]);
    const carol = await gatherHome('U0CAROL', deps);
    expect([carol.role, carol.clusters[0]?.name, carol.projects]).toEqual(['operator', 'lab', []]);
  });

  it('lists no instance of a project that lives on another cluster', async () => {
    const { deps } = await setup();
    const elsewhere = { ...policy, projects: policy.projects!.map((p) => ({ ...p, clusters: ['web2'] })) };
    const erin = await gatherHome('U0ERIN', { ...deps, policy: elsewhere });
    expect(erin.projects).toMatchObject([{ name: 'web', instances: [] }]);
  });
});
