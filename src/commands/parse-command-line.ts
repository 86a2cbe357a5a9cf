import { CLUSTER_NAME } from '../core/cluster-name.js';
import { UserError } from '../core/errors.js';
import type { Registry } from './registry.js';
import { didYouMean } from './suggest.js';
import { tokenize } from './tokenize.js';
import type { Command, ParamSpec } from './types.js';

export interface ParsedCommand {
  command: Command;
  /** Raw arguments as typed (checked by the command's schema; kept raw for the queue). */
  args: Record<string, unknown>;
  /** `--cluster NAME`, which every command takes: the cluster it is for; null when not given. */
  cluster: string | null;
}

/**
 * Takes `--cluster NAME` (or `--cluster=NAME`) out of the words after the verb, wherever it is
 * (not after `--`): it is the bot's, not the command's.
 */
function takeClusterFlag(tokens: string[]): { cluster: string | null; rest: string[] } {
  const rest: string[] = [];
  let cluster: string | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    if (token === '--') {
      rest.push(...tokens.slice(i));
      break;
    }
    const inline = token.startsWith('--cluster=') ? token.slice('--cluster='.length) : null;
    if (token !== '--cluster' && inline === null) {
      rest.push(token);
      continue;
    }
    const value = inline ?? tokens[++i];
    if (cluster !== null)
      throw new UserError('repeated_flag', '`--cluster` is given twice.', { hint: 'Name one cluster.' });
    if (value === undefined || !CLUSTER_NAME.test(value))
      throw new UserError(
        value === undefined ? 'missing_value' : 'bad_arguments',
        value === undefined
          ? '`--cluster` needs the name of a cluster.'
          : `\`${value.slice(0, 40)}\` is not a cluster name (lower-case letters, digits and "-").`,
        { hint: 'e.g. `/ganeti nodes --cluster web2`; `/ganeti help` lists the clusters.' },
      );
    cluster = value;
  }
  return { cluster, rest };
}

function usageHint(command: Command): string {
  return `Usage: \`/ganeti ${command.usage}\``;
}

function flagByToken(spec: ParamSpec, token: string): [string, { type: 'string' | 'boolean' }] | undefined {
  const flags = Object.entries(spec.flags ?? {});
  if (token.startsWith('--')) return flags.find(([name]) => name === token.slice(2));
  return flags.find(([, f]) => f.short !== undefined && `-${f.short}` === token);
}

/** Maps the tokens after the verb onto the command's positionals and flags. */
function bindArguments(command: Command, tokens: string[]): Record<string, unknown> {
  const spec = command.params;
  const args: Record<string, unknown> = {};
  const positionals: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    if (token === '--') {
      positionals.push(...tokens.slice(i + 1));
      break;
    }
    if (token.startsWith('-') && token.length > 1 && !/^-\d/.test(token)) {
      const [flagToken, inlineValue] = token.includes('=')
        ? [token.slice(0, token.indexOf('=')), token.slice(token.indexOf('=') + 1)]
        : [token, undefined];
      const found = flagByToken(spec, flagToken);
      if (!found) {
        const known = Object.keys(spec.flags ?? {}).map((f) => `--${f}`);
        const options =
          known.length > 0
            ? ` It takes ${known.map((k) => `\`${k}\``).join(', ')}.`
            : ' It takes no options.';
        throw new UserError(
          'unknown_flag',
          `\`${command.name}\` has no option \`${flagToken.slice(0, 40)}\`.${didYouMean(flagToken, known)}${options}`,
          {
            hint: usageHint(command),
          },
        );
      }
      const [name, flag] = found;
      if (name in args)
        throw new UserError('repeated_flag', `\`--${name}\` is given twice.`, { hint: usageHint(command) });
      if (flag.type === 'boolean') {
        if (inlineValue !== undefined)
          throw new UserError('bad_flag', `\`--${name}\` takes no value.`, { hint: usageHint(command) });
        args[name] = true;
      } else {
        const value = inlineValue ?? tokens[++i];
        if (value === undefined || value === '') {
          throw new UserError('missing_value', `\`--${name}\` needs a value.`, { hint: usageHint(command) });
        }
        args[name] = value;
      }
      continue;
    }
    positionals.push(token);
  }
  const slots = spec.positionals ?? [];
  if (positionals.length > slots.length) {
    const extra = positionals
      .slice(slots.length)
      .map((p) => `\`${p.slice(0, 40)}\``)
      .join(' ');
    throw new UserError('too_many_arguments', `\`${command.name}\` does not take ${extra}.`, {
      hint: usageHint(command),
    });
  }
  slots.forEach((slot, index) => {
    const value = positionals[index];
    if (value !== undefined) args[slot.name] = value;
    else if (!slot.optional) {
      throw new UserError(
        'missing_argument',
        `\`${command.name}\` needs ${/^[aeiou]/.test(slot.name) ? 'an' : 'a'} ${slot.name}.`,
        {
          hint: usageHint(command),
        },
      );
    }
  });
  return args;
}

/**
 * Parses the text of `/ganeti ...` into a command and its validated arguments. Bad input
 * throws a UserError that says exactly what is wrong; nothing is queued for it.
 * An empty text means `help`.
 */
export function parseCommandLine(text: string, registry: Registry): ParsedCommand {
  const tokens = tokenize(text);
  const verb = tokens[0] ?? 'help';
  const command = registry.find(verb);
  if (!command) {
    throw new UserError(
      'unknown_command',
      `\`${verb.slice(0, 40)}\` is not a command.${didYouMean(verb, registry.verbs)}`,
      {
        hint: 'Type `/ganeti help` to see every command.',
      },
    );
  }
  const { cluster, rest } = takeClusterFlag(tokens.slice(1));
  const args = bindArguments(command, rest);
  command.validate(args);
  return { command, args, cluster };
}
