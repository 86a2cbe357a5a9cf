import { globMatch } from '../core/glob.js';
import type { Risk } from './types.js';

export type Role = 'viewer' | 'operator' | 'admin';

/**
 * Who someone is, for access decisions: their Slack user id and the Slack user groups
 * (`S…` ids) they belong to, of those the policy mentions.
 */
export interface Principal {
  userId: string;
  groups: readonly string[];
}

/**
 * A member list: Slack user ids (`U…`/`W…`), user groups as `group:S…`, or `*` for everyone.
 */
export type Members = readonly string[];

/** A project hosted on the cluster: its people, the instances it owns, what they may do. */
export interface Project {
  name: string;
  members: Members;
  /** Instances owned by Ganeti tag (`project:web`) or by name glob (`web*`). */
  instances: { tags: readonly string[]; patterns: readonly string[] };
  /** Commands members may run on those instances, e.g. info, start, reboot, shutdown, console. */
  actions: readonly string[];
  /** The clusters its instances live on (config names); absent: every cluster the bot serves. */
  clusters?: readonly string[];
}

/** Access rules, decided as data. Higher roles include the lower ones. */
export interface AccessPolicy {
  admins: Members;
  operators: Members;
  viewers: Members;
  /** Command name → the only channels where it may be used. */
  channels?: Readonly<Record<string, readonly string[]>>;
  projects?: readonly Project[];
  /** Who may approve destructive requests. Default: the admins. */
  approvers?: Members;
  /** Commands whose requester may approve their own request (the two-person rule is off). */
  selfApprove?: readonly string[];
}

/** How a user may run a command: by role everywhere, or by project on the projects' instances only. */
export type Grant = { via: 'role'; role: Role } | { via: 'project'; projects: string[] };

export type Decision = ({ allowed: true } & Grant) | { allowed: false; reason: string; needed: Role };

/** The grant of an allowed decision, as a queued request carries it. */
export function grantOf(decision: { allowed: true } & Grant): Grant {
  return decision.via === 'role'
    ? { via: 'role', role: decision.role }
    : { via: 'project', projects: decision.projects };
}

/** What a command is about, when it names an instance: for project checks. */
export interface Target {
  instance: string;
  tags: readonly string[];
}

const NEEDED: Record<Risk, Role> = { read: 'viewer', write: 'operator', destructive: 'admin' };
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Commands a project member may always use; they only ever show the member's own instances. */
export const PROJECT_LISTING = new Set(['help', 'instances']);

export function isMember(p: Principal, members: Members): boolean {
  return members.some(
    (m) => m === '*' || m === p.userId || (m.startsWith('group:') && p.groups.includes(m.slice(6))),
  );
}

/** The highest role a user has, or null. */
export function roleOf(p: Principal, policy: AccessPolicy): Role | null {
  if (isMember(p, policy.admins)) return 'admin';
  if (isMember(p, policy.operators)) return 'operator';
  if (isMember(p, policy.viewers)) return 'viewer';
  return null;
}

function globMatches(name: string, pattern: string): boolean {
  const short = name.split('.')[0] ?? name;
  return globMatch(name, pattern, { ignoreCase: true }) || globMatch(short, pattern, { ignoreCase: true });
}

/** Whether a project owns an instance (by tag or by name pattern). */
export function projectOwns(project: Project, target: Target): boolean {
  return (
    project.instances.tags.some((t) => target.tags.includes(t)) ||
    project.instances.patterns.some((p) => globMatches(target.instance, p))
  );
}

/**
 * Who may do what, decided in one pure function from the command, the user, the channel and the
 * policy. Without a target it answers for the command in general (a project grant is then
 * provisional: the worker checks the instance); with a target it answers for that instance.
 * A refusal says why and which role would be needed.
 */
export function authorize(
  command: { name: string; risk: Risk; role?: Role },
  principal: Principal,
  channelId: string,
  policy: AccessPolicy,
  target?: Target,
): Decision {
  const needed = command.role ?? NEEDED[command.risk];
  const only = policy.channels?.[command.name];
  if (only && !only.includes(channelId)) {
    return {
      allowed: false,
      needed,
      reason: `\`${command.name}\` may be used only in ${only.map((c) => `<#${c}>`).join(', ')}.`,
    };
  }
  const role = roleOf(principal, policy);
  if (role !== null && RANK[role] >= RANK[needed]) return { allowed: true, via: 'role', role };

  const projects = (policy.projects ?? []).filter(
    (p) =>
      isMember(principal, p.members) &&
      (p.actions.includes(command.name) || PROJECT_LISTING.has(command.name)),
  );
  const owning = target ? projects.filter((p) => projectOwns(p, target)) : projects;
  if (owning.length > 0) return { allowed: true, via: 'project', projects: owning.map((p) => p.name) };

  const has = role ? `you are ${role === 'viewer' ? 'a' : 'an'} ${role}` : 'you have no role on this bot';
  if (target && projects.length > 0) {
    return {
      allowed: false,
      needed,
      reason: `\`${target.instance}\` does not belong to your project${projects.length > 1 ? 's' : ''} (${projects.map((p) => p.name).join(', ')}), and \`${command.name}\` on other instances needs the ${needed} role.`,
    };
  }
  return {
    allowed: false,
    needed,
    reason: `\`${command.name}\` needs the ${needed} role and ${has}. Ask a cluster admin to add you to ACCESS_${needed.toUpperCase()}S.`,
  };
}

/** Whether a project's instances live on a cluster (a project without `clusters`: on every one). */
export const projectOnCluster = (project: Project, cluster: string): boolean =>
  project.clusters === undefined || project.clusters.includes(cluster);

/**
 * The policy as it applies on one cluster: only the projects whose instances live there. Roles
 * hold on every cluster; a project's grant never reaches instances of another cluster that
 * happen to fit its patterns or carry its tag.
 */
export function policyOnCluster(policy: AccessPolicy, cluster: string): AccessPolicy {
  const projects = policy.projects;
  if (!projects || projects.every((p) => projectOnCluster(p, cluster))) return policy;
  return { ...policy, projects: projects.filter((p) => projectOnCluster(p, cluster)) };
}

/**
 * authorize() for a command on one cluster. A member of projects that live on other clusters
 * only is told where they are, rather than which role they lack. Without a cluster (the bot
 * serves one, and src/config/load-config.ts checks that every project is on it): authorize().
 */
export function authorizeOnCluster(
  command: { name: string; risk: Risk; role?: Role },
  principal: Principal,
  channelId: string,
  policy: AccessPolicy,
  cluster: string | undefined,
): Decision {
  if (cluster === undefined) return authorize(command, principal, channelId, policy);
  const decision = authorize(command, principal, channelId, policyOnCluster(policy, cluster));
  if (decision.allowed) return decision;
  const elsewhere = authorize(command, principal, channelId, policy);
  if (!elsewhere.allowed || elsewhere.via !== 'project') return decision;
  const where = [
    ...new Set(
      (policy.projects ?? [])
        .filter((p) => elsewhere.projects.includes(p.name))
        .flatMap((p) => p.clusters ?? []),
    ),
  ];
  const pick = where.map((c) => `\`--cluster ${c}\``).join(' or ');
  return {
    ...decision,
    reason: `Your project${elsewhere.projects.length > 1 ? 's' : ''} (${elsewhere.projects.join(', ')}) ${elsewhere.projects.length > 1 ? 'are' : 'is'} not on cluster \`${cluster}\`: add ${pick}.`,
  };
}

/** Whether `approver` may approve a request made by `requester` for `command`. */
export function mayApprove(
  command: string,
  approver: Principal,
  requester: string,
  policy: AccessPolicy,
): { allowed: true } | { allowed: false; reason: string } {
  const approvers = policy.approvers ?? policy.admins;
  if (!isMember(approver, approvers)) {
    return { allowed: false, reason: 'Only an approver (a cluster admin) can approve this request.' };
  }
  if (approver.userId === requester && !(policy.selfApprove ?? []).includes(command)) {
    return {
      allowed: false,
      reason: 'You asked for this yourself: another approver has to approve it (two-person rule).',
    };
  }
  return { allowed: true };
}
