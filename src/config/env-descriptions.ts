import { FAILPOINTS } from '../core/failpoints.js';
import type { Role } from './app-config.js';
import type { Env } from './schema.js';

/** The sections of `.env.example`, in its order; docs/configuration.md uses the same. */
export type EnvSection = 'slack' | 'redis' | 'ssh' | 'access' | 'monitor' | 'audit' | 'process';

export const envSections: Readonly<Record<EnvSection, { title: string; intro?: string }>> = {
  slack: { title: 'Slack' },
  redis: { title: 'Redis (the BullMQ job queue)' },
  ssh: { title: 'Ganeti cluster over SSH' },
  access: {
    title: 'Who may do what',
    intro:
      'Each list is comma-separated Slack user ids (`U…`/`W…`), Slack user groups as `group:S…`, or `*` for ' +
      'everyone. Higher roles include lower ones. Projects, channel bindings and approvers are set in the ' +
      'YAML file, whose `access` lists replace these variables.',
  },
  monitor: { title: 'Health monitor and alerts' },
  audit: { title: 'Audit and limits' },
  process: { title: 'Process' },
};

/** What docs/configuration.md says about one variable, beside what the schema says itself. */
export interface EnvVarDoc {
  section: EnvSection;
  /** From `.env.example`'s comments. */
  description: string;
  /** The values it takes, where the schema's type alone does not say it well (lists, ids, paths). */
  values?: string;
  /**
   * When it must be set: for which roles of the process, and under what condition
   * (load-config.ts decides; test/docs/config-required.test.ts checks the two agree).
   */
  required?: { roles: readonly Role[]; when?: string };
  /** Read only by tests; never set in production. */
  testOnly?: true;
}

const memberList = 'comma-separated user ids, `group:S…` or `*`';
const channelId = 'a channel id such as `C012ABCDEF` (not a `#name`)';
const BOTH: readonly Role[] = ['bot', 'worker'];

/**
 * Every variable of `envSchema`, in `.env.example`'s order: the type makes a new variable
 * without a description a compile error (a typed table rather than zod's `.describe()`, which
 * is lost on a wrapper added after it and can say nothing of roles or sections).
 */
export const envDescriptions: Readonly<Record<keyof Env, EnvVarDoc>> = {
  SLACK_BOT_TOKEN: {
    section: 'slack',
    description:
      'Bot token (`xoxb-…`), from the Slack app’s "OAuth & Permissions" page. Scopes: `commands`, ' +
      '`chat:write` (`chat:write.public` to answer in channels the bot was not added to).',
    required: { roles: BOTH },
  },
  SLACK_SIGNING_SECRET: {
    section: 'slack',
    description:
      'HTTP mode: the signing secret from "Basic Information"; requests to `/slack/events` are verified with ' +
      'it (forged or stale requests get 401).',
    required: { roles: ['bot'], when: 'in HTTP mode, i.e. when `SLACK_APP_TOKEN` is not set' },
  },
  SLACK_APP_TOKEN: {
    section: 'slack',
    description:
      'Socket Mode: an app-level token (`xapp-…`, scope `connections:write`). When set, the bot connects out ' +
      'to Slack and needs no inbound URL: the usual choice behind a firewall.',
  },
  SLACK_API_URL: {
    section: 'slack',
    description: 'Slack Web API base URL (a proxy, or a fake in tests). Unset: `https://slack.com/api/`.',
  },
  PORT: {
    section: 'slack',
    description:
      'HTTP mode: port of the Bolt receiver; slash commands and interactivity both go to ' +
      '`http(s)://HOST:PORT/slack/events`.',
  },
  REDIS_URL: {
    section: 'redis',
    description: 'The Redis of the job queue. Bot and workers on several hosts share it.',
    values: 'a `redis://` or `rediss://` URL',
  },
  GANETI_CHATOPS_QUEUE_PREFIX: {
    section: 'redis',
    description: 'Key prefix, to run several deployments on one Redis.',
    values: 'letters, digits, `-` and `_`',
  },
  GANETI_SSH_HOSTS: {
    section: 'ssh',
    description:
      'The master candidates; the bot finds the current master among them (`gnt-cluster getmaster`) and ' +
      'follows a master failover.',
    values: 'comma-separated `host` or `host:port` (port 22 by default; IPv6 as `[::1]:22`)',
    required: { roles: ['worker'], when: 'unless `cluster.hosts` is in the YAML file' },
  },
  GANETI_SSH_USER: {
    section: 'ssh',
    description: 'Remote user. A forced-command key for a less privileged user works too.',
    values: 'a Unix user name',
  },
  GANETI_SSH_KEY_FILE: {
    section: 'ssh',
    description: 'Private key file (unencrypted OpenSSH or PEM) the worker logs in with.',
    values: 'a file path',
    required: { roles: ['worker'], when: 'unless `cluster.keyFile` is in the YAML file' },
  },
  GANETI_SSH_KNOWN_HOSTS: {
    section: 'ssh',
    description:
      'OpenSSH known_hosts file with the candidates’ host keys; host keys are always verified. Make it with ' +
      '`ssh-keyscan node1.example.org node2.example.org > known_hosts`, then check the fingerprints against ' +
      '`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` on each node.',
    values: 'a file path',
    required: {
      roles: ['worker'],
      when: 'unless `cluster.knownHosts` is in the YAML file or `GANETI_SSH_INSECURE_SKIP_HOST_KEY_CHECK` is on',
    },
  },
  GANETI_SSH_INSECURE_SKIP_HOST_KEY_CHECK: {
    section: 'ssh',
    description:
      '`true` skips host key verification (a loud warning is logged at start). Test clusters only; together ' +
      'with a known_hosts file it is a config error.',
  },
  GANETI_COMMAND_TIMEOUT_SECONDS: {
    section: 'ssh',
    description:
      'Longest a `gnt-*` command may run before it is abandoned (seconds; `verify` has its own 10 min limit).',
  },
  GANETI_QUERY_HELPER: {
    section: 'ssh',
    description:
      'The read-only query helper on the master (`contrib/ganeti-chatops-query`; the forced command runs it ' +
      'from beside itself). Reads go through it, about 0.35 s faster each; where it is missing they run the ' +
      '`gnt-*` commands. `off`: never start it.',
    values: 'a program name or path on the master, or `off`',
  },
  ACCESS_ADMINS: {
    section: 'access',
    description:
      'Admins: destructive commands and approvals. Empty: nobody can run destructive commands or approve ' +
      'them (a warning at start).',
    values: memberList,
  },
  ACCESS_OPERATORS: {
    section: 'access',
    description: 'Operators: commands that change the cluster.',
    values: memberList,
  },
  ACCESS_VIEWERS: { section: 'access', description: 'Viewers: read commands.', values: memberList },
  ALERT_CHANNEL: {
    section: 'monitor',
    description:
      'Channel for node-loss and master-loss alerts and node-health summaries. Unset: the monitor is off (the ' +
      'worker says so at start). Invite the bot to this channel.',
    values: channelId,
    required: { roles: BOTH, when: 'when `AUTO_EVACUATE` is on' },
  },
  MONITOR_POLL_SECONDS: {
    section: 'monitor',
    description:
      'How often the cluster’s state is read (seconds; one poll per cluster however many workers run).',
  },
  MONITOR_GRACE_SECONDS: {
    section: 'monitor',
    description: 'How long a node stays "suspect" (no alert) before it is declared down (seconds).',
  },
  MONITOR_REMINDER_MINUTES: {
    section: 'monitor',
    description: 'While nobody acknowledged an incident, a reminder in its thread this often (minutes).',
  },
  HEALTH_SUMMARY_CRON: {
    section: 'monitor',
    description: 'When the node-health summary is posted, in `HEALTH_SUMMARY_TZ`.',
    values: 'a cron pattern: minute hour day month weekday (6 fields: seconds first)',
  },
  HEALTH_SUMMARY_TZ: {
    section: 'monitor',
    description: 'The time zone of `HEALTH_SUMMARY_CRON`.',
    values: 'an IANA time zone such as `UTC` or `Europe/Berlin`',
  },
  AUTO_EVACUATE: {
    section: 'monitor',
    description:
      'Fail a dead node’s instances over without a click, only when every safety condition holds (down for ' +
      'the grace period, the master and a majority of candidates answer, capacity enough, no other node ' +
      'lost, and `FENCE_COMMAND` succeeded). Off by default; when off, never.',
  },
  FENCE_COMMAND: {
    section: 'monitor',
    description:
      'Fencing command run on the worker’s host (no shell; `{node}` is replaced by the node’s name), e.g. ' +
      '`/usr/local/sbin/ipmi-power-off {node}`. Exit 0 means the node is off.',
    values: 'a command line, split at spaces',
    required: {
      roles: BOTH,
      when: 'when `AUTO_EVACUATE` is on, unless `cluster.fenceCommand` is in the YAML file',
    },
  },
  AUDIT_CHANNEL: {
    section: 'audit',
    description:
      'Every request, refusal, approval, denial, expiry, submission and result is kept in a Redis stream; ' +
      'each record is also posted in this channel, if set.',
    values: channelId,
  },
  AUDIT_MAX_ENTRIES: { section: 'audit', description: 'Audit records kept (oldest dropped first).' },
  SLACK_GROUPS_CACHE_SECONDS: {
    section: 'audit',
    description:
      'How long Slack user-group memberships are cached (seconds). Approvals always look them up afresh.',
  },
  SLACK_COMMANDS_PER_MINUTE: {
    section: 'audit',
    description: 'Slash commands one user may send a minute, across every bot process (0: no limit).',
  },
  GANETI_CHATOPS_CONFIG: {
    section: 'process',
    description: 'Optional YAML file for what env cannot express well (below).',
    values: 'a file path',
  },
  GANETI_CHATOPS_ROLES: {
    section: 'process',
    description:
      'Roles of this process: `bot` (Slack in, queue out), `worker` (queue in, cluster, Slack out), or both. ' +
      '`--roles bot` on the command line overrides.',
    values: 'comma-separated `bot`, `worker`',
  },
  WORKER_CONCURRENCY: {
    section: 'process',
    description:
      'Commands (reads, and the checks before an operation’s card) a worker handles at once. They mostly ' +
      'wait on the cluster, and identical reads in flight share one call, so a burst of requests costs a few ' +
      'cluster reads; operations run in their own queue either way.',
  },
  GANETI_MAX_PARALLEL_JOBS: {
    section: 'process',
    description:
      'Ganeti jobs one operation (an evacuation) keeps running at once; Ganeti’s own locks decide the rest.',
  },
  APPROVAL_TIMEOUT_MINUTES: {
    section: 'process',
    description:
      'How long a confirmation card for a destructive command waits before it expires (minutes). A late ' +
      'click does nothing.',
  },
  WORKER_STALLED_INTERVAL_MS: {
    section: 'process',
    description:
      'BullMQ stalled-job check (ms). Give every worker the same value: an operation whose worker died ' +
      'resumes within about this plus `WORKER_LOCK_DURATION_MS`, without resubmitting.',
  },
  WORKER_LOCK_DURATION_MS: {
    section: 'process',
    description:
      'BullMQ job lock (ms). Give every worker the same value: an operation whose worker died resumes within ' +
      'about this plus `WORKER_STALLED_INTERVAL_MS`, without resubmitting.',
  },
  SHUTDOWN_TIMEOUT_SECONDS: {
    section: 'process',
    description:
      'On SIGTERM (`systemctl stop`, an upgrade): stop taking jobs, let running ones finish for this long ' +
      '(seconds), then hand the rest back to Redis for another worker (an operation resumes its Ganeti job; ' +
      'nothing runs twice). Keep the service manager’s stop timeout above it.',
  },
  GANETI_CHATOPS_FAILPOINTS: {
    section: 'process',
    description:
      'Crash tests only: the worker kills itself (SIGKILL) at these points of an operation, e.g. ' +
      '`after-submit@2` (src/core/failpoints.ts, docs/reliability.md). Never set in production.',
    values: `comma-separated ${FAILPOINTS.map((f) => `\`${f}\``).join(', ')}, each optionally \`@N\` (the Nth time)`,
    testOnly: true,
  },
  LOG_LEVEL: { section: 'process', description: 'Logs are JSON lines on stdout.' },
};
