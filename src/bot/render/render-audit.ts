import type { KnownBlock } from '@slack/types';
import type { AuditResult } from '../../commands/results.js';
import type { AuditRecord } from '../../audit/audit-log.js';
import { context, esc, header, preformatted, section, table } from './blocks.js';
import { utcText } from '../../core/slack-date.js';

/** The audit trail as a table; user ids become mentions in a second, compact list. */
export function renderAudit(result: AuditResult): { text: string; blocks: KnownBlock[] } {
  const { records, filter } = result;
  const what = [
    filter.user ? `by <@${filter.user}>` : null,
    filter.target ? `about \`${filter.target}\`` : null,
  ]
    .filter(Boolean)
    .join(' ');
  const title = `Audit: ${records.length} record${records.length === 1 ? '' : 's'}${what ? ` ${what}` : ''}`;
  if (records.length === 0)
    return { text: title, blocks: [header('Audit trail'), section(`No records${what ? ` ${what}` : ''}.`)] };
  const rows = records.map((r) => [
    // A code block shows date tokens as they are: plain UTC, as the heading says.
    utcText(r.at, { seconds: true, zone: false }),
    r.event,
    r.user,
    r.command ?? '-',
    (r.target ?? '-').slice(0, 40),
    r.approver ?? '-',
    r.ganetiJobId === null ? '-' : String(r.ganetiJobId),
    (r.outcome ?? r.detail ?? '-').slice(0, 60),
  ]);
  const blocks: KnownBlock[] = [
    header('Audit trail (UTC, newest first)'),
    ...preformatted(
      table(['TIME', 'EVENT', 'USER', 'COMMAND', 'TARGET', 'APPROVER', 'JOB', 'OUTCOME'], rows),
    ),
    context(
      `${title}. Request ids: ${[...new Set(records.map((r) => r.requestId).filter(Boolean))].slice(0, 5).join(', ') || '-'}`,
    ),
  ];
  return { text: title, blocks };
}

/** One audit record as a line for the audit channel. */
export function auditLine(r: AuditRecord): string {
  const parts = [
    `\`${r.event}\``,
    `<@${r.user}>`,
    r.command ? `\`${r.command}\`` : null,
    r.target ? `on \`${esc(r.target)}\`` : null,
    r.approver ? `approved by <@${r.approver}>` : null,
    r.ganetiJobId !== null ? `job ${r.ganetiJobId}` : null,
    r.outcome ? `→ ${esc(r.outcome)}` : null,
    r.detail ? `(${esc(r.detail)})` : null,
    r.requestId ? `· ${r.requestId}` : null,
    r.cluster ? `· cluster \`${esc(r.cluster)}\`` : null,
  ];
  return parts.filter(Boolean).join(' ');
}
