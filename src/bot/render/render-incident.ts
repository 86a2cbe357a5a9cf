import type { Button, KnownBlock, SectionBlock } from '@slack/types';
import type {
  IncidentNode,
  IncidentRequest,
  IncidentView,
  InstanceProblemsNote,
} from '../../monitor/types.js';
import {
  actions,
  button,
  context,
  esc,
  fields,
  fitMessage,
  header,
  linesWithin,
  section,
  type SlackMessage,
} from './blocks.js';
import { gib, plural } from './format.js';
import { slackDate, TIME } from '../../core/slack-date.js';

/** Action ids of an incident's buttons; the value is `INCIDENT_ID|NODE`. */
export const ACTION_INCIDENT_EVACUATE = 'incident_evacuate';
export const ACTION_INCIDENT_ACK = 'incident_ack';
export const ACTION_INCIDENT_SNOOZE = 'incident_snooze';
export const ACTION_INCIDENT_MASTER = 'incident_master';

const CAUSE: Record<IncidentNode['cause'], string> = {
  'no-answer': 'no answer (Ganeti cannot reach it, nor can the bot)',
  'noded-down': 'its node daemon is down (the host answers, ganeti-noded does not)',
  'marked-offline': 'marked offline by someone',
};

const active = (r: IncidentRequest) =>
  r.state === 'pending' || r.state === 'approved' || r.state === 'running';

export function headline(view: IncidentView): string {
  const { incident } = view;
  if (incident.resolvedAt !== null) {
    const names = incident.nodes.map((n) => n.name).join(', ') || incident.lostMaster || 'the cluster';
    return `✅ Resolved: ${names} ${incident.nodes.length > 1 ? 'are' : 'is'} back`;
  }
  if (incident.kind === 'master-loss') return `🔴 Master ${incident.lostMaster ?? '?'} does not answer`;
  const lost = incident.nodes.filter((n) => n.recoveredAt === null);
  const first = lost[0];
  if (lost.length === 1 && first) return `🔴 ${first.name} is down`;
  return `🔴 ${lost.length} nodes are down in ${incident.cluster}`;
}

function requestLine(r: IncidentRequest): string {
  const what = r.what === 'master-failover' ? `Make ${r.node} master` : `Fail over from ${r.node}`;
  const by = r.decidedBy ? ` by <@${r.decidedBy}>` : '';
  switch (r.state) {
    case 'pending':
      return `🟡 ${what}: waiting for approval (see the thread)`;
    case 'approved':
    case 'running':
      return `⏳ ${what}: approved${by}, running`;
    case 'done':
      return `${r.outcome === 'success' ? '✅' : '⚠️'} ${what}: ${r.outcome ?? 'done'}${r.summary ? ` (${esc(r.summary)})` : ''}`;
    case null:
      return `❔ ${what}: the request is no longer known`;
    default:
      return `✖️ ${what}: ${r.state}${by}`;
  }
}

/**
 * N+1 for a lost node. Room is not the only reason it can fail: an instance whose disks live only
 * on the lost node (plain, or a DRBD secondary that cannot take it) stays, whatever is free.
 */
function capacityLine(n: IncidentNode): string {
  const room = `${gib(n.freeMiB)} free for ${gib(n.neededMiB)}`;
  if (n.capacityOk) return `*N+1:* ✅ the other nodes have ${room}`;
  const stuck = n.primaries.filter((p) => p.adminState === 'up' && p.target === null).length;
  if (n.freeMiB >= n.neededMiB && stuck > 0)
    return `*N+1:* ❌ ${stuck} running instance(s) cannot move (see above); the other nodes have ${room}`;
  return `*N+1:* ❌ not enough room: ${room}`;
}

function nodeBlock(n: IncidentNode): SectionBlock {
  const moving = n.primaries.map((p) => {
    const where = p.target ? `→ ${p.target}` : `stays: ${p.stranded ?? 'no node can take it'}`;
    return `• ${esc(p.name)} (${esc(p.status)}, ${gib(p.memoryMiB)}) ${where}`;
  });
  const state =
    n.recoveredAt !== null
      ? `✅ back since ${slackDate(n.recoveredAt)}`
      : n.returnedWhileOffline
        ? '⚠️ answers again while marked offline: split-brain risk (see the thread)'
        : n.returnedAt !== null
          ? `🟢 answers again since ${slackDate(n.returnedAt)}`
          : `down since ${slackDate(n.since)}`;
  const lines = [
    `*${esc(n.name)}*${n.wasMaster ? ' (was the master)' : ''}: ${CAUSE[n.cause]}; ${state}`,
    `*Primary instances here* (${n.primaries.length}):`,
    ...(moving.length > 0 ? moving : ['• none']),
    `*Lose their secondary* (no redundancy now): ${n.secondaries.length > 0 ? n.secondaries.map(esc).join(', ') : 'none'}`,
    capacityLine(n),
  ];
  return section(linesWithin(lines));
}

/** The incident's buttons: on its message, and in the App Home of people with a role. */
export function incidentButtons(view: IncidentView): Button[] {
  const { incident } = view;
  const value = (node: string) => `${incident.id}|${node}`;
  const out: Button[] = [];
  if (incident.kind === 'master-loss') {
    for (const c of incident.reachableCandidates.slice(0, 3)) {
      if (view.requests.some((r) => r.what === 'master-failover' && active(r))) break;
      out.push(
        button(ACTION_INCIDENT_MASTER, `Make ${c.split('.')[0]} master`, value(c), {
          style: 'primary',
          confirm: {
            title: `Ask to make ${c} the master?`,
            text: 'This posts an approval card in the thread; another admin approves it.',
            yes: 'Ask for approval',
            no: 'Back',
          },
        }),
      );
    }
  } else {
    for (const n of incident.nodes
      .filter((x) => x.recoveredAt === null && x.returnedAt === null)
      .slice(0, 3)) {
      const movable = n.primaries.filter((p) => p.target !== null).length;
      if (
        movable === 0 ||
        view.requests.some(
          (r) => r.node === n.name && r.what === 'recover' && (active(r) || r.state === 'done'),
        )
      )
        continue;
      const label =
        incident.nodes.length > 1
          ? `Fail over ${plural(movable, 'instance')} (${n.name.split('.')[0]})`
          : `Fail over ${plural(movable, 'instance')}`;
      out.push(
        button(ACTION_INCIDENT_EVACUATE, label, value(n.name), {
          style: 'danger',
          confirm: {
            title: `Ask to fail over from ${n.name.split('.')[0]}?`,
            text: `This posts an approval card in the thread. The approver confirms that ${n.name} is powered off or fenced.`,
            yes: 'Ask for approval',
            no: 'Back',
          },
        }),
      );
    }
  }
  const any = incident.nodes[0]?.name ?? incident.lostMaster ?? '-';
  if (!view.acknowledgedBy) out.push(button(ACTION_INCIDENT_ACK, 'Acknowledge', value(any)));
  if (!view.snoozedUntil || view.snoozedUntil < view.now)
    out.push(button(ACTION_INCIDENT_SNOOZE, 'Snooze 1 h', value(any)));
  return out;
}

/** The incident's one message: what is wrong, what it affects, what was done, and the buttons. */
export function renderIncident(view: IncidentView): SlackMessage {
  const { incident } = view;
  const title = headline(view);
  const status =
    incident.resolvedAt !== null
      ? `Resolved ${slackDate(incident.resolvedAt)}`
      : view.acknowledgedBy
        ? `Open · acknowledged by <@${view.acknowledgedBy}>`
        : 'Open · not acknowledged';
  const snoozed: Array<[string, string]> =
    view.snoozedUntil && view.snoozedUntil > view.now
      ? [['Snoozed until', slackDate(view.snoozedUntil, TIME)]]
      : [];
  const blocks: KnownBlock[] = [
    header(title),
    fields([
      ['Cluster', esc(incident.cluster)],
      ['Since', slackDate(incident.openedAt)],
      ['Status', status],
      ...snoozed,
    ]),
  ];
  if (incident.kind === 'master-loss') {
    blocks.push(
      section(
        linesWithin([
          `The master *${esc(incident.lostMaster ?? '?')}* cannot be reached through any candidate. Nothing can be failed over until a node is master; the bot decides nothing about the other nodes meanwhile.`,
          `*Candidates that answer:* ${incident.reachableCandidates.map(esc).join(', ') || 'none'}`,
          'Make one of them the master (the candidates vote; with two nodes the approver attests the old master is off).',
        ]),
      ),
    );
  }
  for (const n of incident.nodes) blocks.push(nodeBlock(n));
  if (incident.verifyFindings.length > 0)
    blocks.push(
      section(
        linesWithin([
          '*`gnt-cluster verify` after onlining:*',
          ...incident.verifyFindings.map((f) => `• ${esc(f)}`),
        ]),
      ),
    );
  if (view.requests.length > 0) blocks.push(section(linesWithin(view.requests.map(requestLine))));
  const buttonRow = incident.resolvedAt === null ? incidentButtons(view) : [];
  if (buttonRow.length > 0) blocks.push(actions(`incident-${incident.id}`, buttonRow));
  blocks.push(
    context(
      `incident \`${incident.id}\` · updated ${slackDate(view.now, TIME)} · the bot never fails back by itself`,
    ),
  );
  return fitMessage(title, blocks, (n) => `…${n} more blocks left out.`);
}

/** Instance-level problems: one message per change of the set. */
export function renderInstanceProblems(note: InstanceProblemsNote): SlackMessage {
  if (note.problems.length === 0) {
    const text = `✅ ${note.cluster}: every instance is in its intended state again (${note.cleared.map(esc).join(', ')}).`;
    return { text, blocks: [section(text)] };
  }
  const title = `⚠️ ${note.cluster}: ${plural(note.problems.length, 'instance')} not in their intended state`;
  const lines = note.problems.map(
    (p) =>
      `• ${esc(p.name)}: \`${esc(p.status)}\` on ${esc(p.primaryNode)} since ${slackDate(p.since)}${p.isNew ? ' *(new)*' : ''}`,
  );
  if (note.cleared.length > 0) lines.push(`Back to normal: ${note.cleared.map(esc).join(', ')}`);
  return fitMessage(
    title,
    [header(title), section(linesWithin(lines))],
    (n) => `…${n} more blocks left out.`,
  );
}
