import type { GanetiNode, NodeRole } from '../types.js';
import { listLines, parseCount, parseFlag, splitFields } from './split-fields.js';

/** Fields for `gnt-node list --no-headers --separator='|' -o …`, in the order the parser expects. */
export const NODE_LIST_FIELDS = [
  'name',
  'mtotal',
  'mnode',
  'mfree',
  'dtotal',
  'dfree',
  'pinst_cnt',
  'sinst_cnt',
  'offline',
  'drained',
  'master_candidate',
  'role',
] as const;

const COMMAND = 'gnt-node list';

/** `gnt-node list` role letters (also read by node-health-list.ts). */
export const NODE_ROLES: Readonly<Record<string, NodeRole>> = {
  M: 'master',
  C: 'candidate',
  R: 'regular',
  D: 'drained',
  O: 'offline',
};

/** Ganeti prints `?` for live data it could not get and `*` for a node marked offline. */
const UNREACHABLE = '?';
const OFFLINE = '*';

/**
 * Parses `gnt-node list --no-headers --separator='|' -o` {@link NODE_LIST_FIELDS}.
 * Memory and disk are MiB (Ganeti's default unit once a separator is given).
 * @throws Error on a line with the wrong number of fields or an unknown flag/role.
 */
export function parseNodeList(stdout: string): GanetiNode[] {
  return listLines(stdout).map(({ lineNo, line }) => {
    const f = splitFields(COMMAND, NODE_LIST_FIELDS, lineNo, line);
    const live = [f.mtotal, f.mnode, f.mfree, f.dtotal, f.dfree];
    const reachability: GanetiNode['reachability'] = live.includes(OFFLINE)
      ? 'offline'
      : live.includes(UNREACHABLE)
        ? 'unreachable'
        : 'ok';
    const mib = (field: string, value: string): number | null =>
      value === OFFLINE || value === UNREACHABLE ? null : parseCount(COMMAND, field, value);
    const nodeRole = NODE_ROLES[f.role];
    if (nodeRole === undefined) {
      throw new Error(`${COMMAND}: unknown role ${JSON.stringify(f.role)} for node ${f.name}`);
    }
    return {
      name: f.name,
      role: nodeRole,
      offline: parseFlag(COMMAND, 'offline', f.offline),
      drained: parseFlag(COMMAND, 'drained', f.drained),
      masterCandidate: parseFlag(COMMAND, 'master_candidate', f.master_candidate),
      reachability,
      memoryTotalMiB: mib('mtotal', f.mtotal),
      memoryNodeMiB: mib('mnode', f.mnode),
      memoryFreeMiB: mib('mfree', f.mfree),
      diskTotalMiB: mib('dtotal', f.dtotal),
      diskFreeMiB: mib('dfree', f.dfree),
      primaryInstances: parseCount(COMMAND, 'pinst_cnt', f.pinst_cnt),
      secondaryInstances: parseCount(COMMAND, 'sinst_cnt', f.sinst_cnt),
    };
  });
}
