/**
 * `ganeti-chatops doctor`: checks a setup before the bot runs on it (the configuration, Redis,
 * Slack, and SSH to every master candidate) and prints one line per check with what to do about
 * each problem. It never prints a secret: the checks never put one in a line, and every line is
 * passed through a redactor of the configured secrets as well.
 */
import type { Role } from '../config/app-config.js';
import { checkConfig } from './checks-config.js';
import { checkRedis, redisSecrets } from './checks-redis.js';
import { checkSlack } from './checks-slack.js';
import { checkSsh } from './checks-ssh.js';
import { createReport, fail, skip, type CheckResult, type Report } from './report.js';

export interface DoctorOptions {
  /** The process environment merged with the .env file (done by the caller). */
  env: Record<string, string | undefined>;
  /** Reads a file as UTF-8, like `fs.readFileSync(path, 'utf8')` (the YAML file, the SSH key…). */
  readFile: (path: string) => string;
  /** Where the lines go (stdout); each call is one line with its newline. */
  write: (text: string) => void;
  /** The roles to check (`--roles`); default GANETI_CHATOPS_ROLES, else both. */
  roles?: Role[];
  /** Time limit of each network check. Default 10 s. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** Runs one area's checks; a check that throws is a FAIL line, never a crash of the doctor. */
async function area(report: Report, what: string, run: () => Promise<CheckResult[]>): Promise<void> {
  let results: CheckResult[];
  try {
    results = await run();
  } catch (error) {
    results = [fail(what, `the check itself failed: ${(error as Error).message}`, 'please report this')];
  }
  for (const result of results) report.add(result);
}

const blockedLine = (what: string, keys: readonly string[]) =>
  skip(what, `not checked: fix ${keys.join(', ')} first`);

/** @returns true when no check failed (WARN lines do not fail the run). */
export async function runDoctor(options: DoctorOptions): Promise<boolean> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const env = options.env;
  const secrets = [
    env.SLACK_BOT_TOKEN,
    env.SLACK_APP_TOKEN,
    env.SLACK_SIGNING_SECRET,
    ...redisSecrets(env.REDIS_URL),
  ].filter((s): s is string => typeof s === 'string' && s.trim() !== '');
  const report = createReport(options.write, secrets);

  const config = checkConfig({ env, readFile: options.readFile }, options.roles);
  for (const result of config.results) report.add(result);
  for (const cluster of config.clusters) {
    // Key material is never put in a line; blank it anyway, line by line as it would appear.
    for (const line of cluster.privateKey.split('\n'))
      if (line.trim().length >= 16) report.addSecret(line.trim());
  }

  if (config.redisUrl === null) report.add(blockedLine('redis', config.blocked.redis));
  else {
    const url = config.redisUrl;
    await area(report, 'redis', () => checkRedis(url, timeoutMs));
  }

  const slack = config.slack;
  if (slack === null) report.add(blockedLine('slack', config.blocked.slack));
  else await area(report, 'slack', () => checkSlack(slack, timeoutMs));

  if (config.roles.has('worker')) {
    if (config.clusters.length === 0) report.add(blockedLine('ssh', config.blocked.ssh));
    // With several clusters, each line says which one it is about.
    const named = config.clusters.length > 1;
    for (const cluster of config.clusters)
      await area(report, named ? `ssh [${cluster.name}]` : 'ssh', async () =>
        (await checkSsh(cluster, timeoutMs)).map((r) =>
          named ? { ...r, what: `${r.what} [${cluster.name}]` } : r,
        ),
      );
  }
  return report.finish();
}
