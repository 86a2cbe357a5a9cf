import type { HelpEntry } from '../commands/results.js';
import { createRegistry } from '../commands/registry.js';
import type { Command, CommandGroup } from '../commands/types.js';
import { commandAccess, type CommandAccess } from './command-access.js';
import { bullets, code, document, heading, table } from './markdown.js';

const GENERATED =
  '<!-- Generated from the command definitions (src/commands/defs/) by scripts/gen-docs.ts. ' +
  'Do not edit: change the definitions and run `npm run docs`. -->';

/** The sections of the page, in order; every command names its own (`group`). */
const GROUPS: Record<CommandGroup, { title: string; intro: string }> = {
  read: { title: 'Read', intro: 'They answer from the cluster as it is and change nothing.' },
  change: {
    title: 'Changes that run at once',
    intro:
      'The pre-checks run first, and a refusal says why; then the change runs as a Ganeti job, with its ' +
      'progress and outcome in the channel.',
  },
  approval: {
    title: 'Changes with approval',
    intro:
      'The pre-checks run first; then a card in the channel shows the plan, the checks and the warnings, ' +
      'with Approve, Deny and Cancel buttons. Nothing runs until an approver other than the requester ' +
      'approves; the card then shows the progress, and the outcome is posted to the channel.',
  },
  'node-role': {
    title: 'Node roles',
    intro: 'Set or clear a node’s drained or offline flag (`gnt-node modify`), with approval.',
  },
  'node-loss': {
    title: 'When a node or the master is lost',
    intro:
      'What the alerts of the [health monitor](monitor.md) offer as buttons; they can be typed too. ' +
      'With approval: the approver confirms that the lost machine is off.',
  },
};

const ROLE_TEXT = { viewer: 'viewer or higher', operator: 'operator or higher', admin: 'admin' } as const;

const PROJECT_TEXT = {
  always: 'project members too (listings show them only their own instances)',
  'if-listed': 'project members when their project’s `actions` list it, on the project’s instances',
  never: 'not project members',
} as const;

interface Entry {
  command: Command;
  help: HelpEntry;
  access: CommandAccess;
}

function changes({ access }: Entry): string {
  if (access.approval === 'none') return 'none';
  if (access.approval === 'at-once') return 'run at once, without approval';
  return 'run after an approver other than the requester approves (two-person rule)';
}

function answer({ access }: Entry): string {
  if (access.visibility === 'requester') return 'only to the requester';
  if (access.approval === 'none') return 'in the channel';
  if (access.approval === 'at-once') return 'progress and outcome in the channel';
  return 'the approval card in the channel, then its progress and the outcome';
}

const sentence = (text: string) => (/[.?!]$/.test(text) ? text : `${text}.`);

function commandSection(entry: Entry): string[] {
  const { help, access } = entry;
  const facts = [
    `**Usage**: ${code(`/ganeti ${help.usage}`)}`,
    ...(help.aliases.length > 0 ? [`**Aliases**: ${help.aliases.map(code).join(', ')}`] : []),
    `**Who**: ${ROLE_TEXT[access.role]}; ${PROJECT_TEXT[access.projects]}`,
    `**Changes**: ${changes(entry)}`,
    `**Answer**: ${answer(entry)}`,
  ];
  const params = help.params.map((p) => `${p.forms.map(code).join(', ')} — ${p.description}`);
  return [
    heading(3, help.name),
    sentence(help.summary),
    help.details,
    bullets(facts),
    ...(params.length > 0 ? ['**Arguments and options**', bullets(params)] : []),
    '**Examples**',
    bullets(help.examples.map((e) => `${code(`/ganeti ${e.line}`)} — ${e.what}`)),
  ];
}

function intro(entries: readonly Entry[]): string[] {
  const always = entries.filter((e) => e.access.projects === 'always').map((e) => code(e.help.name));
  return [
    'Type them after `/ganeti` in Slack, e.g. `/ganeti status`. `/ganeti help` lists them, and ' +
      '`/ganeti help COMMAND` explains one with the same text as this page.',
    bullets([
      '**Names**: instance and node names may be short (`web1` for `web1.example.org`) when only one ' +
        'name has it; a typo gets a "did you mean".',
      '**Options**: `--name VALUE` or `--name=VALUE`, or the short form (`-n VALUE`); `--` ends the options.',
      '**Clusters**: a bot serving several clusters (`clusters` in the YAML file) runs a command on the ' +
        'channel’s cluster (`clusters[].channels`), else on the first; `--cluster NAME`, which every command ' +
        'takes, picks another. Names are resolved within that cluster, and answers and cards name it.',
      '**App Home**: the bot’s Home tab shows each person the clusters’ nodes and open incident with ' +
        'the alert’s buttons, the requests waiting for their approval with Approve and Deny, and their ' +
        'recent requests; a project member, their project’s instances.',
      '**Forms**: `/ganeti create` alone opens a form in Slack with what the cluster offers; a removal’s ' +
        '**Approve…** opens one in which the approver types the instance’s name.',
      '**Roles**: viewers run the reads, operators also the changes that run at once, admins everything. ' +
        'Who has which role: `ACCESS_VIEWERS` (everyone by default), `ACCESS_OPERATORS`, `ACCESS_ADMINS`, ' +
        'or `access` in the YAML file ([configuration](configuration.md)); `access.channels` may allow a ' +
        'command only in some channels.',
      '**Approval**: a destructive command waits for an approver (the admins, or `access.approvers`) ' +
        'other than the person who asked: the two-person rule, which `access.selfApprove` lifts per ' +
        'command. A card expires after `APPROVAL_TIMEOUT_MINUTES`.',
      '**Projects**: members of a project (`projects` in the YAML file) may run the commands its ' +
        `\`actions\` list on the project’s own instances, and always ${always.join(' and ')}, which ` +
        'show them only their own instances.',
      '**Answers**: in the channel unless a command says otherwise; errors go only to the person who ' +
        'typed the command.',
    ]),
  ];
}

function contents(entries: readonly Entry[]): string {
  const rows = entries.map(({ help, access }) => [
    `[${code(help.name)}](#${help.name})`,
    help.summary,
    ROLE_TEXT[access.role] + (access.approval === 'two-person' ? ', with approval' : ''),
  ]);
  return table(['Command', 'What it does', 'Who may run it'], rows);
}

/**
 * docs/commands.md: every command of `commands` (in practice `allCommands`), by group, from the
 * same help entries `/ganeti help COMMAND` shows. Pure: scripts/gen-docs.ts writes the file.
 */
export function renderCommandsDoc(commands: readonly Command[]): string {
  const registry = createRegistry(commands);
  const helpOf = new Map(registry.help.map((h) => [h.name, h]));
  const groups = Object.keys(GROUPS) as CommandGroup[];
  const entries = groups
    .flatMap((group) => commands.filter((c) => c.group === group))
    .map((command): Entry => {
      const help = helpOf.get(command.name);
      if (!help) throw new Error(`no help entry for ${command.name}`);
      return { command, help, access: commandAccess(command) };
    });
  const sections = groups.flatMap((group) => {
    const members = entries.filter((e) => e.command.group === group);
    if (members.length === 0) return [];
    return [heading(2, GROUPS[group].title), GROUPS[group].intro, ...members.flatMap(commandSection)];
  });
  return document([GENERATED, heading(1, 'Commands'), ...intro(entries), contents(entries), ...sections]);
}
