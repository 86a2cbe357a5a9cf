import { describe, expect, it } from 'vitest';
import { auditLine, renderAudit } from '../../../src/bot/render/render-audit.js';
import type { AuditRecord } from '../../../src/audit/audit-log.js';

/** 2026-12-02 05:12:07.999 UTC. */
const AT = Date.UTC(2026, 11, 2, 5, 12, 7, 999);

const record = (overrides: Partial<AuditRecord> = {}): AuditRecord => ({
  at: AT,
  event: 'approved',
  requestId: 'req-abc-123',
  user: 'U0BOB',
  channel: 'C0OPS',
  command: 'failover',
  target: 'inst2.ganeti.test',
  approver: 'U0BOB',
  ganetiJobId: null,
  outcome: null,
  detail: null,
  ...overrides,
});

describe('renderAudit', () => {
  it('keeps plain UTC times in the table: Slack shows a date token in a code block as it is', () => {
    const { blocks } = renderAudit({
      kind: 'audit',
      records: [record(), record({ at: AT - 61_000, event: 'requested', user: 'U0ALICE', approver: null })],
      filter: { user: null, target: null },
    });
    const text = JSON.stringify(blocks);
    expect(text).toContain('Audit trail (UTC, newest first)');
    expect(text).toContain('2026-12-02 05:12:07  approved');
    expect(text).toContain('2026-12-02 05:11:06  requested');
    expect(text).not.toContain('<!date');
  });
});

describe('auditLine', () => {
  it('names the event, who and what; the audit channel message carries its own time', () => {
    expect(auditLine(record({ ganetiJobId: 42, outcome: 'success' }))).toBe(
      '`approved` <@U0BOB> `failover` on `inst2.ganeti.test` approved by <@U0BOB> job 42 → success · req-abc-123',
    );
  });
});
