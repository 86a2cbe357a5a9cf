import { paramHelp } from './define-command.js';
import type { HelpEntry } from './results.js';
import type { Command } from './types.js';

export interface Registry {
  readonly commands: readonly Command[];
  /** By name or alias, case-insensitive. */
  find(verb: string): Command | undefined;
  /** Every name and alias, for "did you mean". */
  readonly verbs: readonly string[];
  readonly help: readonly HelpEntry[];
}

/** Builds the lookup map; throws on a duplicate name or alias, so a clash fails at start. */
export function createRegistry(commands: readonly Command[]): Registry {
  const byVerb = new Map<string, Command>();
  for (const command of commands) {
    for (const verb of [command.name, ...command.aliases]) {
      const key = verb.toLowerCase();
      const clash = byVerb.get(key);
      if (clash)
        throw new Error(`command verb "${verb}" is defined twice (${clash.name} and ${command.name})`);
      byVerb.set(key, command);
    }
  }
  return {
    commands,
    find: (verb) => byVerb.get(verb.toLowerCase()),
    verbs: [...byVerb.keys()],
    help: commands.map((c) => ({
      name: c.name,
      aliases: [...c.aliases],
      summary: c.summary,
      usage: c.usage,
      risk: c.risk,
      details: c.details,
      params: paramHelp(c.params),
      examples: c.examples.map((e) => ({ line: e.line, what: e.what })),
    })),
  };
}
