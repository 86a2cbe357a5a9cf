/**
 * The configuration check: loadConfig (src/config/load-config.ts) over the environment and the
 * YAML file, one line per problem, and the settings the network checks can still use. A network
 * check runs only when every setting it needs is valid, so a broken REDIS_URL stops the Redis
 * check and nothing else.
 */
import type { ClusterConfig, ConfigProblem, Role } from '../config/app-config.js';
import { loadConfig, type ConfigSources } from '../config/load-config.js';
import { envSchema } from '../config/schema.js';
import { fail, pass, warn, type CheckResult } from './report.js';

/** What the Slack checks use; null fields were not set or are broken. */
export interface SlackSettings {
  botToken: string;
  apiUrl: string | null;
  appToken: string | null;
  /** Broken settings the Slack checks must leave alone (ALERT_CHANNEL, SLACK_APP_TOKEN…). */
  broken: ReadonlySet<string>;
  alertChannel: string | null;
  auditChannel: string | null;
  /** Whether the bot role is checked (Socket Mode is the bot's). */
  botRole: boolean;
}

export interface ConfigCheck {
  results: CheckResult[];
  roles: ReadonlySet<Role>;
  /** Null: REDIS_URL is broken (named in `blocked.redis`). */
  redisUrl: string | null;
  slack: SlackSettings | null;
  /** Empty without the worker role or when a cluster setting is broken. */
  clusters: ClusterConfig[];
  /** Per network check, the broken settings that stop it (empty: it runs). */
  blocked: { redis: string[]; slack: string[]; ssh: string[] };
}

const SLACK_KEYS = new Set(['SLACK_BOT_TOKEN', 'SLACK_API_URL']);
/** Everything clusterConfig in load-config.ts reads, and the YAML file (dropped whole when invalid). */
const isClusterKey = (key: string) =>
  /^GANETI_(SSH_|COMMAND_TIMEOUT|QUERY_HELPER|CHATOPS_CONFIG)/.test(key) ||
  key.startsWith('cluster.') ||
  key.startsWith('clusters') ||
  key.includes(': ');
const isEnvKey = (key: string) => /^[A-Z][A-Z0-9_]*$/.test(key);

/** Drops empty values, as loadConfig does. */
function nonEmpty(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1].trim() !== ''),
  );
}

/** One env variable through its own schema; undefined when unset (and no default) or invalid. */
function field<K extends keyof typeof envSchema.shape>(env: Record<string, string>, key: K): unknown {
  const parsed = envSchema.shape[key].safeParse(env[key]);
  return parsed.success ? parsed.data : undefined;
}

function problemLine(problem: ConfigProblem, configFile: string | undefined): CheckResult {
  const what = `config ${problem.key}`;
  const hint = isEnvKey(problem.key)
    ? 'set it in the environment or the settings file (--settings, or .env; docs/configuration.md describes every variable)'
    : `fix it in ${configFile ?? 'the YAML file (GANETI_CHATOPS_CONFIG)'}`;
  return problem.critical ? fail(what, problem.message, hint) : warn(what, problem.message, hint);
}

/** The environment without the given keys (so their defaults apply, or they count as unset). */
function without(env: Record<string, string | undefined>, keys: ReadonlySet<string>) {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !keys.has(key)));
}

/**
 * Every problem at once. loadConfig stops at malformed environment values before it reads the
 * YAML file or checks how settings combine; asked again without the broken variables, it reports
 * the rest. Only problems of keys not reported yet are added (a dropped variable comes back as
 * "not set").
 */
function allProblems(sources: ConfigSources, roleOverride?: Role[]) {
  const first = loadConfig(sources, roleOverride);
  const problems = [...first.problems];
  const dropped = new Set<string>();
  for (let round = 0; round < 3; round += 1) {
    const before = dropped.size;
    for (const p of problems) if (p.critical && isEnvKey(p.key)) dropped.add(p.key);
    if (dropped.size === before) break;
    const seen = new Set(problems.map((p) => p.key));
    const again = loadConfig(
      { env: without(sources.env, dropped), readFile: sources.readFile },
      roleOverride,
    );
    problems.push(...again.problems.filter((p) => !seen.has(p.key)));
  }
  return { config: first.config, problems };
}

/**
 * loadConfig returns a cluster configuration only when the whole configuration is valid. When
 * only settings outside the cluster are broken, it is asked again without them (a placeholder
 * for a broken bot token, which is never used): the same code decides what the worker would use.
 */
function clusterDespiteOthers(sources: ConfigSources, broken: ReadonlySet<string>): ClusterConfig[] {
  const env = without(sources.env, broken);
  if (!nonEmpty(env).SLACK_BOT_TOKEN) env.SLACK_BOT_TOKEN = 'xoxb-placeholder';
  return loadConfig({ env, readFile: sources.readFile }, ['worker']).config?.clusters ?? [];
}

export function checkConfig(sources: ConfigSources, roleOverride?: Role[]): ConfigCheck {
  const { config, problems } = allProblems(sources, roleOverride);
  const env = nonEmpty(sources.env);
  const configFile = env.GANETI_CHATOPS_CONFIG;
  const critical = problems.filter((p) => p.critical);
  const roles: ReadonlySet<Role> =
    config?.roles ??
    new Set(roleOverride ?? (field(env, 'GANETI_CHATOPS_ROLES') as Role[] | undefined) ?? ['bot', 'worker']);
  const results = problems.map((p) => problemLine(p, configFile));
  if (problems.length === 0) {
    const file = configFile ? ` and ${configFile}` : '';
    results.push(pass('config', `the environment${file}: valid (roles ${[...roles].join(', ')})`));
  }
  const brokenKeys = new Set(critical.map((p) => p.key));

  const blocked = {
    redis: brokenKeys.has('REDIS_URL') ? ['REDIS_URL'] : [],
    slack: [...brokenKeys].filter((k) => SLACK_KEYS.has(k)),
    ssh: roles.has('worker') ? [...brokenKeys].filter(isClusterKey) : [],
  };
  const botToken = field(env, 'SLACK_BOT_TOKEN') as string | undefined;
  if (botToken === undefined && !blocked.slack.includes('SLACK_BOT_TOKEN'))
    blocked.slack.push('SLACK_BOT_TOKEN');
  // A cluster problem may come without its key (e.g. a YAML file that could not be read).
  const clusters = !roles.has('worker')
    ? []
    : (config?.clusters ?? (blocked.ssh.length === 0 ? clusterDespiteOthers(sources, brokenKeys) : []));
  if (roles.has('worker') && clusters.length === 0 && blocked.ssh.length === 0)
    blocked.ssh.push('the cluster settings');

  const str = (key: keyof typeof envSchema.shape) =>
    brokenKeys.has(key) ? null : ((field(env, key) as string | undefined) ?? null);
  return {
    results,
    roles,
    redisUrl: blocked.redis.length > 0 ? null : (field(env, 'REDIS_URL') as string),
    slack:
      blocked.slack.length > 0 || botToken === undefined
        ? null
        : {
            botToken,
            apiUrl: str('SLACK_API_URL'),
            appToken: str('SLACK_APP_TOKEN'),
            alertChannel: str('ALERT_CHANNEL'),
            auditChannel: str('AUDIT_CHANNEL'),
            broken: brokenKeys,
            botRole: roles.has('bot'),
          },
    clusters,
    blocked,
  };
}
