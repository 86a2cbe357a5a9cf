import type { GanetiClient } from '../cluster/ganeti-client.js';
import type { GanetiInstance } from '../cluster/types.js';
import {
  authorize,
  projectOwns,
  PROJECT_LISTING,
  type AccessPolicy,
  type Grant,
} from '../commands/authorize.js';
import { resolveName } from '../commands/names.js';
import type { Command } from '../commands/types.js';
import { UserError } from '../core/errors.js';
import type { ParsedCommandJob } from './payloads.js';
import type { CreateScope } from '../commands/new-instance.js';

/** The command that makes instances: a project member's new instance is checked by createScope. */
export const CREATE_COMMAND = 'create';

/**
 * For a project member's `create`: the project the new instance is for (the first of theirs
 * whose members may create), with the tag it gets; without a tag its name must fit the
 * project's patterns. Null for a role grant.
 */
export function createScope(grant: Grant, policy: AccessPolicy): CreateScope | null {
  if (grant.via !== 'project') return null;
  const granted = grant.projects;
  const project = (policy.projects ?? []).find(
    (p) => granted.includes(p.name) && p.actions.includes(CREATE_COMMAND),
  );
  if (!project) throw new UserError('forbidden', 'None of your projects may create instances.');
  return {
    project: project.name,
    tags: project.instances.tags.slice(0, 1),
    patterns: project.instances.patterns,
    nameFits: (name) =>
      projectOwns(
        { ...project, instances: { tags: [], patterns: project.instances.patterns } },
        { instance: name, tags: [] },
      ),
  };
}

/**
 * For a request let through by a project grant, in the worker where the instances' tags are
 * known: which instances the requester may see (listings show only those), and a refusal when
 * the command's instance is not theirs. Names are resolved among their own instances only, so a
 * typo never suggests another project's instance. Null: no restriction (a role grant).
 */
export async function projectScope(
  command: Command,
  data: ParsedCommandJob,
  cluster: GanetiClient,
  policy: AccessPolicy,
): Promise<((instance: GanetiInstance) => boolean) | null> {
  if (data.grant.via !== 'project') return null;
  const principal = { userId: data.userId, groups: data.groups };
  const visible = (i: GanetiInstance) =>
    authorize(command, principal, data.channelId, policy, { instance: i.name, tags: i.tags }).allowed;
  if (PROJECT_LISTING.has(command.name) || command.name === CREATE_COMMAND) return visible;
  const input = data.args.instance;
  if (typeof input !== 'string') {
    throw new UserError(
      'forbidden',
      `Your project access covers commands on your own instances; \`${command.name}\` is not one of them.`,
    );
  }
  const own = (await cluster.instances()).filter(visible);
  const name = resolveName(
    input.toLowerCase(),
    own.map((i) => i.name),
    'instance',
  );
  const instance = own.find((i) => i.name === name);
  const decision = authorize(command, principal, data.channelId, policy, {
    instance: name,
    tags: instance?.tags ?? [],
  });
  if (!decision.allowed) throw new UserError('forbidden', decision.reason);
  return visible;
}
