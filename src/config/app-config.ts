import type { HostPort } from './schema.js';

export type Role = 'bot' | 'worker';

import type { AccessPolicy } from '../commands/authorize.js';

/** Access lists and rules (see commands/authorize.ts). */
export type AccessLists = AccessPolicy;

export interface ClusterConfig {
  /** Shown in messages and typed after `--cluster`; default "ganeti". */
  name: string;
  /**
   * Commands and operations one worker runs at once on it (its own queues); null: the defaults
   * (WORKER_CONCURRENCY commands, 8 operations).
   */
  concurrency: number | null;
  /** argv of its fencing command (`{node}` replaced), for AUTO_EVACUATE. */
  fenceCommand: string[] | null;
  /** Master candidates, tried to find the current master. */
  hosts: HostPort[];
  user: string;
  /** Private key text (read at start, never logged). */
  privateKey: string;
  keyFile: string;
  /** known_hosts text; null only when host key checking is switched off. */
  knownHosts: string | null;
  knownHostsFile: string | null;
  insecureSkipHostKeyCheck: boolean;
  commandTimeoutMs: number;
  /** The master's query helper (contrib/ganeti-chatops-query); null: every read runs a gnt-* command. */
  queryHelper: string | null;
}

/** The validated configuration of one process. */
export interface AppConfig {
  roles: Set<Role>;
  slack: {
    botToken: string;
    signingSecret: string | null;
    appToken: string | null;
    apiUrl: string | null;
    port: number;
    mode: 'socket' | 'http';
  };
  redisUrl: string;
  queuePrefix: string;
  workerConcurrency: number;
  /** Ganeti jobs one operation (evacuate) keeps running at once. */
  maxParallelJobs: number;
  /** How long a confirmation card waits. */
  approvalTtlMs: number;
  /** BullMQ stalled-job check and lock: a crashed execution resumes within about their sum. */
  stalledIntervalMs: number;
  lockDurationMs: number;
  /** On SIGTERM: how long running jobs may take to finish before they are handed back. */
  shutdownTimeoutMs: number;
  /** Crash points for the crash tests; empty in production (src/core/failpoints.ts). */
  failpoints: string | null;
  /** The clusters this process works on; empty when it has no worker role. The first is the default. */
  clusters: ClusterConfig[];
  /** Where commands go, in every role: the clusters' names (the first is the default) and channel bindings. */
  routing: ClusterRouting;
  access: AccessLists;
  alertChannel: string | null;
  /** The health monitor; null when ALERT_CHANNEL is not set (the monitor is off). */
  monitor: MonitorConfig | null;
  /** Where every audit record is also posted, if set. */
  auditChannel: string | null;
  /** Audit records kept in Redis (oldest dropped first). */
  auditMaxEntries: number;
  /** Slash commands one user may send a minute (0: no limit). Default 30. */
  commandsPerMinute: number;
  /** How long Slack user-group memberships are cached (approvals always look again). */
  groupsCacheMs: number;
  logLevel: string;
}

export interface ClusterRouting {
  names: string[];
  /** Channel id → the cluster its commands go to by default. */
  channels: Record<string, string>;
}

/** The health monitor's settings (ALERT_CHANNEL, MONITOR_*, HEALTH_SUMMARY_*, AUTO_EVACUATE). */
export interface MonitorConfig {
  channel: string;
  /** How often each cluster is read. Default 10 s. */
  pollMs: number;
  /** How long a node stays suspect before it is declared down. Default 30 s. */
  graceMs: number;
  /** Reminder in the thread while an incident is not acknowledged. Default 15 min. */
  reminderMs: number;
  /** When the node-health summary is posted (cron, in `summaryTz`). Default `0 8 * * *`, UTC. */
  summaryCron: string;
  summaryTz: string;
  /** Run the guarded evacuation without a click when every safety condition holds. Default off. */
  autoEvacuate: boolean;
  /** argv of the fencing command (`{node}` replaced); required by autoEvacuate. */
  fenceCommand: string[] | null;
}

export interface ConfigProblem {
  /** The env variable or YAML path, e.g. `SLACK_BOT_TOKEN` or `access.admins[2]`. */
  key: string;
  message: string;
  /** Critical problems stop the process; the others are logged as warnings. */
  critical: boolean;
}
