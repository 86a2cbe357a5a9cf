import { describe, expect, it } from 'vitest';
import { renderIncident, renderInstanceProblems } from '../../../src/bot/render/render-incident.js';
import { slackDate, TIME } from '../../../src/core/slack-date.js';
import { emptyIncident, splitBrainWarning } from '../../../src/monitor/incident-reducer.js';
import type { Incident, IncidentNode, IncidentView } from '../../../src/monitor/types.js';
import { checkBlocks, MESSAGE_MAX_BLOCKS } from '../../../src/demo/slack/block-kit-limits.js';

const AT = Date.UTC(2026, 11, 1, 19, 58, 42);
const golden = (name: string) => `./golden/${name}.json`;

function lostNode(name: string, primaries: number, overrides: Partial<IncidentNode> = {}): IncidentNode {
  return {
    name,
    since: AT,
    cause: 'no-answer',
    wasMaster: false,
    primaries: Array.from({ length: primaries }, (_, i) => ({
      name: `inst${i + 3}.ganeti.test`,
      status: 'ERROR_nodedown',
      adminState: 'up',
      memoryMiB: 256,
      diskTemplate: 'drbd',
      target: i % 7 === 6 ? null : 'node1.ganeti.test',
      stranded: i % 7 === 6 ? 'no node has the memory for it' : null,
    })),
    secondaries: ['inst2.ganeti.test'],
    capacityOk: true,
    freeMiB: 46_000,
    neededMiB: primaries * 256,
    returnedAt: null,
    returnedWhileOffline: false,
    recoveredAt: null,
    ...overrides,
  };
}

function view(incident: Incident, extra: Partial<IncidentView> = {}): IncidentView {
  return {
    incident,
    acknowledgedBy: null,
    acknowledgedAt: null,
    snoozedUntil: null,
    requests: [],
    now: AT + 60_000,
    ...extra,
  };
}

/** Every incident message must be one Slack accepts, with the buttons named by action id. */
function rendered(v: IncidentView) {
  const message = renderIncident(v);
  expect(checkBlocks(message.blocks, MESSAGE_MAX_BLOCKS)).toEqual([]);
  expect(message.text.length).toBeGreaterThan(0);
  const actions = message.blocks.flatMap((b) =>
    b.type === 'actions' ? b.elements.map((e) => e.action_id) : [],
  );
  return { message, actions };
}

describe('renderIncident', () => {
  it('shows a lost node with its instances, their targets, the N+1 check and the three buttons', async () => {
    const incident = {
      ...emptyIncident('lab', AT, 'node-loss'),
      id: 'inc-lab-1',
      nodes: [lostNode('node3.ganeti.test', 1)],
    };
    const { message, actions } = rendered(view(incident));
    expect(message.text).toBe('🔴 node3.ganeti.test is down');
    expect(actions).toEqual(['incident_evacuate', 'incident_ack', 'incident_snooze']);
    const blocks = JSON.stringify(message.blocks);
    expect(blocks).toContain(`*Since*\\n${slackDate(AT)}`);
    expect(blocks).toContain(`down since ${slackDate(AT)}`);
    expect(blocks).toContain(`updated ${slackDate(AT + 60_000, TIME)}`);
    expect(slackDate(AT)).toBe('<!date^1796155122^{date_short_pretty} {time}|2026-12-01 19:58 UTC>');
    await expect(JSON.stringify(message, null, 2)).toMatchFileSnapshot(golden('incident.node3-down'));
  });

  it('drops the failover button once a request for it runs, and shows who approved it', () => {
    const incident = {
      ...emptyIncident('lab', AT, 'node-loss'),
      id: 'inc-lab-1',
      nodes: [lostNode('node3.ganeti.test', 1)],
    };
    const { message, actions } = rendered(
      view(incident, {
        acknowledgedBy: 'U0ADMIN',
        requests: [
          {
            requestId: 'req-1-a',
            what: 'recover',
            node: 'node3.ganeti.test',
            state: 'running',
            decidedBy: 'U0APPROVER',
            outcome: null,
            summary: null,
          },
        ],
      }),
    );
    expect(actions).toEqual(['incident_snooze']);
    expect(JSON.stringify(message.blocks)).toContain(
      'Fail over from node3.ganeti.test: approved by <@U0APPROVER>, running',
    );
    expect(JSON.stringify(message.blocks)).toContain('Open · acknowledged by <@U0ADMIN>');
  });

  it('offers to make each reachable candidate master on a master loss', async () => {
    const incident: Incident = {
      ...emptyIncident('lab', AT, 'master-loss'),
      id: 'inc-lab-2',
      lostMaster: 'node1.ganeti.test',
      reachableCandidates: ['node2.ganeti.test', 'node3.ganeti.test'],
    };
    const { message, actions } = rendered(view(incident));
    expect(message.text).toBe('🔴 Master node1.ganeti.test does not answer');
    expect(actions).toEqual(['incident_master', 'incident_master', 'incident_ack', 'incident_snooze']);
    await expect(JSON.stringify(message, null, 2)).toMatchFileSnapshot(golden('incident.master-lost'));
  });

  it('stays within Slack’s limits in an alert storm: ten nodes with a hundred instances each', () => {
    const nodes = Array.from({ length: 10 }, (_, i) => lostNode(`node${i + 10}.example.org`, 100));
    const incident = { ...emptyIncident('big', AT, 'node-loss'), id: 'inc-big-1', nodes };
    const { message, actions } = rendered(view(incident));
    expect(message.text).toBe('🔴 10 nodes are down in big');
    expect(actions.filter((a) => a === 'incident_evacuate')).toHaveLength(3);
    expect(JSON.stringify(message.blocks)).toContain('more');
  });

  it('shows a resolved incident without buttons', () => {
    const incident = {
      ...emptyIncident('lab', AT, 'node-loss'),
      id: 'inc-lab-1',
      resolvedAt: AT + 600_000,
      nodes: [lostNode('node3.ganeti.test', 1, { recoveredAt: AT + 600_000 })],
    };
    const { message, actions } = rendered(view(incident));
    expect(message.text).toBe('✅ Resolved: node3.ganeti.test is back');
    expect(actions).toEqual([]);
    const blocks = JSON.stringify(message.blocks);
    expect(blocks).toContain(`Resolved ${slackDate(AT + 600_000)}`);
    expect(blocks).toContain(`back since ${slackDate(AT + 600_000)}`);
  });

  it('shows until when it is snoozed, as a time in the reader’s zone, and no snooze button', () => {
    const incident = {
      ...emptyIncident('lab', AT, 'node-loss'),
      id: 'inc-lab-1',
      nodes: [lostNode('node3.ganeti.test', 1, { returnedAt: AT + 30_000 })],
    };
    const { message, actions } = rendered(
      view(incident, { acknowledgedBy: 'U0ADMIN', snoozedUntil: AT + 3_600_000 }),
    );
    expect(actions).toEqual([]);
    const blocks = JSON.stringify(message.blocks);
    expect(blocks).toContain(`*Snoozed until*\\n${slackDate(AT + 3_600_000, TIME)}`);
    expect(blocks).toContain(`answers again since ${slackDate(AT + 30_000)}`);
    expect(message.text).not.toContain('<!date');
  });

  it('tells "not enough room" apart from instances that cannot move whatever is free (N+1)', () => {
    const text = (node: IncidentNode) => {
      const incident = { ...emptyIncident('ganeti', AT, 'node-loss'), nodes: [node] };
      return JSON.stringify(rendered(view(incident)).message.blocks);
    };
    // 7 instances: the 7th has no target.
    const stuck = lostNode('node3.ganeti.test', 7, { capacityOk: false, freeMiB: 46_000 });
    expect(text(stuck)).toContain(
      '*N+1:* ❌ 1 running instance(s) cannot move (see above); the other nodes have',
    );
    const full = lostNode('node3.ganeti.test', 7, { capacityOk: false, freeMiB: 512 });
    expect(text(full)).toContain('*N+1:* ❌ not enough room: 512M free for 1.8G');
  });

  it('says what to do about a node back from the dead while marked offline', () => {
    const text = splitBrainWarning('node3.ganeti.test', ['inst3.ganeti.test']);
    expect(text).toContain('split-brain risk');
    expect(text).toContain('gnt-node modify --force --offline no node3.ganeti.test');
    expect(text.length).toBeLessThan(4000);
  });
});

describe('renderInstanceProblems', () => {
  it('lists every problem instance in one message, marking the new ones', () => {
    const message = renderInstanceProblems({
      cluster: 'lab',
      problems: [
        {
          name: 'inst2.ganeti.test',
          status: 'ERROR_down',
          primaryNode: 'node2.ganeti.test',
          since: AT,
          isNew: true,
        },
        {
          name: 'inst5.ganeti.test',
          status: 'ERROR_up',
          primaryNode: 'node1.ganeti.test',
          since: AT,
          isNew: false,
        },
      ],
      cleared: [],
    });
    expect(checkBlocks(message.blocks, MESSAGE_MAX_BLOCKS)).toEqual([]);
    expect(message.text).toBe('⚠️ lab: 2 instances not in their intended state');
    expect(JSON.stringify(message.blocks)).toContain(
      `inst2.ganeti.test: \`ERROR_down\` on node2.ganeti.test since ${slackDate(AT)} *(new)*`,
    );
    expect(message.text).not.toContain('<!date');
  });

  it('says when every instance is back', () => {
    const message = renderInstanceProblems({ cluster: 'lab', problems: [], cleared: ['inst2.ganeti.test'] });
    expect(message.text).toContain('every instance is in its intended state again (inst2.ganeti.test)');
  });
});
