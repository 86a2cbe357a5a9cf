import type { Risk } from './types.js';

export type Role = 'viewer' | 'operator' | 'admin';

/** Slack user ids per role; `*` means everyone. Higher roles include the lower ones. */
export interface AccessPolicy {
  admins: readonly string[];
  operators: readonly string[];
  viewers: readonly string[];
}

export type Decision = { allowed: true; role: Role } | { allowed: false; reason: string; needed: Role };

const NEEDED: Record<Risk, Role> = { read: 'viewer', write: 'operator', destructive: 'admin' };
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };
const listed = (list: readonly string[], userId: string) => list.includes('*') || list.includes(userId);

/** The highest role a user has, or null. */
export function roleOf(userId: string, policy: AccessPolicy): Role | null {
  if (listed(policy.admins, userId)) return 'admin';
  if (listed(policy.operators, userId)) return 'operator';
  if (listed(policy.viewers, userId)) return 'viewer';
  return null;
}

/**
 * Who may run what, decided in one pure function from the command, the user and the policy.
 * A refusal says why and which role would be needed.
 */
export function authorize(
  command: { name: string; risk: Risk },
  userId: string,
  policy: AccessPolicy,
): Decision {
  const needed = NEEDED[command.risk];
  const role = roleOf(userId, policy);
  if (role !== null && RANK[role] >= RANK[needed]) return { allowed: true, role };
  const has = role ? `you are a ${role}` : 'you have no role on this bot';
  return {
    allowed: false,
    needed,
    reason: `\`${command.name}\` needs the ${needed} role and ${has}. Ask a cluster admin to add you to ACCESS_${needed.toUpperCase()}S.`,
  };
}
