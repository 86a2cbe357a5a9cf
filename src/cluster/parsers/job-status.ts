import type { JobStatus } from '../types.js';

const JOB_STATUSES: ReadonlySet<string> = new Set<JobStatus>([
  'queued',
  'waiting',
  'canceling',
  'running',
  'canceled',
  'success',
  'error',
]);

/** Narrows Ganeti's job status text to {@link JobStatus}. */
export function parseJobStatus(command: string, value: string): JobStatus {
  if (JOB_STATUSES.has(value)) return value as JobStatus;
  throw new Error(`${command}: unknown job status ${JSON.stringify(value)}`);
}
