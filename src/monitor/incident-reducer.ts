import { slackDate, TIME } from '../core/slack-date.js';
import { incidentNode } from './affected.js';
import type { Incident, InstanceModel, NodeModel } from './types.js';

/** What one poll brings to the incident logic. */
export interface PollFacts {
  cluster: string;
  now: number;
  /** Node models before and after this poll (by name). */
  before: Readonly<Record<string, NodeModel>>;
  after: Readonly<Record<string, NodeModel>>;
  instances: readonly InstanceModel[];
  /** The master now, and the one of the previous good poll. */
  master: string | null;
  previousMaster: string | null;
}

export interface IncidentChange {
  incident: Incident | null;
  /** A new incident was opened in this poll (it needs a message). */
  opened: boolean;
  /** Anything that the message shows changed. */
  changed: boolean;
  /** Nodes in the incident that went from offline to online in this poll: `gnt-cluster verify` is due. */
  onlined: string[];
}

const CAUSE: Record<string, string> = {
  'no-answer': 'does not answer',
  'noded-down': 'answers, but its node daemon (ganeti-noded) is down',
  'marked-offline': 'was marked offline',
};

export function newIncidentId(cluster: string, now: number): string {
  return `inc-${cluster.replace(/[^A-Za-z0-9]/g, '').slice(0, 20) || 'c'}-${now.toString(36)}`;
}

export function emptyIncident(cluster: string, now: number, kind: Incident['kind']): Incident {
  return {
    id: newIncidentId(cluster, now),
    cluster,
    kind,
    openedAt: now,
    resolvedAt: null,
    nodes: [],
    lostMaster: null,
    reachableCandidates: [],
    remindedAt: null,
    autoEvacuation: {},
    reported: [],
    shown: '',
    timeline: [],
    postedLines: 0,
    message: null,
    verifyFindings: [],
  };
}

/** The split-brain warning for a node that answers again while marked offline. */
export function splitBrainWarning(node: string, movedAway: readonly string[]): string {
  const moved = movedAway.length > 0 ? ` (${movedAway.join(', ')} now run elsewhere)` : '';
  return (
    `⚠️ *${node} answers again while marked offline.* If it was cut off rather than powered off, it may ` +
    `still run its old instances${moved} on stale disks: *split-brain risk*. The bot starts nothing there. ` +
    `Keep it offline until: 1) on ${node}, every instance process is stopped (\`/etc/init.d/ganeti stop\`, ` +
    `then check that no hypervisor process is left); 2) \`gnt-node modify --force --offline no ${node}\` ` +
    `(or \`/ganeti online ${node}\`); 3) \`gnt-cluster verify\` shows no "instance should not run on node" ` +
    `(the bot reports it here); 4) \`gnt-cluster verify-disks\` resyncs DRBD. Move instances back by hand if wanted: ` +
    `the bot never fails back by itself.`
  );
}

/**
 * The incident logic, pure: one open incident per cluster collects every node lost while it is
 * open (a whole-cluster problem is one incident, one message); returns, recoveries and onlinings
 * are added to its timeline; it is resolved once every node in it is healthy again.
 */
export function reduceIncident(open: Incident | null, f: PollFacts): IncidentChange {
  let incident = open ? structuredClone(open) : null;
  let opened = false;
  let changed = false;
  const onlined: string[] = [];
  const say = (text: string, loud = false) => {
    incident?.timeline.push({ at: f.now, text, ...(loud ? { loud } : {}) });
    changed = true;
  };
  const nodes = Object.values(f.after);

  // The master came back, or another node is master now.
  if (incident?.kind === 'master-loss' && f.master) {
    const lost = incident.lostMaster;
    say(
      lost && f.master !== lost
        ? `${f.master} is the master now; monitoring goes on through it. ${lost} is handled as a lost node.`
        : `The master ${f.master} answers again.`,
    );
    incident.kind = 'node-loss';
  }

  for (const node of nodes) {
    const prev = f.before[node.name];
    const entry = incident?.nodes.find((n) => n.name === node.name);
    if (node.health === 'down' && prev?.health !== 'down' && !entry) {
      if (!incident) {
        incident = emptyIncident(f.cluster, f.now, 'node-loss');
        opened = true;
      }
      const wasMaster = f.previousMaster === node.name || node.role === 'master';
      const added = incidentNode(node, nodes, f.instances, wasMaster);
      incident.nodes.push(added);
      const how = CAUSE[added.cause] ?? added.cause;
      say(
        `${incident.nodes.length > 1 ? '🔴 Also: ' : '🔴 '}${node.name} ${how} (since ${slackDate(added.since, TIME)}); ` +
          `${added.primaries.length} primary instance(s) there, ${added.secondaries.length} lose their secondary.`,
      );
      continue;
    }
    if (!entry || !incident) continue;
    if (node.health === 'down' && prev?.health === 'returned') {
      entry.returnedAt = null;
      say(`🔴 ${node.name} is silent again.`);
    }
    if (node.health === 'returned' && prev?.health !== 'returned') {
      entry.returnedAt = f.now;
      if (node.observed === 'ok') say(`🟢 ${node.name} answers Ganeti again.`);
      else {
        entry.returnedWhileOffline = true;
        const movedAway = entry.primaries
          .filter((p) => f.instances.find((i) => i.name === p.name && i.primaryNode !== node.name))
          .map((p) => p.name);
        say(splitBrainWarning(node.name, movedAway), true);
      }
    }
    if (prev?.observed === 'offline' && node.observed === 'ok') onlined.push(node.name);
    if (node.health === 'healthy' && entry.recoveredAt === null) {
      entry.recoveredAt = f.now;
      say(`✅ ${node.name} is healthy again (online, answering).`);
    }
    if (node.observed === 'offline' && prev && prev.observed !== 'offline' && !entry.recoveredAt) {
      say(`${node.name} is now marked offline in Ganeti.`);
    }
  }

  if (incident && incident.kind === 'node-loss') {
    // A master loss that ended with the same master back has no lost node: resolved too.
    const allBack = incident.nodes.every((n) => n.recoveredAt !== null || f.after[n.name] === undefined);
    if (allBack && incident.resolvedAt === null) {
      incident.resolvedAt = f.now;
      say('✅ Every node of this incident is back: resolved.');
    }
  }
  return { incident, opened, changed, onlined };
}

/** The master cannot be reached through any candidate (after the grace period). */
export function reduceMasterLoss(
  open: Incident | null,
  cluster: string,
  now: number,
  lostMaster: string | null,
  reachable: readonly string[],
): IncidentChange {
  if (open?.kind === 'master-loss') {
    const same = open.reachableCandidates.join(',') === reachable.join(',');
    if (same) return { incident: open, opened: false, changed: false, onlined: [] };
    const incident = structuredClone(open);
    incident.reachableCandidates = [...reachable];
    incident.timeline.push({
      at: now,
      text: `Candidates that answer now: ${reachable.join(', ') || 'none'}.`,
    });
    return { incident, opened: false, changed: true, onlined: [] };
  }
  const incident = open ? structuredClone(open) : emptyIncident(cluster, now, 'master-loss');
  incident.kind = 'master-loss';
  incident.lostMaster = lostMaster;
  incident.reachableCandidates = [...reachable];
  incident.resolvedAt = null;
  incident.timeline.push({
    at: now,
    text:
      `🔴 The master ${lostMaster ?? '(unknown)'} cannot be reached through any candidate. ` +
      `Nothing else is decided until a master answers. Candidates that answer: ${reachable.join(', ') || 'none'}.`,
  });
  return { incident, opened: open === null, changed: true, onlined: [] };
}
