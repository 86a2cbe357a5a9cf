import { z } from 'zod';
import { UserError } from '../../core/errors.js';
import { defineOperation } from '../define-command.js';
import { hbalSteps } from '../hbal-steps.js';

export const rebalance = defineOperation({
  name: 'rebalance',
  aliases: ['balance-execute'],
  summary: "Run hbal's moves (see `balance`), one at a time, after confirmation",
  usage: 'rebalance',
  details:
    'Asks hbal for a fresh plan, shows it on the card, and after confirmation runs each move as its own Ganeti job ' +
    '(migrate, failover or replace-disks), in hbal’s order, exactly once each.',
  examples: [{ line: 'rebalance', what: 'run the moves `balance` shows' }],
  group: 'approval',
  risk: 'destructive',
  params: {},
  schema: z.object({}).strict(),
  plan: async (ctx) => {
    const outcome = await ctx.cluster.hbalPlan();
    if (!outcome.ok) throw new UserError('hbal_failed', `hbal could not plan: ${outcome.failure.message}`);
    const plan = outcome.report;
    const steps = hbalSteps(plan);
    if (steps.length === 0) {
      throw new UserError(
        'nothing_to_do',
        `The cluster is balanced (score ${plan.initialScore ?? '?'}): hbal proposes no moves.`,
      );
    }
    return {
      title: 'Rebalance the cluster',
      summary: `${plan.moves.length} move(s): score ${plan.initialScore ?? '?'} → ${plan.finalScore ?? '?'}`,
      checks: [`hbal planned ${plan.moves.length} move(s) in ${plan.jobsets.length} jobset(s)`],
      warnings: [
        'Instances are live-migrated where hbal says migrate and restarted where it says failover.',
        ...plan.notes,
      ],
      sequential: true,
      steps,
    };
  },
});
