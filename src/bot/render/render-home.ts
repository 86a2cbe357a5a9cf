import type { HomeView, KnownBlock } from '@slack/types';
import type { AuditRecord } from '../../audit/audit-log.js';
import { DATE_TIME, slackDate } from '../../core/slack-date.js';
import type { ClusterModel, Incident, NodeModel } from '../../monitor/types.js';
import type { StoredRequest } from '../../queue/request-store.js';
import type { HomeCluster, HomeData } from '../home/home-data.js';
import { actions, context, esc, header, linesWithin, preformatted, section, table } from './blocks.js';
import { incidentButtons } from './render-incident.js';
import { decisionButtons } from './render-operation.js';
import { gib, plural, shortener } from './format.js';

const HEALTH: Record<NodeModel['health'], string> = {
  healthy: 'ok',
  suspect: 'suspect',
  down: 'DOWN',
  returned: 'back?',
  'offline-known': 'offline',
};
/** Slack allows 100 blocks in a Home tab; the dashboard stays far below, whatever the cluster's size. */
const MAX_NODES = 40;
const MAX_PROJECT_INSTANCES = 30;
/** Requests listed with their Approve/Deny buttons (two blocks each, within a view's 100). */
const MAX_APPROVALS_WITH_BUTTONS = 10;
const divider: KnownBlock = { type: 'divider' };
const ROLE_WORDS: Record<NonNullable<HomeData['role']>, string> = {
  admin: 'an admin',
  operator: 'an operator',
  viewer: 'a viewer',
};

function nodeTable(model: ClusterModel): KnownBlock[] {
  const nodes = Object.values(model.nodes).sort((a, b) => a.name.localeCompare(b.name));
  const short = shortener(nodes.map((n) => n.name));
  const rows = nodes
    .slice(0, MAX_NODES)
    .map((n) => [
      short(n.name),
      n.name === model.master ? 'master' : n.role,
      HEALTH[n.health],
      `${gib(n.memoryFreeMiB)}/${gib(n.memoryTotalMiB)}`,
      String(n.primaryInstances.length),
      String(n.secondaryInstances.length),
    ]);
  const lines = [
    ...table(['NODE', 'ROLE', 'STATE', 'MEM FREE/TOTAL', 'PRI', 'SEC'], rows),
    ...(nodes.length > MAX_NODES ? [`…and ${nodes.length - MAX_NODES} more: /ganeti nodes`] : []),
  ];
  const bad = nodes.filter((n) => n.health !== 'healthy').length;
  const polled = model.polledAt === null ? 'not yet polled' : `as of ${slackDate(model.polledAt, DATE_TIME)}`;
  return [
    section(
      `*Nodes*: ${plural(nodes.length, 'node')}, ${bad === 0 ? 'all healthy' : `${bad} not healthy`} (${polled})`,
    ),
    ...preformatted(lines).slice(0, 2),
  ];
}

function incidentLine(
  incident: Incident | null,
  alertChannel: string | null,
  masterLost: number | null,
): string {
  if (masterLost !== null) return `🔴 *The master does not answer* since ${slackDate(masterLost)}.`;
  if (incident === null) return '✅ No open incident.';
  const nodes = incident.nodes.map((n) => `\`${esc(n.name)}\``).join(', ');
  const where = alertChannel ? ` Its alert, with the buttons, is in <#${alertChannel}>.` : '';
  return `🔴 *Open incident* \`${esc(incident.id)}\`: ${nodes || 'the master'} since ${slackDate(incident.openedAt)}.${where}`;
}

function approvalLine(r: StoredRequest): string {
  const card = r.card !== null && 'channel' in r.card ? r.card.channel : r.request.channelId;
  const expires = r.request.expiresAt === null ? '' : `, expires ${slackDate(r.request.expiresAt)}`;
  return `• <@${r.request.userId}> asks: *${esc(r.request.plan.title)}* (\`${r.request.requestId}\`${expires}) · its card is in <#${card}>`;
}

const EVENT_WORDS: Partial<Record<AuditRecord['event'], string>> = {
  requested: 'waiting for approval',
  submitted: 'running',
  result: 'done',
};

function mineLine(r: AuditRecord): string {
  const what = [r.command, r.target].filter((x) => x !== null).join(' ');
  const state = r.event === 'result' ? `done: ${r.outcome ?? 'unknown'}` : (EVENT_WORDS[r.event] ?? r.event);
  return `• \`${esc(what || (r.requestId ?? ''))}\`: ${state} · ${slackDate(r.at)}`;
}

/** One cluster at a glance: its open incident with the alert's buttons, and its nodes. */
function clusterBlocks(cluster: HomeCluster, alertChannel: string | null): KnownBlock[] {
  const { name, model, incident, monitorOn } = cluster;
  const blocks: KnownBlock[] = [section(`*Cluster \`${esc(name)}\`*`)];
  if (!monitorOn)
    blocks.push(section('The health monitor is off (no `ALERT_CHANNEL`): use `/ganeti nodes`.'));
  else if (model === null) blocks.push(section('The monitor has not read the cluster yet.'));
  else {
    blocks.push(section(incidentLine(incident, alertChannel, model.masterLostSince)));
    const buttons = cluster.incidentView ? incidentButtons(cluster.incidentView) : [];
    if (buttons.length > 0) blocks.push(actions(`home-incident-${incident?.id ?? ''}`, buttons));
    blocks.push(...nodeTable(model));
  }
  return blocks;
}

/** One person's App Home: the clusters at a glance, what waits for them, what they asked for. */
export function renderHome(data: HomeData): HomeView {
  const blocks: KnownBlock[] = [];
  const role = data.role ? ROLE_WORDS[data.role] : 'a project member';
  blocks.push(header('Ganeti'), context(`You are ${role} · updated ${slackDate(data.now, DATE_TIME)}`));
  for (const cluster of data.clusters) blocks.push(divider, ...clusterBlocks(cluster, data.alertChannel));
  for (const p of data.projects) {
    const lines = p.instances
      .slice(0, MAX_PROJECT_INSTANCES)
      .map((i) => `• \`${esc(i.name)}\` ${esc(i.status)} on ${esc(i.primaryNode)}`);
    if (p.instances.length > MAX_PROJECT_INSTANCES)
      lines.push(`…and ${p.instances.length - MAX_PROJECT_INSTANCES} more`);
    blocks.push(
      divider,
      section(
        linesWithin([
          `*Project ${esc(p.name)}*: you may ${p.actions.map((a) => `\`${esc(a)}\``).join(', ')}`,
          ...(lines.length > 0 ? lines : ['No instance of it is known yet.']),
        ]),
      ),
    );
  }
  if (data.approvals.length > 0 || data.role === 'admin') {
    const shown = data.approvals.slice(0, MAX_APPROVALS_WITH_BUTTONS);
    blocks.push(
      divider,
      section(
        `*Waiting for your approval* (${data.approvals.length})${data.approvals.length === 0 ? '\nNothing.' : ''}`,
      ),
    );
    for (const r of shown)
      blocks.push(
        section(approvalLine(r)),
        actions(`home-op-${r.request.requestId}`, decisionButtons(r.request)),
      );
    const rest = data.approvals.slice(MAX_APPROVALS_WITH_BUTTONS).map(approvalLine);
    if (rest.length > 0) blocks.push(section(linesWithin(rest)));
  }
  blocks.push(
    divider,
    section(
      linesWithin([
        '*Your recent requests*',
        ...(data.mine.length > 0 ? data.mine.map(mineLine) : ['None yet: try `/ganeti help`.']),
      ]),
    ),
  );
  return { type: 'home', blocks };
}
