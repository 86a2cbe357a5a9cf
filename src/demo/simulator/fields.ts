import { dateTime } from './format.js';
import { isSilent, nodeByName, type SimCluster, type SimInstance, type SimNode } from './model.js';

/** A field's value for one row; `live` fields print `*` for an offline node and `?` for a silent one. */
interface Field<T> {
  live?: boolean;
  value: (row: T, cluster: SimCluster) => string | number;
}

const yn = (b: boolean) => (b ? 'Y' : 'N');
const names = (xs: readonly SimInstance[]) => xs.map((i) => i.name).join(',');
const primaries = (c: SimCluster, n: SimNode) => c.instances.filter((i) => i.pnode === n.name);
const secondaries = (c: SimCluster, n: SimNode) => c.instances.filter((i) => i.snode === n.name);

/** The fake hypervisor uses no node memory (the lab's mfree does not move); others do. */
export function nodeMemoryFree(c: SimCluster, n: SimNode): number {
  const used = primaries(c, n)
    .filter((i) => i.running && i.hypervisor !== 'fake')
    .reduce((sum, i) => sum + i.memory, 0);
  return n.mfreeIdle - used;
}

export function nodeDiskFree(c: SimCluster, n: SimNode): number {
  const used = c.instances
    .filter((i) => i.pnode === n.name || i.snode === n.name)
    .reduce((sum, i) => sum + i.disks.reduce((a, b) => a + b, 0), 0);
  return n.dfreeIdle - used;
}

/** `master_candidate`: the configured role, unless the node is offline or drained. */
export const isCandidate = (n: SimNode): boolean => n.role !== 'regular' && !n.offline && !n.drained;

/** `role`: M, C, R, D or O (test/fixtures/README.md). */
export function roleLetter(n: SimNode): string {
  if (n.role === 'master') return 'M';
  if (n.offline) return 'O';
  if (n.drained) return 'D';
  return n.role === 'candidate' ? 'C' : 'R';
}

export const NODE_FIELDS: Record<string, Field<SimNode>> = {
  name: { value: (n) => n.name },
  uuid: { value: (n) => n.uuid },
  pip: { value: (n) => n.ip },
  sip: { value: (n) => n.ip },
  mtotal: { live: true, value: (n) => n.mtotal },
  mnode: { live: true, value: (n) => n.mnode },
  mfree: { live: true, value: (n, c) => nodeMemoryFree(c, n) },
  dtotal: { live: true, value: (n) => n.dtotal },
  dfree: { live: true, value: (n, c) => nodeDiskFree(c, n) },
  ctotal: { live: true, value: (n) => n.cpus },
  bootid: { live: true, value: (n) => n.bootId },
  pinst_cnt: { value: (n, c) => primaries(c, n).length },
  sinst_cnt: { value: (n, c) => secondaries(c, n).length },
  pinst_list: { value: (n, c) => names(primaries(c, n)) },
  sinst_list: { value: (n, c) => names(secondaries(c, n)) },
  offline: { value: (n) => yn(n.offline) },
  drained: { value: (n) => yn(n.drained) },
  master_candidate: { value: (n) => yn(isCandidate(n)) },
  master: { value: (n) => yn(n.role === 'master') },
  role: { value: (n) => roleLetter(n) },
};

/** `status` as Ganeti derives it from the node's state, the admin state and the hypervisor's. */
export function instanceStatus(c: SimCluster, i: SimInstance): string {
  const node = nodeByName(c, i.pnode);
  if (node?.offline) return 'ERROR_nodeoffline';
  if (isSilent(node)) return 'ERROR_nodedown';
  if (i.running) return i.adminUp ? 'running' : 'ERROR_up';
  return i.adminUp ? 'ERROR_down' : 'ADMIN_down';
}

function operState(c: SimCluster, i: SimInstance): string {
  const node = nodeByName(c, i.pnode);
  return node?.offline || isSilent(node) ? '?' : yn(i.running);
}

export const INSTANCE_FIELDS: Record<string, Field<SimInstance>> = {
  name: { value: (i) => i.name },
  uuid: { value: (i) => i.uuid },
  pnode: { value: (i) => i.pnode },
  snodes: { value: (i) => i.snode ?? '' },
  status: { value: (i, c) => instanceStatus(c, i) },
  oper_state: { value: (i, c) => operState(c, i) },
  admin_state: { value: (i) => (i.adminUp ? 'up' : 'down') },
  disk_template: { value: (i) => i.diskTemplate },
  'be/memory': { value: (i) => i.memory },
  'be/maxmem': { value: (i) => i.memory },
  'be/minmem': { value: (i) => i.memory },
  'be/vcpus': { value: (i) => i.vcpus },
  tags: { value: (i) => i.tags.join(',') },
  os: { value: (i) => i.os },
  hypervisor: { value: (i) => i.hypervisor },
  'nic.macs': { value: (i) => i.nics.map((n) => n.mac).join(',') },
  'nic.ips': { value: (i) => i.nics.map((n) => n.ip).join(',') },
  'nic.modes': { value: (i) => i.nics.map((n) => n.mode).join(',') },
  'nic.links': { value: (i) => i.nics.map((n) => n.link).join(',') },
  'disk.sizes': { value: (i) => i.disks.join(',') },
  ctime: { value: (i) => dateTime(i.ctime) },
  mtime: { value: (i) => dateTime(i.mtime) },
  network_port: { value: () => '-' },
};

/** What a list command prints: the rows, and a warning for fields Ganeti does not know. */
export interface Table {
  rows: string[][];
  unknown: string[];
}

export function table<T>(
  fields: Record<string, Field<T>>,
  requested: readonly string[],
  rows: readonly T[],
  cluster: SimCluster,
  nodeOf: (row: T) => SimNode | undefined,
): Table {
  const unknown = requested.filter((f) => !(f in fields));
  return {
    unknown,
    rows: rows.map((row) => {
      const node = nodeOf(row);
      return requested.map((name) => {
        const field = fields[name];
        if (!field) return '?';
        if (field.live && node?.offline) return '*';
        if (field.live && isSilent(node)) return '?';
        return String(field.value(row, cluster));
      });
    }),
  };
}

/**
 * The rows as Ganeti prints them: joined by the separator, or, without one, in columns padded
 * with spaces (numbers to the right).
 */
export function formatRows(rows: readonly string[][], separator: string | null): string {
  if (rows.length === 0) return '';
  if (separator !== null) return rows.map((r) => r.join(separator)).join('\n') + '\n';
  const widths = (rows[0] ?? []).map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)));
  const numeric = widths.map((_, col) => rows.every((r) => /^\d+$/.test(r[col] ?? '')));
  return (
    rows
      .map((r) =>
        r
          .map((cell, col) =>
            numeric[col]
              ? cell.padStart(widths[col] ?? 0)
              : col === r.length - 1
                ? cell
                : cell.padEnd(widths[col] ?? 0),
          )
          .join(' ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
