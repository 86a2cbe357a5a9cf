import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';

export const AUDIT_EVENTS = [
  'requested',
  'refused',
  'approved',
  'denied',
  'expired',
  'cancelled',
  'submitted',
  'result',
] as const;
export type AuditEventName = (typeof AUDIT_EVENTS)[number];

/** One audit record: who, what, where, and for changes the Ganeti job and its outcome. Never secrets. */
export interface AuditRecord {
  at: number;
  event: AuditEventName;
  requestId: string | null;
  /** Slack user who acted (asked, approved, clicked…). */
  user: string;
  channel: string | null;
  command: string | null;
  /** The instance, node or job the command is about. */
  target: string | null;
  /** For approvals and results of changes: who approved. */
  approver: string | null;
  ganetiJobId: number | null;
  outcome: string | null;
  /** A short free text: the reason of a refusal, the command text (clipped). */
  detail: string | null;
  /** The cluster, when the bot serves several. */
  cluster?: string;
}

export type AuditInput = Omit<
  AuditRecord,
  'at' | 'requestId' | 'channel' | 'command' | 'target' | 'approver' | 'ganetiJobId' | 'outcome' | 'detail'
> &
  Partial<Omit<AuditRecord, 'at' | 'event' | 'user'>>;

export interface AuditQuery {
  limit: number;
  user?: string;
  /** Matches the target, or its short name. */
  target?: string;
}

/** Writes audit records; never throws (a failure is logged), so auditing cannot stop an operation. */
export interface AuditLog {
  record(input: AuditInput): Promise<void>;
  recent(query: AuditQuery): Promise<AuditRecord[]>;
}

const recordSchema: z.ZodType<AuditRecord> = z.object({
  at: z.number(),
  event: z.enum(AUDIT_EVENTS),
  requestId: z.string().nullable(),
  user: z.string(),
  channel: z.string().nullable(),
  command: z.string().nullable(),
  target: z.string().nullable(),
  approver: z.string().nullable(),
  ganetiJobId: z.number().nullable(),
  outcome: z.string().nullable(),
  detail: z.string().nullable(),
  cluster: z.string().optional(),
});

/** How many stream entries `recent` reads at most when filtering. */
const SCAN_LIMIT = 5_000;

/**
 * The audit trail as a Redis stream (`XADD … MAXLEN ~ N`): durable, ordered, bounded.
 * `mirror` gets every record too (the optional audit channel).
 */
export function createAuditLog(deps: {
  redis: Redis;
  prefix: string;
  maxEntries: number;
  logger: Logger;
  now?: () => number;
  mirror?: (record: AuditRecord) => Promise<void>;
}): AuditLog {
  const key = `${deps.prefix}:audit`;
  const now = deps.now ?? Date.now;
  return {
    async record(input) {
      const record: AuditRecord = {
        at: now(),
        requestId: null,
        channel: null,
        command: null,
        target: null,
        approver: null,
        ganetiJobId: null,
        outcome: null,
        detail: null,
        ...input,
      };
      if (record.detail && record.detail.length > 300) record.detail = `${record.detail.slice(0, 299)}…`;
      try {
        await deps.redis.xadd(key, 'MAXLEN', '~', String(deps.maxEntries), '*', 'r', JSON.stringify(record));
      } catch (error) {
        deps.logger.error({ err: error, audit: record }, 'could not write an audit record');
      }
      if (deps.mirror)
        await deps
          .mirror(record)
          .catch((error: unknown) => deps.logger.warn({ err: error }, 'could not mirror an audit record'));
    },
    async recent(query) {
      const entries = await deps.redis.xrevrange(key, '+', '-', 'COUNT', String(SCAN_LIMIT));
      const out: AuditRecord[] = [];
      for (const [, fields] of entries) {
        const raw = fields[fields.indexOf('r') + 1];
        if (!raw) continue;
        const parsed = recordSchema.safeParse(JSON.parse(raw));
        if (!parsed.success) continue;
        const r = parsed.data;
        if (query.user && r.user !== query.user && r.approver !== query.user) continue;
        if (query.target && !(r.target === query.target || r.target?.split('.')[0] === query.target))
          continue;
        out.push(r);
        if (out.length >= query.limit) break;
      }
      return out;
    },
  };
}
