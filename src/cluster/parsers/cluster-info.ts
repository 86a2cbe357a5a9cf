import { infoGet, infoValue, parseGenericInfo } from './generic-info.js';
import type { InfoNode } from './generic-info.js';

const COMMAND = 'gnt-cluster info';

/** What `/ganeti create` needs to know of the cluster's settings (`gnt-cluster info`). */
export interface ClusterSettings {
  name: string;
  master: string;
  /** `Enabled hypervisors`, e.g. `['fake']` or `['kvm', 'xen-pvm']`. */
  enabledHypervisors: string[];
  /** `enabled disk templates` (under `Cluster parameters`), e.g. `['diskless', 'file']`. */
  enabledDiskTemplates: string[];
  /** `default instance allocator` (`hail`); null when none is set. */
  defaultIallocator: string | null;
  /** The default NIC's `mode` (`bridged`, `routed`, `openvswitch`); null when empty. */
  nicMode: string | null;
  /** The default NIC's `link` (a bridge, or a routing table for `routed`); null when empty. */
  nicLink: string | null;
}

/** `diskless, file` → `['diskless', 'file']`; empty or `None` → none. */
function commaList(node: InfoNode | undefined): string[] {
  const text = infoValue(node);
  if (text === null) return [];
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * Parses `gnt-cluster info` (Ganeti's indented `key: value` text, read with
 * {@link parseGenericInfo}). Empty values and `None` give null.
 * @throws Error naming the line that is missing when there is no `Cluster name:`, `Master node:`
 * or `enabled disk templates:` line (the output is not a cluster description).
 */
export function parseClusterInfo(stdout: string): ClusterSettings {
  const info = parseGenericInfo(stdout);
  const params = infoGet(info, 'Cluster parameters');
  const nic = infoGet(infoGet(info, 'Default nic parameters'), 'default');
  const required = (node: InfoNode | undefined, line: string): string => {
    const value = infoValue(node);
    if (value === null) {
      throw new Error(`${COMMAND}: no "${line}:" line in ${JSON.stringify(stdout.slice(0, 200))}`);
    }
    return value;
  };
  const name = required(infoGet(info, 'Cluster name'), 'Cluster name');
  const master = required(infoGet(info, 'Master node'), 'Master node');
  const templates = infoGet(params, 'enabled disk templates');
  required(templates, 'enabled disk templates');
  return {
    name,
    master,
    enabledHypervisors: commaList(infoGet(info, 'Enabled hypervisors')),
    enabledDiskTemplates: commaList(templates),
    defaultIallocator: infoValue(infoGet(params, 'default instance allocator')),
    nicMode: infoValue(infoGet(nic, 'mode')),
    nicLink: infoValue(infoGet(nic, 'link')),
  };
}
