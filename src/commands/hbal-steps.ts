import type { GanetiAction } from '../cluster/actions.js';
import type { HbalPlan } from '../cluster/parsers/hbal.js';
import { UserError } from '../core/errors.js';
import type { PlannedStep } from './operation-plan.js';

/**
 * One command of hbal's plan as an action the bot runs itself (with --submit and --reason,
 * exactly once), instead of `hbal -X`. Only the exact forms hbal prints are accepted.
 */
function toAction(argv: readonly string[]): GanetiAction | null {
  const [tool, verb, ...rest] = argv;
  if (tool !== 'gnt-instance') return null;
  const targetForm = rest.length === 4 && rest[0] === '-f' && rest[1] === '-n';
  const plainForm = rest.length === 2 && rest[0] === '-f';
  const instance = rest.at(-1) ?? '';
  if (verb === 'migrate' && (plainForm || targetForm)) {
    return {
      op: 'instance-migrate',
      instance,
      target: targetForm ? (rest[2] ?? null) : null,
      allowFailover: false,
    };
  }
  if (verb === 'failover' && (plainForm || targetForm)) {
    return { op: 'instance-failover', instance, target: targetForm ? (rest[2] ?? null) : null };
  }
  if (verb === 'replace-disks' && rest.length === 3 && rest[0] === '-n' && rest[1]) {
    return { op: 'instance-replace-secondary', instance, node: rest[1] };
  }
  return null;
}

/** hbal's jobsets as steps, in order (they are run one at a time). */
export function hbalSteps(plan: HbalPlan): PlannedStep[] {
  const steps: PlannedStep[] = [];
  plan.jobsets.forEach((jobset, s) =>
    jobset.forEach((job, j) =>
      job.commands.forEach((argv, c) => {
        const action = toAction(argv);
        if (!action) {
          throw new UserError(
            'unsupported_move',
            `hbal proposes \`${argv.join(' ')}\`, which the bot does not run.`,
            {
              hint: 'Review the plan and run hbal on the master yourself.',
            },
          );
        }
        steps.push({ key: `move-${s + 1}-${j + 1}-${c + 1}`, label: argv.slice(1).join(' '), action });
      }),
    ),
  );
  return steps;
}
