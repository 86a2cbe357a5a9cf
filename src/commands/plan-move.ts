import type { GanetiInstance } from '../cluster/types.js';
import { UserError } from '../core/errors.js';
import type { PlannedStep } from './operation-plan.js';
import {
  EXTERNALLY_MIRRORED,
  type ClusterState,
  nodeByName,
  refuseUnreachableSource,
  targetProblem,
} from './prechecks.js';
import type { GanetiNode } from '../cluster/types.js';

export interface MoveCheck {
  /** The node it goes to, or null when Ganeti's allocator picks one. */
  target: string | null;
  checks: string[];
  step: PlannedStep;
}

/**
 * Pre-checks shared by failover and migrate: where the instance can go (its DRBD secondary, or
 * any healthy node for externally mirrored disks), and whether its primary can be left safely.
 */
export function checkMove(
  state: ClusterState,
  inst: GanetiInstance,
  mode: 'failover' | 'migrate',
  wanted: GanetiNode | null,
): MoveCheck {
  const checks: string[] = [];
  const primary = nodeByName(state, inst.primaryNode);
  if (!primary)
    throw new UserError(
      'unknown_node',
      `The primary node of \`${inst.name}\` (\`${inst.primaryNode}\`) is not in the node list.`,
    );
  refuseUnreachableSource(primary, inst.name);

  if (wanted && wanted.name === inst.primaryNode) {
    throw new UserError('same_node', `\`${inst.name}\` already runs on \`${wanted.name}\`.`, {
      hint: 'Name another node with --to, or leave --to out.',
    });
  }
  let target: string | null;
  const secondary = inst.secondaryNodes[0];
  if (secondary) {
    if (wanted && wanted.name !== secondary) {
      throw new UserError(
        'bad_target',
        `\`${inst.name}\` has its disks mirrored (${inst.diskTemplate}) to \`${secondary}\`; it can only move there.`,
        {
          hint: 'Leave --to out, or change its secondary first (gnt-instance replace-disks).',
        },
      );
    }
    target = secondary;
    checks.push(`disks are mirrored (${inst.diskTemplate}) to \`${secondary}\``);
  } else if (EXTERNALLY_MIRRORED.has(inst.diskTemplate)) {
    target = wanted?.name ?? null;
    checks.push(`disks (${inst.diskTemplate}) are reachable from any node`);
  } else {
    throw new UserError(
      'not_movable',
      `\`${inst.name}\` has ${inst.diskTemplate} disks with no second copy, so it cannot ${mode === 'failover' ? 'fail over' : 'migrate'}.`,
      {
        hint: 'Such an instance can only be moved by copying its disks (gnt-instance move).',
      },
    );
  }
  if (target) {
    const node = nodeByName(state, target);
    const problem = node ? targetProblem(node) : `\`${target}\` is not in the node list`;
    if (problem)
      throw new UserError('bad_target', `\`${inst.name}\` cannot go to \`${target}\`: ${problem}.`);
    checks.push(`\`${target}\` is online and accepts instances`);
  }

  if (mode === 'migrate') {
    if (inst.status !== 'running') {
      throw new UserError(
        'not_running',
        `\`${inst.name}\` is not running (${inst.status}); live migration needs a running instance.`,
        {
          hint: `Move a stopped instance with \`/ganeti failover ${inst.name}\`.`,
        },
      );
    }
    if (primary.offline) {
      throw new UserError(
        'primary_offline',
        `\`${inst.primaryNode}\` is offline, so \`${inst.name}\` cannot be migrated live.`,
        {
          hint: `Use \`/ganeti failover ${inst.name}\`.`,
        },
      );
    }
  }
  checks.unshift(
    `\`${inst.name}\` is ${inst.status} on \`${inst.primaryNode}\`${primary.offline ? ' (marked offline)' : ''}`,
  );
  const to = target ?? 'a node chosen by the allocator';
  const label = `${inst.name}: ${inst.primaryNode} → ${to}`;
  // From an offline node, failover needs --ignore-consistency, which asks on a TTY; a migrate
  // that may fall back to failover does the same without asking (seen on Ganeti 3.0).
  const step: PlannedStep =
    mode === 'migrate' || primary.offline
      ? {
          key: inst.name,
          label,
          action: { op: 'instance-migrate', instance: inst.name, target, allowFailover: mode === 'failover' },
        }
      : { key: inst.name, label, action: { op: 'instance-failover', instance: inst.name, target } };
  return { target, checks, step };
}
