import type { HostPort } from './schema.js';

export type Role = 'bot' | 'worker';

import type { AccessPolicy } from '../commands/authorize.js';

/** Access lists and rules (see commands/authorize.ts). */
export type AccessLists = AccessPolicy;

export interface ClusterConfig {
  /** Shown in messages; default "ganeti". */
  name: string;
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
  /** Null when the process has no worker role. */
  cluster: ClusterConfig | null;
  access: AccessLists;
  alertChannel: string | null;
  /** Where every audit record is also posted, if set. */
  auditChannel: string | null;
  /** Audit records kept in Redis (oldest dropped first). */
  auditMaxEntries: number;
  /** How long Slack user-group memberships are cached (approvals always look again). */
  groupsCacheMs: number;
  logLevel: string;
}

export interface ConfigProblem {
  /** The env variable or YAML path, e.g. `SLACK_BOT_TOKEN` or `access.admins[2]`. */
  key: string;
  message: string;
  /** Critical problems stop the process; the others are logged as warnings. */
  critical: boolean;
}
