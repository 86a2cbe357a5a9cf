import type { GanetiInstance } from '../types.js';
import { listLines, parseOptionalCount, splitCommaList, splitFields } from './split-fields.js';

/** Fields for `gnt-instance list --no-headers --separator='|' -o …`, in the order the parser expects. */
export const INSTANCE_LIST_FIELDS = [
  'name',
  'pnode',
  'snodes',
  'status',
  'oper_state',
  'admin_state',
  'disk_template',
  'be/memory',
  'be/vcpus',
  'tags',
] as const;

const COMMAND = 'gnt-instance list';

/** `oper_state`: `Y` running, `N` stopped, `?` unknown (node unreachable or offline). */
function parseOperState(name: string, value: string): boolean | null {
  if (value === 'Y') return true;
  if (value === 'N') return false;
  if (value === '?' || value === '*') return null;
  throw new Error(`${COMMAND}: oper_state of ${name} should be Y, N or ?, got ${JSON.stringify(value)}`);
}

/**
 * Parses `gnt-instance list --no-headers --separator='|' -o` {@link INSTANCE_LIST_FIELDS}.
 * `snodes` and `tags` are comma-separated (tags cannot contain `|` or `,` in Ganeti).
 * @throws Error on a line with the wrong number of fields or a bad value.
 */
export function parseInstanceList(stdout: string): GanetiInstance[] {
  return listLines(stdout).map(({ lineNo, line }) => {
    const f = splitFields(COMMAND, INSTANCE_LIST_FIELDS, lineNo, line);
    return {
      name: f.name,
      primaryNode: f.pnode,
      secondaryNodes: splitCommaList(f.snodes),
      status: f.status,
      running: parseOperState(f.name, f.oper_state),
      adminState: f.admin_state,
      diskTemplate: f.disk_template,
      memoryMiB: parseOptionalCount(COMMAND, 'be/memory', f['be/memory']),
      vcpus: parseOptionalCount(COMMAND, 'be/vcpus', f['be/vcpus']),
      tags: splitCommaList(f.tags),
    };
  });
}
