import type { JobInfo, JobOpcode } from '../types.js';
import { parseCount } from './split-fields.js';
import { infoGet, infoItems, infoText, infoValue, parseGenericInfo } from './generic-info.js';
import type { InfoNode } from './generic-info.js';
import { parseJobStatus } from './job-status.js';

const COMMAND = 'gnt-job info';

/** The reason-trail source Ganeti gives to the submitter's own `--reason TEXT`. */
const USER_REASON_SOURCE = 'gnt:user';

/** `2026-11-24 02:40:55.121407 (delta 0.568222s)` → the time; `unknown (None)`/`N/A` → null. */
function parseTime(node: InfoNode | undefined): string | null {
  const text = infoValue(node);
  return text === null ? null : text.replace(/\s*\(delta [^)]*\)$/, '');
}

/** `3.155098 seconds` → 3.155098; `N/A` → null. */
function parseSeconds(node: InfoNode | undefined): number | null {
  const match = /^(\d+(?:\.\d+)?) seconds$/.exec(infoValue(node) ?? '');
  return match === null ? null : Number(match[1]);
}

/**
 * A failed opcode's `Result` is the exception as a list: class name, then its arguments,
 * e.g. `- OpPrereqError / - - Node 'x' not known / - unknown_entity` (message, error type).
 */
function parseOpcodeError(status: string, result: InfoNode | undefined): JobOpcode['error'] {
  if (status !== 'error') return null;
  const [kindNode, argsNode] = infoItems(result);
  const kind = infoText(kindNode);
  if (kind === null || argsNode === undefined) {
    return { kind: 'unknown', message: infoText(result) ?? 'the opcode failed without a result' };
  }
  const [first] = infoItems(argsNode);
  return { kind, message: infoText(first) ?? infoText(argsNode) ?? '' };
}

/** `[1, message, * checking disk consistency]` → the message text. */
function parseLogContent(content: string): string {
  const match = /^\[\d+, [^,]*, ?(.*)\]$/s.exec(content);
  return (match?.[1] ?? content).trim();
}

/** The texts of the `gnt:user` entries of an opcode's reason trail (`- - SOURCE / - TEXT / - TS`). */
function userReasons(opcode: InfoNode): string[] {
  const trail = infoGet(infoGet(opcode, 'Input fields'), 'reason');
  return infoItems(trail).flatMap((entry) => {
    const [source, text] = infoItems(entry);
    if (infoText(source) !== USER_REASON_SOURCE) return [];
    const reason = infoText(text)?.trim() ?? '';
    return reason === '' ? [] : [reason];
  });
}

/**
 * Parses `gnt-job info ID`. Returns null for `Job ID N not found` (which Ganeti prints with
 * exit status 0). Times are Ganeti's local-time text (`2026-11-24 02:40:54.553185`), null when not
 * reached yet. `reasons` holds the submitter's `--reason` texts, once each, in order.
 * @throws Error when the output is not a job description.
 */
export function parseJobInfo(stdout: string): JobInfo | null {
  const [job] = infoItems(parseGenericInfo(stdout));
  const bare = infoText(job);
  if (bare !== null && /^Job ID \d+ not found$/.test(bare.trim())) return null;
  const id = infoValue(infoGet(job, 'Job ID'));
  const status = infoValue(infoGet(job, 'Status'));
  if (job === undefined || id === null || status === null) {
    throw new Error(`${COMMAND}: output is not a job description: ${JSON.stringify(stdout.slice(0, 200))}`);
  }
  const opcodes = infoItems(infoGet(job, 'Opcodes'));
  const reasons = [...new Set(opcodes.flatMap(userReasons))];
  return {
    id: parseCount(COMMAND, 'Job ID', id),
    status: parseJobStatus(COMMAND, status),
    receivedAt: parseTime(infoGet(job, 'Received')),
    startedAt: parseTime(infoGet(job, 'Processing start')),
    endedAt: parseTime(infoGet(job, 'Processing end')),
    totalSeconds: parseSeconds(infoGet(job, 'Total processing time')),
    opcodes: opcodes.map((opcode) => {
      const opStatus = infoValue(infoGet(opcode, 'Status')) ?? 'unknown';
      return {
        opcode: infoValue(infoGet(opcode, 'Opcode')) ?? 'unknown',
        status: opStatus,
        error: parseOpcodeError(opStatus, infoGet(opcode, 'Result')),
      };
    }),
    log: opcodes.flatMap((opcode) =>
      infoItems(infoGet(opcode, 'Execution log')).map((entry) => ({
        time: infoValue(infoGet(entry, 'Time')) ?? '',
        message: parseLogContent(infoText(infoGet(entry, 'Content')) ?? ''),
      })),
    ),
    reasons,
  };
}
