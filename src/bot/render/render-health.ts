import type { KnownBlock } from '@slack/types';
import type { HealthNode, HealthNodeRisk, HealthResult } from '../../commands/results.js';
import type { IncidentSummary } from '../../monitor/types.js';
import { clip, context, esc, header, linesWithin, section } from './blocks.js';
import { gib, plural, shortener } from './format.js';
import { slackDate } from '../../core/slack-date.js';

/** Failed jobs listed at most; `/ganeti jobs` has the rest. */
const FAILED_JOBS_SHOWN = 10;
/** Characters of a job summary shown: ten such lines always fit in one section. */
const JOB_SUMMARY_CHARS = 150;
/** Nodes named per incident. */
const INCIDENT_NODES_SHOWN = 10;
/** Stranded instances named per node loss; `/ganeti capacity` has them all, with the reasons. */
const STRANDED_SHOWN = 5;

const ICON: Record<HealthNode['state'], string> = {
  ok: ':large_green_circle:',
  drained: ':large_yellow_circle:',
  unreachable: ':red_circle:',
  offline: ':black_circle:',
};

const INCIDENT: Record<IncidentSummary['kind'], string> = {
  'node-loss': 'node lost',
  'master-loss': 'master lost',
};

const isDown = (state: HealthNode['state']) => state === 'unreachable' || state === 'offline';

function use(usedMiB: number | null, totalMiB: number | null): string {
  if (usedMiB === null || totalMiB === null) return '?';
  const pct = totalMiB > 0 ? ` (${Math.round((usedMiB / totalMiB) * 100)}%)` : '';
  return `${gib(usedMiB)}/${gib(totalMiB)}${pct}`;
}

/** The one-line verdict. Failed jobs are counted but leave it green: they are often refused requests. */
export function healthHeadline(result: HealthResult): string {
  const short = shortener(result.nodes.map((n) => n.name));
  const down = result.nodes.filter((n) => isDown(n.state));
  const drained = result.nodes.filter((n) => n.state === 'drained').length;
  const total = result.nodes.length;
  const [first] = down;
  const parts = [
    first === undefined
      ? `${plural(total, 'node')} up`
      : `${total - down.length} of ${total} nodes up (${down.length === 1 ? `${short(first.name)} ${first.state}` : `${down.length} down`})`,
    drained > 0 ? `${drained} drained` : null,
    nPlusOneWords(result, short),
    result.instanceProblems.length > 0
      ? `${plural(result.instanceProblems.length, 'instance')} not as intended`
      : null,
    result.incidents.length > 0 ? plural(result.incidents.length, 'open incident') : null,
    result.failedJobs.length > 0 ? plural(result.failedJobs.length, 'failed job') : null,
  ].filter((p): p is string => p !== null);
  const fine =
    down.length === 0 &&
    result.nPlusOne.canLoseAnyNode &&
    result.instanceProblems.length === 0 &&
    result.incidents.length === 0;
  return `${fine ? '✅' : '⚠️'} node-health: ${parts.join(', ')}`;
}

function nPlusOneWords(result: HealthResult, short: (name: string) => string): string {
  const { risks } = result.nPlusOne;
  const lost = risks.find((r) => isDown(r.state));
  if (lost) return `no room elsewhere for ${plural(lost.stranded.length, 'instance')} of ${short(lost.node)}`;
  const [worst] = [...risks].sort((a, b) => b.stranded.length - a.stranded.length);
  if (worst) {
    const others = risks.length > 1 ? ` (and ${plural(risks.length - 1, 'other node')})` : '';
    return `losing ${short(worst.node)} would strand ${plural(worst.stranded.length, 'instance')}${others}`;
  }
  const down = result.nodes.filter((n) => isDown(n.state)).length;
  if (down === 0) return 'can lose any one node';
  return `${down === 1 ? 'its' : 'their'} instances fit elsewhere`;
}

function nodeLine(n: HealthNode, short: (name: string) => string): string {
  const what = n.role === n.state ? `*${n.state}*` : n.state === 'ok' ? n.role : `${n.role} · *${n.state}*`;
  return (
    `${ICON[n.state]} \`${esc(short(n.name))}\` ${what} · mem ${use(n.memoryUsedMiB, n.memoryTotalMiB)}` +
    ` · disk ${use(n.diskUsedMiB, n.diskTotalMiB)} · ${n.primaryInstances} p / ${n.secondaryInstances} s`
  );
}

/** Nodes that need a look first, then the rest, each group in `gnt-node list` order. */
function nodesSection(result: HealthResult, short: (name: string) => string): string {
  const rank = (n: HealthNode) => (isDown(n.state) ? 0 : n.state === 'drained' ? 1 : 2);
  const sorted = [...result.nodes].sort((a, b) => rank(a) - rank(b));
  const title = `*Nodes* (${result.nodes.length}; used/total memory and disk, primary/secondary instances)`;
  return `${title}\n${linesWithin(sorted.map((n) => nodeLine(n, short)))}`;
}

function riskLine(r: HealthNodeRisk, short: (name: string) => string): string {
  const who = isDown(r.state)
    ? `\`${esc(short(r.node))}\` (${r.state} now)`
    : `losing \`${esc(short(r.node))}\``;
  const named = r.stranded
    .slice(0, STRANDED_SHOWN)
    .map((s) => `\`${esc(clip(s.instance, 80))}\` (${gib(s.memoryMiB)})`);
  const more = r.stranded.length - named.length;
  return `• ${who}: ${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

function nPlusOneSection(result: HealthResult, short: (name: string) => string): string {
  const { risks } = result.nPlusOne;
  if (risks.length === 0) {
    const down = result.nodes.some((n) => isDown(n.state)) ? ' (the down nodes’ instances included)' : '';
    return `:white_check_mark: *N+1* (memory): no single node’s loss leaves an instance without a home${down}.`;
  }
  const title = `:warning: *N+1* (memory): ${plural(risks.length, 'node')} whose loss leaves instances without a home (why: \`/ganeti capacity\`)`;
  return `${title}\n${linesWithin(risks.map((r) => riskLine(r, short)))}`;
}

function instancesSection(result: HealthResult, short: (name: string) => string): string {
  const problems = result.instanceProblems;
  if (problems.length === 0) {
    return `:white_check_mark: ${plural(result.instanceCount, 'instance')}, every one in its intended state.`;
  }
  const lines = problems.map(
    (p) =>
      `${p.status.startsWith('ERROR_') ? ':red_circle:' : ':large_yellow_circle:'} \`${esc(clip(p.name, 80))}\` ` +
      `is \`${esc(p.status)}\` (admin state ${esc(p.adminState)}, primary \`${esc(short(p.primaryNode))}\`)`,
  );
  return `*Not in their intended state* (${problems.length} of ${result.instanceCount})\n${linesWithin(lines)}`;
}

function incidentsSection(result: HealthResult, short: (name: string) => string): string {
  if (result.incidents.length === 0) return ':white_check_mark: No open incidents.';
  const nodes = (names: readonly string[]) => {
    const named = names.slice(0, INCIDENT_NODES_SHOWN).map((n) => `\`${esc(short(n))}\``);
    const more = names.length - named.length;
    return `${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
  };
  const lines = result.incidents.map(
    (i) =>
      `:rotating_light: *${INCIDENT[i.kind]}*: ${nodes(i.nodes)} ` +
      `since ${slackDate(i.openedAt)} · ${i.acknowledgedBy ? `acknowledged by <@${esc(i.acknowledgedBy)}>` : 'not acknowledged'}`,
  );
  return `*Open incidents* (${result.incidents.length})\n${linesWithin(lines)}`;
}

function jobsSection(result: HealthResult): string {
  const since = result.sinceLastSummary
    ? `since the last summary, ${slackDate(result.failedJobsSince)}`
    : 'in the last 24 hours';
  const jobs = result.failedJobs;
  if (jobs.length === 0) return `:white_check_mark: No Ganeti job failed ${since}.`;
  const lines = jobs
    .slice(0, FAILED_JOBS_SHOWN)
    .map((j) => `• job ${j.id} \`${clip(esc(j.summary), JOB_SUMMARY_CHARS)}\` ended ${slackDate(j.endedAt)}`);
  const more = jobs.length - lines.length;
  const title = `*Failed Ganeti jobs* (${jobs.length}) ${since} · why: \`/ganeti job ID\``;
  return [title, ...lines, ...(more > 0 ? [`…and ${more} more`] : [])].join('\n');
}

export function renderHealth(result: HealthResult): { text: string; blocks: KnownBlock[] } {
  const headline = healthHeadline(result);
  const short = shortener(result.nodes.map((n) => n.name));
  const blocks: KnownBlock[] = [
    header(headline),
    section(nodesSection(result, short)),
    section(nPlusOneSection(result, short)),
    section(instancesSection(result, short)),
  ];
  if (result.monitorOn) blocks.push(section(incidentsSection(result, short)));
  blocks.push(
    section(jobsSection(result)),
    context(
      `Master \`${esc(result.master)}\` · as of ${slackDate(result.generatedAt)}`,
      ...(result.monitorOn ? [] : ['The health monitor is off: no incidents are tracked']),
      'Every node: `/ganeti nodes` · hcheck and hspace: `/ganeti capacity`',
    ),
  );
  return { text: headline, blocks };
}
