import { UserError } from '../../core/errors.js';
import type { InstanceInfo } from '../types.js';
import { listLines, parseOptionalCount, splitCommaList, splitFields } from './split-fields.js';

/**
 * One instance's facts as a list query (`gnt-instance list … -o FIELDS -- NAME`) instead of
 * `gnt-instance info`, which runs a Ganeti job: about 0.3 s instead of 1.5 s through the query
 * helper on the lab (docs/performance.md). What `/ganeti info` shows; hypervisor parameters, which
 * only the console needs, come from `gnt-instance info`.
 */
export const INSTANCE_FACTS_FIELDS = [
  'name',
  'uuid',
  'admin_state',
  'oper_state',
  'pnode',
  'snodes',
  'os',
  'hypervisor',
  'disk_template',
  'be/maxmem',
  'be/vcpus',
  'nic.macs',
  'nic.ips',
  'nic.modes',
  'nic.links',
  'disk.sizes',
  'ctime',
  'mtime',
  'network_port',
] as const;

const COMMAND = 'gnt-instance list';

/** `Y` up, `N` down; `?`/`*` when the primary node did not answer or is offline. */
function actualState(value: string): string {
  if (value === 'Y') return 'up';
  if (value === 'N') return 'down';
  return 'unknown';
}

/** Ganeti prints `-` (and `None` in lists) for a value that is not set. */
const orNull = (value: string | undefined): string | null =>
  value === undefined || value === '' || value === '-' || value === 'None' ? null : value;

/** MiB as `gnt-instance info` shows disk sizes: `1.0G`, `512M`. */
function sizeText(mib: string): string | null {
  if (!/^\d+$/.test(mib)) return null;
  const n = Number(mib);
  return n >= 1024 ? `${(n / 1024).toFixed(1)}G` : `${n}M`;
}

/**
 * Parses the output for {@link INSTANCE_FACTS_FIELDS}: the line of the instance asked for.
 * @throws UserError `not_found` when there is none.
 * @throws Error on a line with the wrong number of fields.
 */
export function parseInstanceFacts(stdout: string, requestedName: string): InstanceInfo {
  const rows = listLines(stdout).map(({ lineNo, line }) =>
    splitFields(COMMAND, INSTANCE_FACTS_FIELDS, lineNo, line),
  );
  const f = rows.find((r) => r.name === requestedName) ?? rows[0];
  if (!f)
    throw new UserError('not_found', `Instance ${requestedName} was not found on the cluster.`, {
      hint: 'Check the name with `/ganeti instances`.',
    });
  const list = (field: (typeof INSTANCE_FACTS_FIELDS)[number]) => splitCommaList(f[field]);
  const [macs, ips, modes, links] = [list('nic.macs'), list('nic.ips'), list('nic.modes'), list('nic.links')];
  return {
    name: f.name,
    uuid: orNull(f.uuid),
    state: { configured: f.admin_state, actual: actualState(f.oper_state) },
    primaryNode: orNull(f.pnode),
    secondaryNodes: list('snodes'),
    os: orNull(f.os),
    hypervisor: orNull(f.hypervisor),
    diskTemplate: orNull(f.disk_template),
    memoryMiB: parseOptionalCount(COMMAND, 'be/maxmem', f['be/maxmem']),
    vcpus: parseOptionalCount(COMMAND, 'be/vcpus', f['be/vcpus']),
    nics: macs.map((mac, i) => ({
      mac: orNull(mac),
      ip: orNull(ips[i]),
      mode: orNull(modes[i]),
      link: orNull(links[i]),
    })),
    disks: list('disk.sizes').map((mib, i) => ({ name: `disk/${i}`, size: sizeText(mib) })),
    createdAt: orNull(f.ctime),
    modifiedAt: orNull(f.mtime),
    networkPort: orNull(f.network_port),
    hypervisorParams: {},
  };
}
