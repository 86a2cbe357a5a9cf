import { parseJobStatus } from './job-status.js';
import type { JobStatus } from '../types.js';

/** `gnt-job list -o id,status,ops`: fields asked for when looking for a job by its reason. */
export const JOB_OPS_FIELDS = ['id', 'status', 'ops'] as const;

/**
 * Jobs whose opcodes mention `token` (in the reason trail, printed as a Python repr in the `ops`
 * field). The token is matched as plain text; ids and statuses come from the first two fields.
 */
export function findJobsMentioning(stdout: string, token: string): Array<{ id: number; status: JobStatus }> {
  const found: Array<{ id: number; status: JobStatus }> = [];
  for (const line of stdout.split('\n')) {
    const first = line.indexOf('|');
    const second = line.indexOf('|', first + 1);
    if (first < 1 || second < 0) continue;
    if (!line.slice(second + 1).includes(token)) continue;
    const id = Number(line.slice(0, first));
    if (!Number.isInteger(id)) continue;
    found.push({ id, status: parseJobStatus('gnt-job list', line.slice(first + 1, second)) });
  }
  return found;
}
