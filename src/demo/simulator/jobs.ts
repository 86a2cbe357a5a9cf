import { jobTime, pyRepr, seconds6, timestampPair, type PyValue } from './format.js';
import { infoLines } from './info-lines.js';
import type { OpValue, SimCluster, SimJob, SimOpcode } from './model.js';

/** What a change asks of the job queue; times are ms after submission. */
export interface JobSpec {
  summary: string;
  opcode: SimOpcode;
  client: [string, string];
  reason: string | null;
  /** From start to end. */
  durationMs: number;
  /** Log messages, spread over the run. */
  log: string[];
  check: SimJob['check'];
  effect: SimJob['effect'];
}

/** The lab's jobs wait about half a second in the queue before they start (test/fixtures/gnt-job_info.*.txt). */
const QUEUE_MS = 550;

export function submitJob(c: SimCluster, now: number, spec: JobSpec, speed: number): SimJob {
  const startAt = now + QUEUE_MS * speed;
  const endAt = startAt + spec.durationMs * speed;
  const step = (endAt - startAt) / (spec.log.length + 1);
  const job: SimJob = {
    id: c.nextJobId,
    summary: spec.summary,
    opcode: spec.opcode,
    client: spec.client,
    reason: spec.reason,
    status: 'queued',
    receivedAt: now,
    startAt,
    endAt,
    log: spec.log.map((message, i) => ({ at: startAt + step * (i + 1), message })),
    check: spec.check,
    effect: spec.effect,
    error: null,
  };
  c.nextJobId += 1;
  c.jobs.push(job);
  return job;
}

/** A job already done when submitted (the jobs `gnt-cluster verify` submits). */
export function finishedJob(
  c: SimCluster,
  now: number,
  summary: string,
  opcode: SimOpcode,
  client: [string, string],
): SimJob {
  const job = submitJob(
    c,
    now,
    {
      summary,
      opcode,
      client,
      reason: null,
      durationMs: 0,
      log: [],
      check: () => null,
      effect: () => undefined,
    },
    0,
  );
  job.status = 'success';
  return job;
}

/**
 * Moves every job to where it is at `now`: a job starts once its queue time has passed (its
 * prerequisites are checked then, as Ganeti does), and its effect is applied when it ends.
 */
export function advanceJobs(c: SimCluster, now: number): void {
  for (const job of c.jobs) {
    if (job.status === 'queued' && now >= job.startAt) {
      const error = job.check();
      if (error) {
        job.status = 'error';
        job.error = error;
        job.endAt = job.startAt + 220;
        job.log = [];
        continue;
      }
      job.status = 'running';
    }
    if (job.status === 'running' && now >= job.endAt) {
      job.effect();
      job.status = 'success';
    }
  }
}

/** Ganeti's answer to `gnt-job cancel ID`: only a job that has not started can be cancelled. */
export function cancelJob(c: SimCluster, id: number, now: number): { code: number; stdout: string } {
  const job = c.jobs.find((j) => j.id === id);
  if (!job || job.status === 'success' || job.status === 'error' || job.status === 'canceled')
    return { code: 1, stdout: `Job ${id} not found in queue\n` };
  if (job.status === 'running')
    return { code: 1, stdout: "Job no longer waiting, can't cancel (informed it anyway)\n" };
  job.status = 'canceled';
  job.endAt = now;
  return { code: 0, stdout: 'Job successfully cancelled\n' };
}

/** Nanoseconds since the epoch, as the reason trail keeps them. */
const ns = (ms: number, extra = 0) => BigInt(Math.round(ms * 1000)) * 1000n + BigInt(extra);

const opcodeSource = (job: SimJob) => `gnt:opcode:${job.opcode.opId.replace(/^OP_/, '').toLowerCase()}`;

/** The reason trail: the submitter's text, the client program, the opcode. */
function reasonTrail(job: SimJob): Array<[string, string, bigint]> {
  const submitted = job.receivedAt - 170;
  return [
    ...(job.reason === null ? [] : [['gnt:user', job.reason, ns(submitted)] as [string, string, bigint]]),
    [`gnt:client:${job.client[0]}`, job.client[1], ns(submitted, 3072)],
    [opcodeSource(job), `job=${job.id};index=0`, ns(job.receivedAt)],
  ];
}

const COMMON: Record<string, PyValue> = {
  dry_run: false,
  debug_level: 0,
  priority: 0,
  depends: null,
  comment: null,
};

/** `gnt-job list -o ops`: the opcodes as a Python list of dicts. */
function opsRepr(job: SimJob): string {
  const dict: Record<string, PyValue> = {
    ...COMMON,
    reason: reasonTrail(job).map(([a, b, c]) => [a, b, c]),
    OP_ID: job.opcode.opId,
    ...job.opcode.fields,
  };
  return pyRepr([dict]);
}

const endsKnown = (job: SimJob) =>
  job.status === 'success' || job.status === 'error' || job.status === 'canceled';
const started = (job: SimJob) =>
  job.status !== 'queued' && !(job.status === 'canceled' && job.endAt < job.startAt);

/** One `gnt-job list -o` field of a job. */
export function jobField(job: SimJob, field: string): string {
  switch (field) {
    case 'id':
      return String(job.id);
    case 'status':
      return job.status;
    case 'summary':
      return job.summary;
    case 'received_ts':
      return timestampPair(job.receivedAt);
    case 'start_ts':
      return started(job) ? timestampPair(job.startAt) : '-';
    case 'end_ts':
      return endsKnown(job) ? timestampPair(job.endAt) : '-';
    case 'ops':
      return opsRepr(job);
    case 'opstatus':
      return `[${pyRepr(job.status)}]`;
    default:
      return '?';
  }
}

/** `gnt-job info ID`, laid out like test/fixtures/gnt-job_info.failover.txt. */
export function jobInfo(job: SimJob, now: number): string {
  const isStarted = started(job);
  const done = endsKnown(job);
  const lines = [
    `- Job ID: ${job.id}`,
    `  Status: ${job.status}`,
    `  Received:         ${jobTime(job.receivedAt)}`,
    isStarted
      ? `  Processing start: ${jobTime(job.startAt)} (delta ${seconds6(job.startAt - job.receivedAt)}s)`
      : '  Processing start: unknown (None)',
    done && isStarted
      ? `  Processing end:   ${jobTime(job.endAt)} (delta ${seconds6(job.endAt - job.startAt)}s)`
      : '  Processing end:   unknown (None)',
    done && isStarted
      ? `  Total processing time: ${seconds6(job.endAt - job.receivedAt)} seconds`
      : '  Total processing time: N/A',
    '  Opcodes: ',
    `    - Opcode: ${job.opcode.opId}`,
    `      Status: ${job.status === 'canceled' ? 'canceled' : job.status}`,
    `      Processing start: ${isStarted ? jobTime(job.startAt) : 'N/A'}`,
    `      Execution start:  ${isStarted && job.status !== 'error' ? jobTime(job.startAt + 260) : 'N/A'}`,
    `      Processing end:   ${done && isStarted ? jobTime(job.endAt - 0.01) : 'N/A'}`,
    '      Input fields: ',
    ...inputFields(job),
    ...result(job),
    '      Execution log: ',
    ...job.log
      .filter((entry) => entry.at <= now)
      .flatMap((entry, i) => [
        `        - Time: ${jobTime(entry.at)}`,
        `          Content: [${i + 1}, message, ${entry.message}]`,
      ]),
  ];
  return lines.join('\n') + '\n';
}

function inputFields(job: SimJob): string[] {
  const fields: Record<string, OpValue> = {
    OP_ID: job.opcode.opId,
    comment: null,
    debug_level: 0,
    depends: null,
    dry_run: false,
    priority: 0,
    ...job.opcode.fields,
  };
  const keys = [...Object.keys(fields), 'reason'].sort();
  return keys.flatMap((key) => {
    if (key === 'reason')
      return [
        '        reason: ',
        ...reasonTrail(job).flatMap(([source, text, time]) => [
          `          - - ${source}`,
          `            - ${text}`,
          `            - ${time}`,
        ]),
      ];
    return infoLines(key, fields[key] ?? null, 4);
  });
}

function result(job: SimJob): string[] {
  if (job.status !== 'error' || job.error === null) return ['      Result: None'];
  return [
    '      Result: ',
    `        - ${job.error.kind}`,
    `        - - ${job.error.message}`,
    ...(job.error.type ? [`          - ${job.error.type}`] : []),
  ];
}
