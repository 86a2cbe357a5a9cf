import { listLines, splitFields } from './split-fields.js';

/** Fields for `gnt-node list --no-headers --separator='|' -o name,uuid`. */
export const NODE_UUID_FIELDS = ['name', 'uuid'] as const;

/**
 * Parses `gnt-node list --no-headers --separator='|' -o name,uuid` into a map from node UUID to
 * node name, for output that names nodes by UUID (the hooks lines of `gnt-cluster verify`).
 * @throws Error on a line with the wrong number of fields.
 */
export function parseNodeUuids(stdout: string): Map<string, string> {
  const byUuid = new Map<string, string>();
  for (const { lineNo, line } of listLines(stdout)) {
    const f = splitFields('gnt-node list', NODE_UUID_FIELDS, lineNo, line);
    byUuid.set(f.uuid, f.name);
  }
  return byUuid;
}
