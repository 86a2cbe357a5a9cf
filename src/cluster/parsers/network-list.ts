import { listLines, splitFields } from './split-fields.js';

/** Fields for `gnt-network list --no-headers --separator='|' -o …`, in the order the parser expects. */
export const NETWORK_LIST_FIELDS = ['name', 'network', 'gateway'] as const;

const COMMAND = 'gnt-network list';

/** Ganeti prints `-` for a network added without `--gateway`. */
const NO_GATEWAY = '-';

/** A Ganeti network (`gnt-network add`), which an instance's NIC can be connected to. */
export interface GanetiNetwork {
  name: string;
  /** The IPv4 subnet in CIDR form, e.g. `10.99.0.0/24` (Ganeti's `network` field). */
  subnet: string;
  /** null when the network has none. */
  gateway: string | null;
}

/**
 * Parses `gnt-network list --no-headers --separator='|' -o` {@link NETWORK_LIST_FIELDS}.
 * No output means the cluster has no networks.
 * @throws Error on a line with the wrong number of fields or without a name or subnet.
 */
export function parseNetworkList(stdout: string): GanetiNetwork[] {
  return listLines(stdout).map(({ lineNo, line }) => {
    const f = splitFields(COMMAND, NETWORK_LIST_FIELDS, lineNo, line);
    if (f.name === '' || f.network === '') {
      throw new Error(`${COMMAND}: line ${lineNo} has no name or no subnet: ${JSON.stringify(line)}`);
    }
    return {
      name: f.name,
      subnet: f.network,
      gateway: f.gateway === NO_GATEWAY || f.gateway === '' ? null : f.gateway,
    };
  });
}
