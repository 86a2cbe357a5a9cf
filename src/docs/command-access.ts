import { authorize, PROJECT_LISTING, type Role } from '../commands/authorize.js';
import type { Command, Visibility } from '../commands/types.js';

/** Who may run a command and who sees its answer, as docs/commands.md states it. */
export interface CommandAccess {
  /** The lowest role that may run it on any instance. */
  role: Role;
  /** A read changes nothing; a write runs at once; a destructive change waits for an approver. */
  approval: 'none' | 'at-once' | 'two-person';
  /**
   * Project members: `always` (it shows only their own instances), `if-listed` (when the
   * project's `actions` name it, on the project's instances), or `never`.
   */
  projects: 'always' | 'if-listed' | 'never';
  visibility: Visibility;
}

const NOBODY = { userId: 'U0NOBODY', groups: [] };
const NO_ONE_HAS_A_ROLE = { admins: [], operators: [], viewers: [] };

/**
 * Derived from the rules themselves rather than restated: authorize() names the role it would
 * need when it refuses someone without one, and a project grant works only for the listing
 * commands and for commands on an instance (src/queue/project-scope.ts reads `args.instance`).
 */
export function commandAccess(command: Command): CommandAccess {
  const decision = authorize(command, NOBODY, 'C0DOCS', NO_ONE_HAS_A_ROLE);
  if (decision.allowed) throw new Error(`${command.name} is allowed for someone without a role`);
  const onInstance = (command.params.positionals ?? []).some((p) => p.name === 'instance');
  return {
    role: decision.needed,
    approval: command.risk === 'read' ? 'none' : command.risk === 'write' ? 'at-once' : 'two-person',
    projects: PROJECT_LISTING.has(command.name) ? 'always' : onInstance ? 'if-listed' : 'never',
    visibility: command.visibility,
  };
}
