import type { KnownBlock } from '@slack/types';
import type { GanetiNode } from '../../cluster/types.js';
import type { NodesResult } from '../../commands/results.js';
import { context, header, preformatted } from './blocks.js';
import { gib, plural, shortener } from './format.js';

const ROLE: Record<GanetiNode['role'], string> = {
  master: 'master',
  candidate: 'candidate',
  regular: 'regular',
  drained: 'drained',
  offline: 'offline',
};

export function nodeState(n: GanetiNode): string {
  if (n.offline) return 'OFFLINE';
  if (n.reachability === 'unreachable') return 'UNREACHABLE';
  if (n.drained) return 'drained';
  return 'ok';
}

/** One line per node in trouble, for summaries. */
export function nodeProblems(nodes: readonly GanetiNode[]): string[] {
  return nodes.flatMap((n) => {
    if (n.offline)
      return [
        `:black_circle: \`${n.name}\` is marked offline (${plural(n.primaryInstances, 'primary instance')})`,
      ];
    if (n.reachability === 'unreachable')
      return [
        `:red_circle: \`${n.name}\` does not answer the master (${plural(n.primaryInstances, 'primary instance')})`,
      ];
    if (n.drained) return [`:large_yellow_circle: \`${n.name}\` is drained (no new instances)`];
    return [];
  });
}

export function nodeTable(nodes: readonly GanetiNode[]): string[] {
  const short = shortener(nodes.map((n) => n.name));
  const rows = nodes.map((n) => [
    short(n.name),
    ROLE[n.role],
    nodeState(n),
    `${gib(n.memoryFreeMiB)}/${gib(n.memoryTotalMiB)}`,
    `${gib(n.diskFreeMiB)}/${gib(n.diskTotalMiB)}`,
    String(n.primaryInstances),
    String(n.secondaryInstances),
  ]);
  const cols = ['NODE', 'ROLE', 'STATE', 'MEM FREE/TOTAL', 'DISK FREE/TOTAL', 'PRI', 'SEC'];
  const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: readonly string[]) =>
    r
      .map((cell, i) => (i >= 3 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [fmt(cols), ...rows.map(fmt)];
}

export function renderNodes(result: NodesResult): { text: string; blocks: KnownBlock[] } {
  const problems = nodeProblems(result.nodes);
  const blocks: KnownBlock[] = [
    header(`Nodes (${result.nodes.length})`),
    ...preformatted(nodeTable(result.nodes)),
  ];
  if (problems.length > 0) blocks.push(context(...problems));
  const ok = result.nodes.filter((n) => nodeState(n) === 'ok').length;
  const text = `${plural(result.nodes.length, 'node')}: ${ok} ok${problems.length ? `, ${problems.length} with problems` : ''}`;
  return { text, blocks };
}
