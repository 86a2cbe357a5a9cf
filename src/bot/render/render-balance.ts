import type { KnownBlock } from '@slack/types';
import type { HbalPlan } from '../../cluster/parsers/hbal.js';
import type { BalanceResult } from '../../commands/results.js';
import { context, esc, header, preformatted, section, table } from './blocks.js';
import { duration, plural, shortener } from './format.js';

const DRY_RUN = 'Dry run (`hbal -L -v -C`, without `-X`): nothing was changed.';

function pair(p: { primary: string; secondary: string | null }, short: (n: string) => string): string {
  return p.secondary ? `${short(p.primary)}:${short(p.secondary)}` : short(p.primary);
}

function summary(plan: HbalPlan, took: string): string {
  const loaded =
    plan.nodes === null ? null : `${plural(plan.nodes, 'node')}, ${plural(plan.instances ?? 0, 'instance')}`;
  return [loaded, plan.group ? `group ${esc(plan.group)}` : null, took].filter(Boolean).join(' · ');
}

function renderPlan(plan: HbalPlan, took: string): { text: string; blocks: KnownBlock[] } {
  const notes = plan.notes.length
    ? [context(...plan.notes.map((n) => `:information_source: ${esc(n)}`))]
    : [];
  if (plan.empty) {
    const text = 'hbal: the cluster has no instances, nothing to balance';
    return { text, blocks: [header(`✅ ${text}`), context(DRY_RUN, summary(plan, took))] };
  }
  const initial = plan.initialScore?.toFixed(8) ?? '?';
  if (plan.moves.length === 0) {
    const text = `The cluster is balanced (score ${initial}), no moves`;
    const why = plan.alreadyBalanced
      ? 'The score is already as low as the N+1 reservations allow; hbal did not search.'
      : 'hbal found no move that lowers the score (lower is better; 0 is perfectly even).';
    return {
      text,
      blocks: [header(`✅ ${text}`), section(why), ...notes, context(DRY_RUN, summary(plan, took))],
    };
  }
  const final = plan.finalScore?.toFixed(8) ?? '?';
  const text = `hbal would make ${plural(plan.moves.length, 'move')}: score ${initial} → ${final}`;
  const short = shortener([
    ...new Set(
      plan.moves.flatMap((m) => [m.from, m.to].flatMap((p) => [p.primary, p.secondary ?? p.primary])),
    ),
  ]);
  const shortInstance = shortener(plan.moves.map((m) => m.instance));
  const moveRows = plan.moves.map((m) => [
    String(m.step),
    shortInstance(m.instance),
    pair(m.from, short),
    pair(m.to, short),
    m.actions,
    m.scoreAfter.toFixed(8),
  ]);
  const commands = plan.jobsets.flatMap((jobs, index) => [
    `# jobset ${index + 1}: ${plural(jobs.length, 'job')}${jobs.length > 1 ? ', may run in parallel' : ''}`,
    ...jobs.flatMap((job) => job.commands.map((argv) => argv.join(' '))),
  ]);
  return {
    text,
    blocks: [
      header(`⚖️ ${text}`),
      ...preformatted(table(['STEP', 'INSTANCE', 'FROM', 'TO', 'ACTIONS', 'SCORE AFTER'], moveRows)),
      section(
        '*Commands*, jobset after jobset (f: failover/migrate, r: new secondary, fa: failover to a node):',
      ),
      ...preformatted(commands),
      ...notes,
      context(DRY_RUN, summary(plan, took), '`/ganeti rebalance` runs these moves after confirmation.'),
    ],
  };
}

export function renderBalance(result: BalanceResult): { text: string; blocks: KnownBlock[] } {
  const took = `took ${duration(result.durationMs)}`;
  if (result.plan.ok) return renderPlan(result.plan.report, took);
  const { failure } = result.plan;
  const text = failure.unreachableNode
    ? `hbal cannot plan: ${failure.unreachableNode} does not answer`
    : 'hbal cannot plan';
  const hint = failure.unreachableNode
    ? `htools leave out only nodes marked offline: until \`${esc(failure.unreachableNode)}\` answers again or is marked offline, hbal cannot plan.`
    : 'See `/ganeti verify` for what is wrong with the cluster.';
  return {
    text,
    blocks: [header(`⚠️ ${text}`), section(`Ganeti says: ${esc(failure.message)}`), context(hint, took)],
  };
}
