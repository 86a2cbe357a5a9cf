import type { Redis } from 'ioredis';
import type { AuditRecord } from '../../src/audit/audit-log.js';

/**
 * Reads the audit stream exactly as the app writes it (`${prefix}:audit`, one JSON record in
 * field `r` per entry; src/audit/audit-log.ts). `mark()` remembers where the stream ends, and
 * `since(mark)` returns what was written after it, oldest first.
 */
export function auditTrail(redis: Redis, prefix: string) {
  const key = `${prefix}:audit`;
  const parse = (entries: Array<[string, string[]]>) =>
    entries.map(([, fields]) => JSON.parse(fields[fields.indexOf('r') + 1] ?? 'null') as AuditRecord);
  return {
    async mark(): Promise<string> {
      const [last] = await redis.xrevrange(key, '+', '-', 'COUNT', 1);
      return last?.[0] ?? '0-0';
    },
    async since(mark: string): Promise<AuditRecord[]> {
      return parse(await redis.xrange(key, `(${mark}`, '+'));
    },
    async all(): Promise<AuditRecord[]> {
      return parse(await redis.xrange(key, '-', '+'));
    },
  };
}
