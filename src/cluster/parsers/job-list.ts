import type { JobSummary } from '../types.js';
import { listLines, parseCount } from './split-fields.js';
import { parseJobStatus } from './job-status.js';

/** Fields for `gnt-job list --no-headers --separator='|' -o …`, in the order the parser expects. */
export const JOB_LIST_FIELDS = ['id', 'status', 'summary', 'received_ts', 'start_ts', 'end_ts'] as const;

const COMMAND = 'gnt-job list';

/**
 * A job timestamp prints as `[SECONDS, MICROSECONDS]`, or `-` when the job has not reached
 * that point yet (queued: no start; running: no end). Returns Unix milliseconds.
 */
function parseTimestamp(value: string): number | null {
  if (value === '-') return null;
  const match = /^\[(\d+), (\d+)\]$/.exec(value);
  if (match === null) throw new Error(`${COMMAND}: bad timestamp ${JSON.stringify(value)}`);
  return Number(match[1]) * 1000 + Math.floor(Number(match[2]) / 1000);
}

/**
 * Parses `gnt-job list --no-headers --separator='|' -o` {@link JOB_LIST_FIELDS}. The id and
 * status are read from the left and the three timestamps from the right, so a `|` inside the
 * summary cannot shift the columns.
 * @throws Error on a line with too few fields or a bad value.
 */
export function parseJobList(stdout: string): JobSummary[] {
  return listLines(stdout).map(({ lineNo, line }) => {
    const parts = line.split('|');
    if (parts.length < JOB_LIST_FIELDS.length) {
      throw new Error(
        `${COMMAND}: line ${lineNo} has ${parts.length} fields, expected ${JOB_LIST_FIELDS.length} ` +
          `(${JOB_LIST_FIELDS.join(',')}): ${JSON.stringify(line)}`,
      );
    }
    const [id = '', status = ''] = parts;
    const [received = '', started = '', ended = ''] = parts.slice(-3);
    return {
      id: parseCount(COMMAND, 'id', id),
      status: parseJobStatus(COMMAND, status),
      summary: parts.slice(2, -3).join('|'),
      receivedAt: parseTimestamp(received),
      startedAt: parseTimestamp(started),
      endedAt: parseTimestamp(ended),
    };
  });
}
