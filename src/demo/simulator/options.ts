/**
 * A small option parser for the argvs the bot builds (src/cluster/argv.ts, src/cluster/actions.ts):
 * flags, options with a value (`-o a,b`, `--separator=|`, `--reason TEXT`), `--` before operands.
 * Like optparse, an unknown option is a usage error.
 */
export interface ParsedOptions {
  flags: Set<string>;
  values: Map<string, string>;
  operands: string[];
}

export class UsageError extends Error {}

export function parseOptions(
  args: readonly string[],
  spec: { flags?: readonly string[]; values?: readonly string[] },
): ParsedOptions {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const operands: string[] = [];
  const known = new Set(spec.flags ?? []);
  const withValue = new Set(spec.values ?? []);
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      operands.push(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (withValue.has(name)) {
      const value = eq === -1 ? args[(i += 1)] : arg.slice(eq + 1);
      if (value === undefined) throw new UsageError(`${name} option requires an argument`);
      values.set(name, value);
    } else if (known.has(name) && eq === -1) {
      flags.add(name);
    } else {
      throw new UsageError(`no such option: ${name}`);
    }
  }
  return { flags, values, operands };
}
