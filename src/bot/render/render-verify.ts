import type { KnownBlock } from '@slack/types';
import type { VerifyFinding } from '../../cluster/types.js';
import type { VerifyResult } from '../../commands/results.js';
import { context, esc, header, section } from './blocks.js';
import { duration, plural } from './format.js';

const ICON = { ERROR: ':x:', WARNING: ':warning:', NOTICE: ':information_source:' } as const;

/**
 * Findings grouped by what they are about (a node, an instance, the cluster): groups with errors
 * first, the most troubled first (a dead node tops the list).
 */
export function groupFindings(
  findings: readonly VerifyFinding[],
): Array<{ title: string; items: VerifyFinding[] }> {
  const groups = new Map<string, VerifyFinding[]>();
  for (const f of findings) {
    const key = f.item ? `${f.itemType ?? 'item'} ${f.item}` : 'cluster';
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const rank = (items: VerifyFinding[]) =>
    items.some((i) => i.severity === 'ERROR') ? 0 : items.some((i) => i.severity === 'WARNING') ? 1 : 2;
  return [...groups.entries()]
    .map(([title, items]) => ({ title, items }))
    .sort(
      (a, b) =>
        rank(a.items) - rank(b.items) || b.items.length - a.items.length || a.title.localeCompare(b.title),
    );
}

export function renderVerify(result: VerifyResult): { text: string; blocks: KnownBlock[] } {
  const { findings } = result.report;
  const errors = findings.filter((f) => f.severity === 'ERROR').length;
  const warnings = findings.filter((f) => f.severity === 'WARNING').length;
  const ok = errors === 0 && warnings === 0;
  const summary = ok
    ? 'no errors, no warnings'
    : `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
  const blocks: KnownBlock[] = [header(`${ok ? '✅' : errors ? '❌' : '⚠️'} gnt-cluster verify: ${summary}`)];
  for (const group of groupFindings(findings)) {
    const lines = group.items.map(
      (f) => `${ICON[f.severity]} ${f.code ? `\`${f.code}\` ` : ''}${esc(f.message)}`,
    );
    blocks.push(section(`*${esc(group.title)}*\n${lines.join('\n')}`));
  }
  const notices = findings.filter((f) => f.severity === 'NOTICE').length;
  blocks.push(
    context(
      `Took ${duration(result.durationMs)} · Ganeti jobs ${result.report.jobIds.join(', ') || '–'}${notices ? ` · ${plural(notices, 'notice')}` : ''}`,
    ),
  );
  return { text: `gnt-cluster verify: ${summary}`, blocks };
}
