import { UserError } from '../../core/errors.js';
import type { InstanceInfo } from '../types.js';
import { infoGet, infoItems, infoText, infoValue, parseGenericInfo } from './generic-info.js';
import type { InfoNode } from './generic-info.js';

/** A parameter inherited from the cluster prints as `default (VALUE)`; this gives VALUE. */
function effective(text: string): string {
  const match = /^default \((.*)\)$/.exec(text);
  return match?.[1] ?? text;
}

function paramNumber(params: InfoNode | undefined, key: string): number | null {
  const text = infoValue(infoGet(params, key));
  if (text === null) return null;
  const value = effective(text);
  return /^\d+$/.test(value) ? Number(value) : null;
}

/** Flattens a parameter dictionary to effective values; nested dictionaries get `outer/inner` keys. */
function flattenParams(node: InfoNode | undefined, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  if (node?.kind !== 'map') return out;
  for (const entry of node.entries) {
    const key = prefix + entry.key;
    if (entry.value.kind === 'map') Object.assign(out, flattenParams(entry.value, `${key}/`));
    else out[key] = effective(infoText(entry.value) ?? '');
  }
  return out;
}

/** `configured to be up, actual state is down`; the actual part is missing with `--static`. */
function parseState(text: string | null): InstanceInfo['state'] {
  const match = /^configured to be (.+?)(?:, actual state is (.+))?$/.exec(text ?? '');
  if (match === null) return null;
  return { configured: match[1] ?? '', actual: match[2] ?? 'unknown' };
}

/** `node2 (group default, group UUID …), node3 (group default, group UUID …)` → node names. */
function parseSecondaries(text: string | null): string[] {
  return [...(text ?? '').matchAll(/(\S+) \(group [^)]*\)/g)].map((match) => match[1] ?? '');
}

/** The first entry of a disk or NIC block: `disk/0: plain, size 1.0G` or `nic/0:`. */
function header(item: InfoNode): { key: string; text: string } {
  const first = item.kind === 'map' ? item.entries[0] : undefined;
  return { key: first?.key ?? '', text: first === undefined ? '' : (infoText(first.value) ?? '') };
}

/**
 * Parses `gnt-instance info NAME` (the first instance, if several were asked for). Values
 * inherited from the cluster (`default (256)`) are given as the effective value; `None` as null.
 * A state without the actual part (`--static`) gives `actual: 'unknown'`.
 * @throws UserError `not_found` when Ganeti printed nothing (or `No instances.`).
 * @throws Error when the output is not an instance description.
 */
export function parseInstanceInfo(stdout: string, requestedName?: string): InstanceInfo {
  const trimmed = stdout.trim();
  if (trimmed === '' || trimmed === 'No instances.') {
    const what = requestedName === undefined ? 'The instance' : `Instance ${requestedName}`;
    throw new UserError('not_found', `${what} was not found on the cluster.`, {
      hint: 'Check the name with `gnt-instance list`.',
    });
  }
  const [instance] = infoItems(parseGenericInfo(stdout));
  const name = infoValue(infoGet(instance, 'Instance name'));
  if (name === null) {
    throw new Error(
      `gnt-instance info: output is not an instance description: ${JSON.stringify(trimmed.slice(0, 200))}`,
    );
  }
  const nodes = infoItems(infoGet(instance, 'Nodes'));
  const primary = nodes.find((item) => infoGet(item, 'primary') !== undefined);
  const secondaries = nodes.find((item) => infoGet(item, 'secondaries') !== undefined);
  const backend = infoGet(instance, 'Back-end parameters');
  return {
    name,
    uuid: infoValue(infoGet(instance, 'UUID')),
    state: parseState(infoValue(infoGet(instance, 'State'))),
    primaryNode: infoValue(infoGet(primary, 'primary')),
    secondaryNodes: parseSecondaries(infoValue(infoGet(secondaries, 'secondaries'))),
    os: infoValue(infoGet(instance, 'Operating system')),
    hypervisor: infoValue(infoGet(instance, 'Hypervisor')),
    diskTemplate: infoValue(infoGet(instance, 'Disk template')),
    memoryMiB: paramNumber(backend, 'maxmem') ?? paramNumber(backend, 'memory'),
    vcpus: paramNumber(backend, 'vcpus'),
    nics: infoItems(infoGet(instance, 'NICs')).map((nic) => ({
      mac: infoValue(infoGet(nic, 'MAC')),
      ip: infoValue(infoGet(nic, 'IP')),
      mode: infoValue(infoGet(nic, 'mode')),
      link: infoValue(infoGet(nic, 'link')),
    })),
    disks: infoItems(infoGet(instance, 'Disks')).map((disk) => {
      const { key, text } = header(disk);
      return { name: key, size: /size (\S+)/.exec(text)?.[1] ?? null };
    }),
    createdAt: infoValue(infoGet(instance, 'Creation time')),
    modifiedAt: infoValue(infoGet(instance, 'Modification time')),
    networkPort: infoValue(infoGet(instance, 'Allocated network port')),
    hypervisorParams: flattenParams(infoGet(instance, 'Hypervisor parameters')),
  };
}
