import type { KnownBlock } from '@slack/types';
import type { HcheckReport } from '../../cluster/parsers/hcheck.js';
import type { HspaceReport, HspaceSpec } from '../../cluster/parsers/hspace.js';
import type { HtoolsFailure } from '../../cluster/parsers/htools-output.js';
import type { CapacityResult, NodeLossCheck } from '../../commands/results.js';
import { context, esc, header, linesWithin, preformatted, section } from './blocks.js';
import { duration, gib, plural, shortener } from './format.js';

const STRANDED_WHY: Record<NodeLossCheck['stranded'][number]['reason'], string> = {
  'no-room': 'no room',
  'secondary-unusable': 'its DRBD secondary cannot take it',
  'not-mirrored': 'its disks live only on that node',
  'memory-unknown': 'memory size unknown',
};

/** hspace's FailMode names (without `FAIL`), as a person says them. */
const LIMIT: Readonly<Record<string, string>> = {
  MEM: 'memory runs out',
  DISK: 'disk runs out',
  CPU: 'CPUs run out',
  N1: 'N+1 redundancy would break',
  TAGS: 'exclusion tags forbid more',
  MIG: 'migration restrictions forbid more',
  DISKCOUNT: 'the disk count limit is reached',
  SPINDLES: 'spindles run out',
  INTERNAL: 'hspace hit an internal limit',
};

const isDown = (c: NodeLossCheck) => c.state === 'unreachable' || c.state === 'offline';
const downWord = (c: NodeLossCheck) => (c.state === 'offline' ? 'is offline' : 'does not answer');

/** The one-line answer: what is already broken first, then the worst single-node loss. */
export function capacityHeadline(result: CapacityResult): string {
  const short = shortener(result.nodeLoss.map((c) => c.node));
  const down = result.nodeLoss.filter(isDown);
  const first = down[0];
  if (first) {
    const stranded = down.reduce((n, c) => n + c.stranded.length, 0);
    const who =
      down.length === 1 ? `${short(first.node)} ${downWord(first)}` : `${down.length} nodes are down`;
    if (stranded > 0) return `⚠️ ${who}: ${plural(stranded, 'instance')} would have no room elsewhere`;
    const moving = down.reduce((n, c) => n + c.toRelocate, 0);
    return moving === 0
      ? `⚠️ ${who}; no instance needs a new home`
      : `⚠️ ${who}; ${down.length === 1 ? 'its' : 'their'} ${plural(moving, 'instance')} would fit on the other nodes`;
  }
  const risky = result.nodeLoss
    .filter((c) => c.stranded.length > 0)
    .sort((a, b) => b.stranded.length - a.stranded.length);
  const worst = risky[0];
  if (worst) {
    const more = risky.length > 1 ? ` (and ${plural(risky.length - 1, 'other node')} too)` : '';
    return `⚠️ Losing ${short(worst.node)} would leave ${plural(worst.stranded.length, 'instance')} without room${more}`;
  }
  if (result.health.ok && hcheckProblems(result.health.report).length > 0) {
    return `⚠️ Memory allows losing any one node, but hcheck reports problems`;
  }
  if (!result.health.ok) return '⚠️ Memory allows losing any one node, but hcheck could not run';
  return '✅ The cluster can lose any one node';
}

function hcheckProblems(report: HcheckReport): string[] {
  const c = report.initial;
  return [
    c.nPlusOneFailures ? `${plural(c.nPlusOneFailures, 'node')} not N+1 happy` : null,
    c.notEvacuable ? `${plural(c.notEvacuable, 'node')} not directly evacuable` : null,
    c.offlinePrimaries ? `${plural(c.offlinePrimaries, 'instance')} with the primary node offline` : null,
    c.offlineSecondaries ? `${plural(c.offlineSecondaries, 'instance')} with a secondary node offline` : null,
    c.conflictingTags ? `${plural(c.conflictingTags, 'node')} with conflicting instances (tags)` : null,
  ].filter((p): p is string => p !== null);
}

function failureLine(tool: string, failure: HtoolsFailure): string {
  const why = failure.unreachableNode
    ? `\`${esc(failure.unreachableNode)}\` does not answer, and htools only leave out nodes marked offline`
    : esc(failure.message);
  return `:warning: *${tool}* could not run: ${why}.`;
}

function hcheckSection(health: CapacityResult['health']): string {
  if (!health.ok) return failureLine('hcheck', health.failure);
  const problems = hcheckProblems(health.report);
  const scores = health.report.groups.map((g) => g.initialScore.toFixed(2)).join(', ');
  const score = scores ? ` · balance score ${scores}` : '';
  if (problems.length === 0) {
    return `:white_check_mark: *hcheck*: every node N+1 happy, no instance on an offline node${score}.`;
  }
  const fixed =
    health.report.afterRebalance &&
    hcheckProblems({ ...health.report, initial: health.report.afterRebalance }).length === 0;
  return `:warning: *hcheck*: ${problems.join(' · ')}${score}.${fixed ? ' A rebalance (`/ganeti balance`) would fix it.' : ''}`;
}

const specText = (s: HspaceSpec) =>
  `${gib(s.memoryMiB)} RAM, ${plural(s.cpus, 'vCPU')}, ${gib(s.diskMiB)} disk`;

function hspaceSection(space: CapacityResult['space']): string {
  if (!space.ok) return failureLine('hspace', space.failure);
  const r: HspaceReport = space.report;
  const lines = [
    `*Room for more* (hspace, ${plural(r.cluster.nodes, 'node')}, ${plural(r.instances, 'instance')} now):`,
  ];
  if (r.standard) {
    const limit = r.standard.limitedBy
      ? `, then ${LIMIT[r.standard.limitedBy] ?? esc(r.standard.limitedBy)}`
      : '';
    lines.push(`• *${r.standard.fits}* more of the standard spec (${specText(r.standard.spec)})${limit}`);
  }
  if (r.tiered) {
    const sizes = r.tiered.sizes.map((s) => `${gib(s.memoryMiB)}×${s.count}`).join(', ');
    lines.push(
      `• *${r.tiered.fits}* more, starting from the largest spec (${specText(r.tiered.startSpec)})${sizes ? `: ${sizes}` : ''}`,
    );
  }
  return lines.join('\n');
}

function nodeLossTable(checks: readonly NodeLossCheck[]): string[] {
  const short = shortener(checks.map((c) => c.node));
  const cols = ['IF THIS NODE DIES', 'STATE', 'INSTANCES', 'NEED', 'FREE ELSEWHERE', 'RESULT'];
  const rows = checks.map((c) => [
    short(c.node),
    c.state,
    String(c.toRelocate),
    gib(c.neededMiB),
    gib(c.freeElsewhereMiB),
    c.toRelocate === 0 ? 'nothing to move' : c.stranded.length ? `${c.stranded.length} without room` : 'fits',
  ]);
  const widths = cols.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = new Set([2, 3, 4]);
  const fmt = (r: readonly string[]) =>
    r
      .map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [fmt(cols), ...rows.map(fmt)];
}

export function renderCapacity(result: CapacityResult): { text: string; blocks: KnownBlock[] } {
  const headline = capacityHeadline(result);
  const short = shortener(result.nodeLoss.map((c) => c.node));
  const blocks: KnownBlock[] = [header(headline)];
  if (result.nodeLoss.length > 0) blocks.push(...preformatted(nodeLossTable(result.nodeLoss)));
  const stranded = result.nodeLoss
    .filter((c) => c.stranded.length > 0)
    .map(
      (c) =>
        `• ${isDown(c) ? `\`${short(c.node)}\` (${downWord(c)} now)` : `losing \`${short(c.node)}\``}: ` +
        c.stranded
          .map((s) => `\`${esc(s.instance)}\` (${gib(s.memoryMiB)}, ${STRANDED_WHY[s.reason]})`)
          .join(', '),
    );
  if (stranded.length > 0) blocks.push(section(`*Would not fit*\n${linesWithin(stranded, 2900)}`));
  blocks.push(section(hcheckSection(result.health)), section(hspaceSection(result.space)));
  blocks.push(
    context(
      'Memory check: running instances of the lost node, largest first, onto the first online, undrained node with room ' +
        '(DRBD instances only onto their secondary); free memory as the nodes report it now.',
      `Took ${duration(result.durationMs)}`,
    ),
  );
  return { text: headline, blocks };
}
