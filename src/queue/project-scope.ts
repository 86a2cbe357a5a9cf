import type { GanetiClient } from '../cluster/ganeti-client.js';
import type { GanetiInstance } from '../cluster/types.js';
import { authorize, PROJECT_LISTING, type AccessPolicy } from '../commands/authorize.js';
import { resolveName } from '../commands/names.js';
import type { Command } from '../commands/types.js';
import { UserError } from '../core/errors.js';
import type { ParsedCommandJob } from './payloads.js';

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
  if (PROJECT_LISTING.has(command.name)) return visible;
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
