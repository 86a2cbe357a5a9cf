import type { WebClient } from '@slack/web-api';
import type { AccessPolicy } from '../commands/authorize.js';
import { UserError } from '../core/errors.js';

/** The Slack user groups (`S…`) a user belongs to, of those the policy mentions. */
export interface GroupDirectory {
  /** `fresh`: ask Slack now (approvals), not the cache. */
  groupsOf(userId: string, options?: { fresh?: boolean }): Promise<string[]>;
}

/** Every `group:S…` the policy mentions. */
export function referencedGroups(policy: AccessPolicy): string[] {
  const lists = [
    policy.admins,
    policy.operators,
    policy.viewers,
    policy.approvers ?? [],
    ...(policy.projects ?? []).map((p) => p.members),
  ];
  return [
    ...new Set(
      lists
        .flat()
        .filter((m) => m.startsWith('group:'))
        .map((m) => m.slice(6)),
    ),
  ];
}

/**
 * Memberships from `usergroups.users.list`, cached per group for `ttlMs`. When Slack does not
 * answer, a cached list is used if there is one; a fresh check fails with a clear message.
 */
export function createGroupDirectory(deps: {
  client: WebClient;
  policy: AccessPolicy;
  ttlMs: number;
  now?: () => number;
}): GroupDirectory {
  const now = deps.now ?? Date.now;
  const groups = referencedGroups(deps.policy);
  const cache = new Map<string, { at: number; users: Set<string> }>();

  async function members(group: string, fresh: boolean): Promise<Set<string>> {
    const hit = cache.get(group);
    if (hit && !fresh && now() - hit.at <= deps.ttlMs) return hit.users;
    try {
      const res = await deps.client.usergroups.users.list({ usergroup: group });
      const users = new Set(res.users ?? []);
      cache.set(group, { at: now(), users });
      return users;
    } catch (error) {
      if (hit && !fresh) return hit.users;
      throw new UserError(
        'groups_unavailable',
        `Could not check Slack user group ${group} membership: Slack did not answer.`,
        {
          hint: 'Try again in a minute.',
          cause: error,
        },
      );
    }
  }

  return {
    async groupsOf(userId, options = {}) {
      if (groups.length === 0) return [];
      const lists = await Promise.all(
        groups.map(async (g) => [g, await members(g, options.fresh === true)] as const),
      );
      return lists.filter(([, users]) => users.has(userId)).map(([g]) => g);
    },
  };
}
