import type { NodeRole } from '../types.js';
import { NODE_ROLES } from './node-list.js';
import { listLines, parseFlag, parseOptionalCount, splitCommaList, splitFields } from './split-fields.js';

/**
 * Fields the health monitor reads every poll. All but the memory/disk figures and `bootid` are
 * configuration fields (answered by the master at once); the live ones make Ganeti ask every
 * node, which is how a node that does not answer shows up (`?`), and `*` marks one set offline.
 */
export const NODE_HEALTH_FIELDS = [
  'name',
  'pip',
  'offline',
  'drained',
  'master_candidate',
  'role',
  'mtotal',
  'mfree',
  'dtotal',
  'dfree',
  'bootid',
  'pinst_list',
  'sinst_list',
] as const;

const COMMAND = 'gnt-node list';

/** One node as the monitor sees it in one poll. */
export interface NodeHealthRow {
  name: string;
  ip: string | null;
  offline: boolean;
  drained: boolean;
  masterCandidate: boolean;
  role: NodeRole;
  /** `ok`: live data came back; `unreachable`: `?`; `offline`: `*` (Ganeti does not ask it). */
  live: 'ok' | 'unreachable' | 'offline';
  memoryTotalMiB: number | null;
  memoryFreeMiB: number | null;
  diskTotalMiB: number | null;
  diskFreeMiB: number | null;
  bootId: string | null;
  primaryInstances: string[];
  secondaryInstances: string[];
}

/**
 * Parses `gnt-node list --no-headers --separator='|' -o` {@link NODE_HEALTH_FIELDS}.
 * @throws Error on a line with the wrong number of fields or an unknown flag or role.
 */
export function parseNodeHealthList(stdout: string): NodeHealthRow[] {
  return listLines(stdout).map(({ lineNo, line }) => {
    const f = splitFields(COMMAND, NODE_HEALTH_FIELDS, lineNo, line);
    const liveFields = [f.mtotal, f.mfree, f.dtotal, f.dfree, f.bootid];
    const live = liveFields.includes('*') ? 'offline' : liveFields.includes('?') ? 'unreachable' : 'ok';
    const role = NODE_ROLES[f.role];
    if (role === undefined)
      throw new Error(`${COMMAND}: unknown role ${JSON.stringify(f.role)} for ${f.name}`);
    return {
      name: f.name,
      ip: f.pip === '' || f.pip === '-' ? null : f.pip,
      offline: parseFlag(COMMAND, 'offline', f.offline),
      drained: parseFlag(COMMAND, 'drained', f.drained),
      masterCandidate: parseFlag(COMMAND, 'master_candidate', f.master_candidate),
      role,
      live,
      memoryTotalMiB: parseOptionalCount(COMMAND, 'mtotal', f.mtotal),
      memoryFreeMiB: parseOptionalCount(COMMAND, 'mfree', f.mfree),
      diskTotalMiB: parseOptionalCount(COMMAND, 'dtotal', f.dtotal),
      diskFreeMiB: parseOptionalCount(COMMAND, 'dfree', f.dfree),
      bootId: live === 'ok' && f.bootid !== '' ? f.bootid : null,
      primaryInstances: splitCommaList(f.pinst_list),
      secondaryInstances: splitCommaList(f.sinst_list),
    };
  });
}
