import { z } from 'zod';
import { CLUSTER_NAME } from '../core/cluster-name.js';
import { parseFailpoints } from '../core/failpoints.js';

/** A comma-separated env list; empty entries are dropped. */
const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0),
);

const slackUserId = /^[UW][A-Z0-9]{2,}$/;
const slackGroupId = /^group:S[A-Z0-9]{2,}$/;
/** A user id, `group:S…` (a Slack user group) or `*`. */
export const member = z.string().refine((id) => id === '*' || slackUserId.test(id) || slackGroupId.test(id), {
  message: 'must be Slack user ids like U012ABCDEF, user groups like group:S012ABCDEF, or * for everyone',
});
const userList = csv.pipe(z.array(member));
const channelId = z
  .string()
  .regex(/^[CGD][A-Z0-9]{2,}$/, 'must be a channel id like C012ABCDEF (not a #name)');

/** `host` or `host:port` (IPv6 as `[::1]:22`). */
export interface HostPort {
  host: string;
  port: number;
}

export function parseHostPort(text: string): HostPort | null {
  const bracket = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text);
  const plain = /^([A-Za-z0-9._-]+)(?::(\d{1,5}))?$/.exec(text);
  const m = bracket ?? plain;
  if (!m?.[1]) return null;
  const port = m[2] === undefined ? 22 : Number(m[2]);
  if (port < 1 || port > 65535) return null;
  return { host: m[1], port };
}

const hostList = csv.pipe(
  z
    .array(
      z.string().transform((h, ctx) => {
        const hp = parseHostPort(h);
        if (!hp) {
          ctx.addIssue({ code: 'custom', message: `"${h}" is not host or host:port` });
          return z.NEVER;
        }
        return hp;
      }),
    )
    .min(1, 'needs at least one master candidate, e.g. node1.example.org,node2.example.org'),
);

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => ['true', '1', 'yes'].includes(v));

/**
 * The public environment interface. Keep names stable: they are documented in `.env.example` and
 * src/config/env-descriptions.ts, from which docs/configuration.md is generated (`npm run docs`).
 * Every variable is optional at this level; which ones are required depends on the roles the
 * process runs (checked in load-config.ts), so every problem can be reported at once.
 */
export const envSchema = z.object({
  SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'must be a bot token starting with xoxb-').optional(),
  SLACK_SIGNING_SECRET: z.string().min(8, 'looks too short for a Slack signing secret').optional(),
  SLACK_APP_TOKEN: z
    .string()
    .startsWith('xapp-', 'must be an app-level token starting with xapp-')
    .optional(),
  SLACK_API_URL: z.url({ message: 'must be a URL such as https://slack.com/api/' }).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .default('redis://127.0.0.1:6379'),
  GANETI_SSH_HOSTS: hostList.optional(),
  GANETI_SSH_USER: z
    .string()
    .regex(/^[a-z_][a-z0-9_-]*$/, 'must be a Unix user name')
    .default('root'),
  GANETI_SSH_KEY_FILE: z.string().min(1).optional(),
  GANETI_SSH_KNOWN_HOSTS: z.string().min(1).optional(),
  GANETI_SSH_INSECURE_SKIP_HOST_KEY_CHECK: bool.default(false),
  GANETI_COMMAND_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(3600).default(120),
  GANETI_QUERY_HELPER: z
    .string()
    .regex(/^[A-Za-z0-9_./-]+$/, 'a program name or path on the master, or off')
    .default('ganeti-chatops-query'),
  ACCESS_ADMINS: userList.default([]),
  ACCESS_OPERATORS: userList.default([]),
  ACCESS_VIEWERS: userList.default(['*']),
  ALERT_CHANNEL: channelId.optional(),
  AUDIT_CHANNEL: channelId.optional(),
  AUDIT_MAX_ENTRIES: z.coerce.number().int().min(100).max(10_000_000).default(100_000),
  SLACK_GROUPS_CACHE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  SLACK_COMMANDS_PER_MINUTE: z.coerce.number().int().min(0).max(10_000).default(30),
  GANETI_CHATOPS_CONFIG: z.string().min(1).optional(),
  GANETI_CHATOPS_ROLES: csv.pipe(z.array(z.enum(['bot', 'worker'])).min(1)).default(['bot', 'worker']),
  GANETI_CHATOPS_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only')
    .default('ganeti-chatops'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(200),
  GANETI_MAX_PARALLEL_JOBS: z.coerce.number().int().min(1).max(20).default(3),
  APPROVAL_TIMEOUT_MINUTES: z.coerce
    .number()
    .min(0.01)
    .max(24 * 60)
    .default(15),
  WORKER_STALLED_INTERVAL_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  WORKER_LOCK_DURATION_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().min(1).max(3600).default(30),
  /** Crash tests only (src/core/failpoints.ts): the worker kills itself at these points. */
  GANETI_CHATOPS_FAILPOINTS: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      try {
        if (value) parseFailpoints(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  MONITOR_POLL_SECONDS: z.coerce.number().min(1).max(3600).default(10),
  MONITOR_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  MONITOR_REMINDER_MINUTES: z.coerce
    .number()
    .min(1)
    .max(24 * 60)
    .default(15),
  HEALTH_SUMMARY_CRON: z
    .string()
    .regex(/^(\S+\s+){4,5}\S+$/, 'must be a cron pattern such as "0 8 * * *" (5 fields, or 6 with seconds)')
    .default('0 8 * * *'),
  HEALTH_SUMMARY_TZ: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as UTC or Europe/Berlin')
    .default('UTC'),
  AUTO_EVACUATE: bool.default(false),
  /** The fencing command for AUTO_EVACUATE, run on the worker's host; `{node}` is the node's name. */
  FENCE_COMMAND: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof envSchema>;

/** The optional YAML file (GANETI_CHATOPS_CONFIG): what env cannot express well. */
/** A cluster's name: shown in messages, typed after `--cluster`, part of its queues' names. */
export const clusterName = z
  .string()
  .regex(CLUSTER_NAME, 'must be lower-case letters, digits and "-", at most 40, e.g. prod or web-2');

const fenceCommand = z.array(z.string().min(1)).min(1);

export const fileSchema = z
  .object({
    cluster: z
      .object({
        /** Display name of the cluster in messages. Default: ganeti. */
        name: clusterName.optional(),
        hosts: z.array(z.string()).min(1).optional(),
        user: z.string().optional(),
        keyFile: z.string().optional(),
        knownHosts: z.string().optional(),
        /** argv of the fencing command; `{node}` is replaced by the node's name. */
        fenceCommand: fenceCommand.optional(),
      })
      .strict()
      .optional(),
    /** Several clusters served by one bot; the first is the default where a channel has none. */
    clusters: z
      .array(
        z
          .object({
            name: clusterName,
            hosts: z.array(z.string()).min(1),
            user: z.string().optional(),
            keyFile: z.string(),
            knownHosts: z.string().optional(),
            fenceCommand: fenceCommand.optional(),
            /** Channels whose commands go to this cluster unless `--cluster` says otherwise. */
            channels: z.array(channelId).optional(),
            /** Commands and operations a worker runs at once on this cluster (default WORKER_CONCURRENCY). */
            concurrency: z.number().int().min(1).max(64).optional(),
          })
          .strict(),
      )
      .min(1)
      .optional(),
    access: z
      .object({
        admins: z.array(member).optional(),
        operators: z.array(member).optional(),
        viewers: z.array(member).optional(),
        /** Command → the only channels where it may be used. */
        channels: z.record(z.string(), z.array(channelId)).optional(),
        /** Who may approve destructive requests (default: the admins). */
        approvers: z.array(member).optional(),
        /** Commands whose requester may approve their own request. */
        selfApprove: z.array(z.string()).optional(),
      })
      .strict()
      .optional(),
    projects: z
      .array(
        z
          .object({
            name: z.string().min(1),
            members: z.array(member).min(1),
            instances: z
              .object({ tags: z.array(z.string()).default([]), patterns: z.array(z.string()).default([]) })
              .strict()
              .refine((i) => i.tags.length + i.patterns.length > 0, 'needs tags or patterns'),
            actions: z.array(z.string()).min(1),
            /** The clusters its instances live on; absent: every cluster. */
            clusters: z.array(clusterName).min(1).optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

export type FileConfig = z.infer<typeof fileSchema>;
