import type { GanetiInstance } from '../types.js';
import { fieldIndex, parseOptionalCount, splitCommaList, splitRows } from './split-fields.js';

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
const I = fieldIndex(INSTANCE_LIST_FIELDS);

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
  return splitRows(COMMAND, INSTANCE_LIST_FIELDS, stdout).map((f) => {
    const name = f[I.name] ?? '';
    return {
      name,
      primaryNode: f[I.pnode] ?? '',
      secondaryNodes: splitCommaList(f[I.snodes] ?? ''),
      status: f[I.status] ?? '',
      running: parseOperState(name, f[I.oper_state] ?? ''),
      adminState: f[I.admin_state] ?? '',
      diskTemplate: f[I.disk_template] ?? '',
      memoryMiB: parseOptionalCount(COMMAND, 'be/memory', f[I['be/memory']] ?? ''),
      vcpus: parseOptionalCount(COMMAND, 'be/vcpus', f[I['be/vcpus']] ?? ''),
      tags: splitCommaList(f[I.tags] ?? ''),
    };
  });
}
