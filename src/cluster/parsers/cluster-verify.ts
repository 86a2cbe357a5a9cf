import type { VerifyFinding, VerifyReport, VerifySeverity } from '../types.js';

/** `time.ctime()` as Ganeti prints it before each feedback line: `Tue Nov 24 02:43:52 2026`. */
const TIMESTAMP = /^[A-Z][a-z]{2} [A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d \d{4} /;

/** `  - ERROR:ENODERPC:node:node3.ganeti.test:message` (with `--error-codes`). */
const CODED = /^- (ERROR|WARNING):([A-Z0-9_]+):([a-z]+):([^:]*):(.*)$/;
/** `  - ERROR: node node3.ganeti.test: message`, or `ERROR: cluster : message` with no item. */
const PLAIN = /^- (ERROR|WARNING): (cluster|group|node|instance) ?(\S*): (.*)$/;
/** ` - WARNING: free text` (LogWarning) and `  - NOTICE: 1 offline node(s) found.` */
const FREE = /^- (ERROR|WARNING|NOTICE): (.*)$/;

const ITEM_TYPES: ReadonlySet<string> = new Set(['node', 'instance', 'cluster']);

/** A node UUID as Ganeti prints it. */
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;

function stripTimestamp(line: string): string {
  return line.replace(/\r$/, '').replace(TIMESTAMP, '').trim();
}

/** Some messages end in a literal `\n` (two characters) copied from ssh's output. */
function cleanMessage(message: string): string {
  return message.replace(/(?:\\n)+$/, '').trim();
}

function itemType(type: string): VerifyFinding['itemType'] {
  return ITEM_TYPES.has(type) ? (type as VerifyFinding['itemType']) : null;
}

/**
 * The step name of a `TIMESTAMP * Step` line (`Verifying node status`), for live progress;
 * null for any other line. The timestamp is optional.
 */
export function parseVerifyStepLine(line: string): string | null {
  const match = /^\* (.+)$/.exec(stripTimestamp(line));
  return match?.[1]?.trim() ?? null;
}

function parseFinding(text: string, step: string | null): VerifyFinding | null {
  const coded = CODED.exec(text);
  if (coded !== null) {
    const [, severity = '', code = '', type = '', item = '', message = ''] = coded;
    return {
      severity: severity as VerifySeverity,
      code,
      itemType: itemType(type),
      item: item === '' ? null : item,
      message: cleanMessage(message),
      step,
    };
  }
  const plain = PLAIN.exec(text);
  if (plain !== null) {
    const [, severity = '', type = '', item = '', message = ''] = plain;
    return {
      severity: severity as VerifySeverity,
      code: null,
      itemType: itemType(type),
      item: item === '' ? null : item,
      message: cleanMessage(message),
      step,
    };
  }
  const free = FREE.exec(text);
  if (free !== null) {
    const [, severity = '', message = ''] = free;
    return {
      severity: severity as VerifySeverity,
      code: null,
      itemType: null,
      item: null,
      message: cleanMessage(message),
      step,
    };
  }
  return null;
}

/**
 * Parses the stdout of `gnt-cluster verify`, with or without `--error-codes`: the submitted job
 * ids, the steps in order, and every ERROR/WARNING/NOTICE line with the step it came under.
 * A `Hint:` line is appended to the finding before it. Lines it does not know are skipped.
 * Hooks lines name nodes by UUID: see {@link resolveVerifyUuids}.
 */
export function parseClusterVerify(stdout: string): VerifyReport {
  const report: VerifyReport = { jobIds: [], steps: [], findings: [] };
  let step: string | null = null;
  for (const rawLine of stdout.split('\n')) {
    const submitted = /^Submitted jobs? ([\d, ]+)$/.exec(rawLine.trim());
    if (submitted !== null) {
      const ids = (submitted[1] ?? '').split(',').map((id) => Number(id.trim()));
      report.jobIds.push(...ids.filter((id) => Number.isInteger(id) && id > 0));
      continue;
    }
    const stepName = parseVerifyStepLine(rawLine);
    if (stepName !== null) {
      step = stepName;
      report.steps.push(stepName);
      continue;
    }
    const text = stripTimestamp(rawLine);
    const hint = /^Hint: (.*)$/.exec(text);
    const previous = report.findings.at(-1);
    if (hint !== null && previous !== undefined) {
      previous.message = `${previous.message} Hint: ${hint[1] ?? ''}`.trim();
      continue;
    }
    const finding = parseFinding(text, step);
    if (finding !== null) report.findings.push(finding);
  }
  return report;
}

/**
 * Replaces node UUIDs with node names, both as a finding's item and inside its message
 * (`Communication failure to node <uuid>`). UUIDs not in the map are left as they are.
 * @param uuidToName node UUID → name, from `parseNodeUuids` (node-uuids.ts).
 */
export function resolveVerifyUuids(report: VerifyReport, uuidToName: Map<string, string>): VerifyReport {
  const resolve = (text: string): string => text.replace(UUID, (uuid) => uuidToName.get(uuid) ?? uuid);
  return {
    jobIds: [...report.jobIds],
    steps: [...report.steps],
    findings: report.findings.map((finding) => ({
      ...finding,
      item: finding.item === null ? null : resolve(finding.item),
      message: resolve(finding.message),
    })),
  };
}
