import type { KnownBlock } from '@slack/types';
import type { JobResult, JobsResult } from '../../commands/results.js';
import type { JobStatus } from '../../cluster/types.js';
import { context, esc, fields, header, preformatted, section, table } from './blocks.js';
import { duration } from './format.js';

const ICON: Record<JobStatus, string> = {
  queued: '…',
  waiting: '…',
  running: '▶',
  canceling: '✕',
  canceled: '✕',
  success: '✓',
  error: '✗',
};

export function renderJobs(result: JobsResult): { text: string; blocks: KnownBlock[] } {
  const rows = result.jobs.map((j) => [
    String(j.id),
    `${ICON[j.status]} ${j.status}`,
    j.startedAt !== null ? duration((j.endedAt ?? Number.NaN) - j.startedAt) : '–',
    j.summary,
  ]);
  const blocks: KnownBlock[] = [header(`Ganeti jobs (newest ${result.jobs.length} of ${result.total})`)];
  if (rows.length === 0) blocks.push(section('No jobs.'));
  else blocks.push(...preformatted(table(['ID', 'STATUS', 'TOOK', 'SUMMARY'], rows)));
  blocks.push(context('`/ganeti job ID` shows one job with its log.'));
  const failed = result.jobs.filter((j) => j.status === 'error').length;
  return { text: `${result.jobs.length} Ganeti jobs${failed ? `, ${failed} failed` : ''}`, blocks };
}

export function renderJob(result: JobResult): { text: string; blocks: KnownBlock[] } {
  const j = result.job;
  const blocks: KnownBlock[] = [
    header(`Job ${j.id}: ${ICON[j.status]} ${j.status}`),
    fields([
      ['Opcodes', j.opcodes.map((o) => `\`${o.opcode}\` ${o.status}`).join('\n') || '–'],
      ['Took', j.totalSeconds === null ? '–' : duration(j.totalSeconds * 1000)],
      ['Received', esc(j.receivedAt ?? '–')],
      ['Ended', esc(j.endedAt ?? '–')],
    ]),
  ];
  for (const o of j.opcodes) {
    if (o.error)
      blocks.push(section(`:x: \`${o.opcode}\` failed: *${esc(o.error.kind)}*\n${esc(o.error.message)}`));
  }
  if (j.log.length > 0) {
    const tail = j.log.slice(-30);
    const omitted = j.log.length - tail.length;
    blocks.push(
      ...preformatted([
        ...(omitted ? [`… ${omitted} earlier lines`] : []),
        ...tail.map((l) => `${l.time.slice(11, 19)} ${l.message}`),
      ]),
    );
  }
  if (j.reasons.length > 0) blocks.push(context(`Reason: ${j.reasons.map(esc).join(' · ')}`));
  const err = j.opcodes.find((o) => o.error)?.error;
  return { text: `Ganeti job ${j.id}: ${j.status}${err ? ` (${err.message})` : ''}`, blocks };
}
