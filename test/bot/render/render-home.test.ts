import { describe, expect, it } from 'vitest';
import type { HomeCluster, HomeData } from '../../../src/bot/home/home-data.js';
import { renderHome } from '../../../src/bot/render/render-home.js';
import { checkBlocks, VIEW_MAX_BLOCKS } from '../../../src/demo/slack/block-kit-limits.js';
import type { ClusterModel, NodeModel } from '../../../src/monitor/types.js';
import { shutdownRequest } from '../../support/sample-request.js';

const AT = Date.UTC(2026, 11, 2, 12, 0, 0);

function node(name: string, health: NodeModel['health'] = 'healthy'): NodeModel {
  return {
    name,
    ip: null,
    health,
    since: AT,
    badSince: null,
    cause: null,
    observed: 'ok',
    probe: 'not-probed',
    offline: false,
    drained: false,
    role: 'candidate',
    masterCandidate: true,
    memoryTotalMiB: 8192,
    memoryFreeMiB: 4096,
    diskTotalMiB: null,
    diskFreeMiB: null,
    bootId: null,
    primaryInstances: ['inst1.ganeti.test'],
    secondaryInstances: [],
  } as NodeModel;
}

function model(count: number, down: string[] = []): ClusterModel {
  const names = Array.from({ length: count }, (_, i) => `node${i + 1}.ganeti.test`);
  return {
    cluster: 'lab',
    master: 'node1.ganeti.test',
    polledAt: AT,
    masterLostSince: null,
    nodes: Object.fromEntries(names.map((n) => [n, node(n, down.includes(n) ? 'down' : 'healthy')])),
    instances: {},
    instanceProblems: {},
    announcedInstanceProblems: {},
  };
}

const base: HomeData = {
  user: 'U0BOB',
  role: 'admin',
  clusters: [{ name: 'lab', model: model(3), incident: null, incidentView: null, monitorOn: true }],
  projects: [],
  approvals: [],
  mine: [],
  alertChannel: 'C0ALERTS',
  now: AT,
};
const text = (data: HomeData) => {
  const view = renderHome(data);
  expect(view.type).toBe('home');
  expect(checkBlocks(view.blocks, VIEW_MAX_BLOCKS, '/view/blocks')).toEqual([]);
  return JSON.stringify(view.blocks);
};

describe('the App Home view', () => {
  it('shows an admin the nodes with the master, and that there is no incident', () => {
    const out = text(base);
    expect(out).toContain('You are an admin');
    expect(out).toContain('✅ No open incident.');
    expect(out).toMatch(/node1 +master +ok +4\.0G\/8\.0G +1 +0/);
    expect(out).toContain('*Waiting for your approval* (0)');
  });

  it('points to the alert of an open incident and lists what waits for approval', () => {
    const stored = {
      request: { ...shutdownRequest('req-abc1-xyz1', 'inst1.ganeti.test'), expiresAt: AT + 900_000 },
      state: 'pending' as const,
      decidedBy: null,
      decidedAt: null,
      card: { channel: 'C0OPS', ts: '1700000000.000100' },
      outcome: null,
      outcomeSummary: null,
    };
    const incident = {
      id: 'inc-lab-1',
      openedAt: AT,
      nodes: [{ name: 'node3.ganeti.test' }],
    } as unknown as NonNullable<HomeCluster['incident']>;
    const out = text({
      ...base,
      clusters: [
        {
          name: 'lab',
          model: model(3, ['node3.ganeti.test']),
          incident,
          incidentView: null,
          monitorOn: true,
        },
      ],
      approvals: [stored],
    });
    expect(out).toContain('🔴 *Open incident* `inc-lab-1`: `node3.ganeti.test` since');
    expect(out).toContain('Its alert, with the buttons, is in <#C0ALERTS>.');
    expect(out).toMatch(/node3 +candidate +DOWN/);
    expect(out).toContain('1 not healthy');
    expect(out).toContain('• <@U0ALICE> asks: *Shut down inst1* (`req-abc1-xyz1`, expires <!date^');
    expect(out).toContain('its card is in <#C0OPS>');
    // Approve and Deny right there, with the card's confirm dialogs and the request as the value.
    expect(out).toContain('"block_id":"home-op-req-abc1-xyz1"');
    expect(out).toMatch(
      /"action_id":"op_approve","text":\{[^}]*"text":"Approve"[^}]*\},"value":"req-abc1-xyz1"/,
    );
    expect(out).toContain('"action_id":"op_deny"');
    expect(out).not.toContain('op_cancel');
  });

  it('puts an open incident’s buttons in the Home of someone with a role', () => {
    const incident = {
      id: 'inc-lab-2',
      kind: 'node-loss',
      openedAt: AT,
      resolvedAt: null,
      lostMaster: null,
      reachableCandidates: [],
      nodes: [
        {
          name: 'node3.ganeti.test',
          recoveredAt: null,
          returnedAt: null,
          primaries: [{ name: 'inst3.ganeti.test', target: 'node1.ganeti.test' }],
        },
      ],
    } as unknown as NonNullable<HomeCluster['incident']>;
    const incidentView = {
      incident,
      acknowledgedBy: null,
      acknowledgedAt: null,
      snoozedUntil: null,
      requests: [],
      now: AT,
    } as unknown as NonNullable<HomeCluster['incidentView']>;
    const out = text({
      ...base,
      clusters: [
        {
          name: 'lab',
          model: model(3, ['node3.ganeti.test']),
          incident,
          incidentView,
          monitorOn: true,
        },
      ],
    });
    expect(out).toContain('"block_id":"home-incident-inc-lab-2"');
    expect(out).toContain('"value":"inc-lab-2|node3.ganeti.test"');
    expect(out).toContain('Fail over 1 instance');
    expect(out).toContain('"action_id":"incident_ack"');
  });

  it('shows a project member their project, not the cluster nor approvals', () => {
    const out = text({
      ...base,
      user: 'U0ERIN',
      role: null,
      clusters: [],
      projects: [{ name: 'web', actions: ['info', 'reboot'], instances: [] }],
    });
    expect(out).toContain('You are a project member');
    expect(out).toContain('*Project web*: you may `info`, `reboot`');
    expect(out).toContain('No instance of it is known yet.');
    expect(out).not.toContain('Cluster');
    expect(out).not.toContain('Waiting for your approval');
  });

  it('stays within Slack’s limits for 200 nodes, pointing to /ganeti nodes for the rest', () => {
    const out = text({
      ...base,
      clusters: [{ name: 'big', model: model(200), incident: null, incidentView: null, monitorOn: true }],
    });
    expect(out).toContain('…and 160 more: /ganeti nodes');
  });

  it('says when the monitor is off or has not read the cluster yet', () => {
    expect(
      text({
        ...base,
        clusters: [{ name: 'lab', model: null, incident: null, incidentView: null, monitorOn: false }],
      }),
    ).toContain('The health monitor is off');
    expect(
      text({
        ...base,
        clusters: [{ name: 'lab', model: null, incident: null, incidentView: null, monitorOn: true }],
      }),
    ).toContain('The monitor has not read the cluster yet.');
  });
});
