import { parseEnv } from 'node:util';

export type EnvFileResult =
  { env: Record<string, string | undefined>; file: string | null } | { error: string };

/**
 * The process environment with a settings file under it: `KEY=VALUE` lines parsed by Node's own
 * dotenv parser (`util.parseEnv`), never by a shell, so `$(…)`, backticks and `$VAR` stay literal
 * text. Values already in the environment win, as with `node --env-file` (an empty one counts as
 * unset, as in the loader). An explicit file (`--settings`) must exist; the default `.env` is
 * optional.
 */
export function withEnvFile(
  env: Record<string, string | undefined>,
  options: { explicit?: string; fallback: string },
  readFile: (path: string) => string,
): EnvFileResult {
  const path = options.explicit ?? options.fallback;
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    if (options.explicit === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT')
      return { env, file: null };
    return { error: `cannot read the settings file ${path}: ${(error as Error).message}` };
  }
  const fromFile = parseEnv(text);
  return { env: { ...fromFile, ...definedOnly(env) }, file: path };
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  );
}
