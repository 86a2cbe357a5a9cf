import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import type {
  AccessLists,
  AppConfig,
  ClusterConfig,
  ClusterRouting,
  ConfigProblem,
  Role,
} from './app-config.js';
import { envSchema, fileSchema, parseHostPort, type Env, type FileConfig, type HostPort } from './schema.js';

export interface ConfigSources {
  env: Record<string, string | undefined>;
  /** Reads a file as UTF-8; throws like fs.readFileSync when it cannot. */
  readFile: (path: string) => string;
}

export type LoadConfigResult =
  { config: AppConfig; problems: ConfigProblem[] } | { config: null; problems: ConfigProblem[] };

function issuesToProblems(issues: z.core.$ZodIssue[], prefix = ''): ConfigProblem[] {
  return issues.map((issue) => ({
    key:
      prefix +
      issue.path
        .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
        .join(''),
    message: issue.message,
    critical: true,
  }));
}

/** Treat empty env values as unset, like most dotenv users expect. */
function nonEmpty(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1].trim() !== ''),
  );
}

function readFileConfig(path: string, sources: ConfigSources, problems: ConfigProblem[]): FileConfig {
  let text: string;
  try {
    text = sources.readFile(path);
  } catch (error) {
    problems.push({
      key: 'GANETI_CHATOPS_CONFIG',
      message: `cannot read ${path}: ${(error as Error).message}`,
      critical: true,
    });
    return {};
  }
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (error) {
    problems.push({
      key: 'GANETI_CHATOPS_CONFIG',
      message: `${path} is not valid YAML: ${(error as Error).message}`,
      critical: true,
    });
    return {};
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    problems.push(...issuesToProblems(parsed.error.issues, `${path}: `));
    return {};
  }
  return parsed.data;
}

/** A value given where a path belongs that is really key material (pasted into the variable). */
const looksLikeSecret = (value: string) => /PRIVATE KEY|\n|^(ssh-|ecdsa-)/.test(value) || value.length > 1024;

function readSecretFile(
  key: string,
  path: string,
  sources: ConfigSources,
  problems: ConfigProblem[],
): string | null {
  if (looksLikeSecret(path)) {
    // Never echo it: it is most likely the key itself.
    problems.push({
      key,
      message:
        'holds what looks like key material, not a file path: put it in a file (mode 600) and give its path',
      critical: true,
    });
    return null;
  }
  try {
    return sources.readFile(path);
  } catch (error) {
    problems.push({ key, message: `cannot read ${path}: ${(error as Error).message}`, critical: true });
    return null;
  }
}

/** One cluster's connection settings as given, before its files are read. */
interface ClusterInput {
  name: string;
  hosts: string[] | HostPort[] | undefined;
  user: string;
  keyFile: string | undefined;
  knownHostsFile: string | null;
  fenceCommand: string[] | null;
  concurrency: number | null;
  /** How the problems name where each setting came from. */
  keys: { hosts: string; keyFile: string; knownHosts: string };
}

function clusterConfig(
  input: ClusterInput,
  env: Env,
  sources: ConfigSources,
  problems: ConfigProblem[],
): ClusterConfig | null {
  let hosts: HostPort[] | undefined;
  if (input.hosts?.every((h) => typeof h === 'object')) hosts = input.hosts as HostPort[];
  else if (input.hosts) {
    hosts = [];
    (input.hosts as string[]).forEach((h, i) => {
      const hp = parseHostPort(h);
      if (hp) hosts?.push(hp);
      else
        problems.push({
          key: `${input.keys.hosts}[${i}]`,
          message: `"${h}" is not host or host:port`,
          critical: true,
        });
    });
  }
  const { keyFile, knownHostsFile } = input;
  const insecure = env.GANETI_SSH_INSECURE_SKIP_HOST_KEY_CHECK;
  if (!hosts || hosts.length === 0) {
    problems.push({
      key: input.keys.hosts,
      message:
        'not set: give the Ganeti master candidates, e.g. GANETI_SSH_HOSTS=node1.example.org,node2.example.org',
      critical: true,
    });
  }
  if (!keyFile) {
    problems.push({
      key: input.keys.keyFile,
      message: 'not set: give the path of the private key the bot logs in to the master with',
      critical: true,
    });
  }
  const privateKey = keyFile ? readSecretFile(input.keys.keyFile, keyFile, sources, problems) : null;
  let knownHosts: string | null = null;
  if (insecure && knownHostsFile) {
    problems.push({
      key: 'GANETI_SSH_INSECURE_SKIP_HOST_KEY_CHECK',
      message:
        'is on while a known_hosts file is given too: one would silently override the other. Remove one of them (keep the known_hosts file)',
      critical: true,
    });
  } else if (insecure) {
    problems.push({
      key: 'GANETI_SSH_INSECURE_SKIP_HOST_KEY_CHECK',
      message:
        'SSH host keys are NOT verified: anyone who can intercept the connection can run commands as the bot',
      critical: false,
    });
  } else if (!knownHostsFile) {
    problems.push({
      key: input.keys.knownHosts,
      message:
        "not set: give an OpenSSH known_hosts file with the master candidates' host keys (ssh-keyscan HOST >> FILE, then check the fingerprints)",
      critical: true,
    });
  } else {
    knownHosts = readSecretFile(input.keys.knownHosts, knownHostsFile, sources, problems);
  }
  if (!hosts || hosts.length === 0 || !keyFile || privateKey === null || (!insecure && knownHosts === null))
    return null;
  return {
    name: input.name,
    concurrency: input.concurrency,
    fenceCommand: input.fenceCommand,
    hosts,
    user: input.user,
    privateKey,
    keyFile,
    knownHosts,
    knownHostsFile: insecure ? null : knownHostsFile,
    insecureSkipHostKeyCheck: insecure,
    commandTimeoutMs: env.GANETI_COMMAND_TIMEOUT_SECONDS * 1000,
    queryHelper: env.GANETI_QUERY_HELPER === 'off' ? null : env.GANETI_QUERY_HELPER,
  };
}

/** The clusters as given: the file's list, or the one cluster of env (and the file's `cluster`). */
function clusterInputs(env: Env, file: FileConfig, problems: ConfigProblem[]): ClusterInput[] {
  const envFence = env.FENCE_COMMAND ? env.FENCE_COMMAND.split(/\s+/).filter(Boolean) : null;
  if (!file.clusters) {
    const fc = file.cluster ?? {};
    return [
      {
        name: fc.name ?? 'ganeti',
        hosts: fc.hosts ?? env.GANETI_SSH_HOSTS,
        user: fc.user ?? env.GANETI_SSH_USER,
        keyFile: fc.keyFile ?? env.GANETI_SSH_KEY_FILE,
        knownHostsFile: fc.knownHosts ?? env.GANETI_SSH_KNOWN_HOSTS ?? null,
        fenceCommand: fc.fenceCommand ?? envFence,
        concurrency: null,
        keys: {
          hosts: 'GANETI_SSH_HOSTS',
          keyFile: 'GANETI_SSH_KEY_FILE',
          knownHosts: 'GANETI_SSH_KNOWN_HOSTS',
        },
      },
    ];
  }
  if (file.cluster)
    problems.push({
      key: 'clusters',
      message: 'the file has both `cluster` and `clusters`: list every cluster under `clusters`',
      critical: true,
    });
  if (env.GANETI_SSH_HOSTS)
    problems.push({
      key: 'GANETI_SSH_HOSTS',
      message: "is set while the file lists `clusters`: give each cluster's hosts in its entry instead",
      critical: true,
    });
  const seen = new Set<string>();
  return file.clusters.map((c, i) => {
    if (seen.has(c.name))
      problems.push({ key: `clusters[${i}].name`, message: `"${c.name}" is listed twice`, critical: true });
    seen.add(c.name);
    return {
      name: c.name,
      hosts: c.hosts,
      user: c.user ?? env.GANETI_SSH_USER,
      keyFile: c.keyFile,
      knownHostsFile: c.knownHosts ?? null,
      fenceCommand: c.fenceCommand ?? envFence,
      concurrency: c.concurrency ?? null,
      keys: {
        hosts: `clusters[${i}].hosts`,
        keyFile: `clusters[${i}].keyFile`,
        knownHosts: `clusters[${i}].knownHosts`,
      },
    };
  });
}

/** Which cluster each channel's commands go to by default; a channel bound twice is a problem. */
function clusterRouting(file: FileConfig, inputs: ClusterInput[], problems: ConfigProblem[]): ClusterRouting {
  const channels: Record<string, string> = {};
  (file.clusters ?? []).forEach((c, i) => {
    for (const channel of c.channels ?? []) {
      const other = channels[channel];
      if (other !== undefined && other !== c.name)
        problems.push({
          key: `clusters[${i}].channels`,
          message: `${channel} is already bound to cluster ${other}: a channel has one default cluster`,
          critical: true,
        });
      else channels[channel] = c.name;
    }
  });
  return { names: inputs.map((c) => c.name), channels };
}

function accessLists(env: Env, file: FileConfig): AccessLists {
  const a = file.access;
  return {
    admins: a?.admins ?? env.ACCESS_ADMINS,
    operators: a?.operators ?? env.ACCESS_OPERATORS,
    viewers: a?.viewers ?? env.ACCESS_VIEWERS,
    ...(a?.channels ? { channels: a.channels } : {}),
    ...(a?.approvers ? { approvers: a.approvers } : {}),
    ...(a?.selfApprove ? { selfApprove: a.selfApprove } : {}),
    ...(file.projects ? { projects: file.projects } : {}),
  };
}

/**
 * When some values are malformed, still report the required ones that are missing, so one
 * run shows every problem.
 */
function missingRequired(
  raw: Record<string, string | undefined>,
  issues: z.core.$ZodIssue[],
): ConfigProblem[] {
  const reported = new Set(issues.map((i) => String(i.path[0])));
  const env = nonEmpty(raw);
  const required = ['SLACK_BOT_TOKEN', 'GANETI_SSH_HOSTS', 'GANETI_SSH_KEY_FILE'];
  if (!env.SLACK_APP_TOKEN) required.push('SLACK_SIGNING_SECRET');
  return required
    .filter((key) => !(key in env) && !reported.has(key))
    .map((key) => ({ key, message: 'not set', critical: true }));
}

/**
 * Validates the whole configuration once, at start, and reports every problem at once with
 * its key, so one run of the bot shows everything to fix. Returns `config: null` when any problem is critical.
 * `roleOverride` comes from the command line (`--roles bot`).
 */
export function loadConfig(sources: ConfigSources, roleOverride?: Role[]): LoadConfigResult {
  const problems: ConfigProblem[] = [];
  const parsed = envSchema.safeParse(nonEmpty(sources.env));
  if (!parsed.success) {
    return {
      config: null,
      problems: [
        ...issuesToProblems(parsed.error.issues),
        ...missingRequired(sources.env, parsed.error.issues),
      ],
    };
  }
  const env = parsed.data;
  const roles = new Set<Role>(roleOverride ?? env.GANETI_CHATOPS_ROLES);
  const file = env.GANETI_CHATOPS_CONFIG ? readFileConfig(env.GANETI_CHATOPS_CONFIG, sources, problems) : {};

  if (!env.SLACK_BOT_TOKEN) {
    problems.push({
      key: 'SLACK_BOT_TOKEN',
      message: 'not set: the bot token (xoxb-…) from your Slack app\'s "OAuth & Permissions" page',
      critical: true,
    });
  }
  const mode = env.SLACK_APP_TOKEN ? 'socket' : 'http';
  if (roles.has('bot') && mode === 'http' && !env.SLACK_SIGNING_SECRET) {
    problems.push({
      key: 'SLACK_SIGNING_SECRET',
      message:
        'not set: needed in HTTP mode to verify requests (app\'s "Basic Information" page); or set SLACK_APP_TOKEN (xapp-…) for Socket Mode',
      critical: true,
    });
  }
  const inputs = clusterInputs(env, file, problems);
  const routing = clusterRouting(file, inputs, problems);
  const clusters = roles.has('worker')
    ? inputs
        .map((c) => clusterConfig(c, env, sources, problems))
        .filter((c): c is ClusterConfig => c !== null)
    : [];
  const access = accessLists(env, file);
  (file.projects ?? []).forEach((p, i) => {
    const unknown = (p.clusters ?? []).filter((c) => !routing.names.includes(c));
    if (unknown.length > 0)
      problems.push({
        key: `projects[${i}].clusters`,
        message: `${unknown.join(', ')}: not a cluster of this bot (it serves ${routing.names.join(', ')})`,
        critical: true,
      });
  });
  if (access.admins.length === 0) {
    problems.push({
      key: 'ACCESS_ADMINS',
      message: 'empty: nobody can run destructive commands or approve them',
      critical: false,
    });
  }

  const unfenced = inputs.filter((c) => !c.fenceCommand).map((c) => c.name);
  if (env.AUTO_EVACUATE && unfenced.length > 0) {
    problems.push({
      key: 'AUTO_EVACUATE',
      message:
        inputs.length > 1
          ? `needs a fencing command for ${unfenced.join(', ')} (its fenceCommand, or FENCE_COMMAND): the bot never evacuates a node it could not fence`
          : 'needs a fencing command (FENCE_COMMAND, or fenceCommand in the YAML file): the bot never evacuates a node it could not fence',
      critical: true,
    });
  }
  const fenceCommand = inputs[0]?.fenceCommand ?? null;
  if (env.AUTO_EVACUATE && !env.ALERT_CHANNEL) {
    problems.push({
      key: 'AUTO_EVACUATE',
      message: 'needs ALERT_CHANNEL: the monitor is off without it',
      critical: true,
    });
  }
  if (problems.some((p) => p.critical) || !env.SLACK_BOT_TOKEN) return { config: null, problems };
  return {
    config: {
      roles,
      slack: {
        botToken: env.SLACK_BOT_TOKEN,
        signingSecret: env.SLACK_SIGNING_SECRET ?? null,
        appToken: env.SLACK_APP_TOKEN ?? null,
        apiUrl: env.SLACK_API_URL ?? null,
        port: env.PORT,
        mode,
      },
      redisUrl: env.REDIS_URL,
      queuePrefix: env.GANETI_CHATOPS_QUEUE_PREFIX,
      workerConcurrency: env.WORKER_CONCURRENCY,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_SECONDS * 1000,
      maxParallelJobs: env.GANETI_MAX_PARALLEL_JOBS,
      approvalTtlMs: env.APPROVAL_TIMEOUT_MINUTES * 60_000,
      stalledIntervalMs: env.WORKER_STALLED_INTERVAL_MS,
      lockDurationMs: env.WORKER_LOCK_DURATION_MS,
      failpoints: env.GANETI_CHATOPS_FAILPOINTS ?? null,
      clusters,
      routing,
      access,
      alertChannel: env.ALERT_CHANNEL ?? null,
      monitor: env.ALERT_CHANNEL
        ? {
            channel: env.ALERT_CHANNEL,
            pollMs: env.MONITOR_POLL_SECONDS * 1000,
            graceMs: env.MONITOR_GRACE_SECONDS * 1000,
            reminderMs: env.MONITOR_REMINDER_MINUTES * 60_000,
            summaryCron: env.HEALTH_SUMMARY_CRON,
            summaryTz: env.HEALTH_SUMMARY_TZ,
            autoEvacuate: env.AUTO_EVACUATE,
            fenceCommand,
          }
        : null,
      auditChannel: env.AUDIT_CHANNEL ?? null,
      auditMaxEntries: env.AUDIT_MAX_ENTRIES,
      groupsCacheMs: env.SLACK_GROUPS_CACHE_SECONDS * 1000,
      commandsPerMinute: env.SLACK_COMMANDS_PER_MINUTE,
      logLevel: env.LOG_LEVEL,
    },
    problems,
  };
}

/** One line per problem, for the terminal. */
export function formatProblems(problems: ConfigProblem[]): string {
  return problems.map((p) => `  ${p.critical ? 'ERROR' : 'warning'}  ${p.key}: ${p.message}`).join('\n');
}
