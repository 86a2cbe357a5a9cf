/**
 * What `gnt-instance add`'s job checks about its nodes and resources, in the order and with the
 * texts of Ganeti 3.0's `LUInstanceCreate.CheckPrereq` and the helpers it calls
 * (`CheckNodeFreeMemory`, `CheckNodesFreeDiskPerVG`, `ComputeIPolicySpecViolation`, `ValidateOS`).
 */
import { INSTANCE_BOUNDS, osNames } from './cluster-facts.js';
import { nodeDiskFree, nodeMemoryFree } from './fields.js';
import { prereq, rpcError, silentNode, type Failure } from './job-checks.js';
import { isSilent, type SimCluster, type SimNode, type SimSettings } from './model.js';

/** What the new instance asks for; MiB. */
export interface Needs {
  name: string;
  template: string;
  os: string;
  memory: number;
  vcpus: number;
  diskMb: number | null;
}

export interface Placement {
  pnode: SimNode;
  snode: SimNode | null;
}

/** DRBD is the one internally mirrored template the simulator models: it needs a secondary. */
export const isMirrored = (template: string): boolean => template === 'drbd';
export const isLvm = (template: string): boolean => template === 'drbd' || template === 'plain';

/** Disk a node needs in the volume group: DRBD adds 128 MiB of metadata (Ganeti's DRBD_META_SIZE). */
const diskNeed = (n: Needs) =>
  n.diskMb === null || !isLvm(n.template) ? 0 : n.diskMb + (isMirrored(n.template) ? 128 : 0);

const execError = (message: string): Failure => ({ kind: 'OpExecError', message, type: '' });

export const isFailure = (x: object): x is Failure => 'kind' in x && 'message' in x;

/**
 * Where hail puts a new instance: the usable node with the most free memory that fits it, and for
 * DRBD the next such node as its secondary. Offline and drained nodes are left out; a node that
 * does not answer stops the allocator (it cannot read the cluster).
 */
export function hail(c: SimCluster, n: Needs): Placement | Failure {
  const silent = c.nodes.find((x) => !x.offline && isSilent(x));
  if (silent) return silentNode(silent);
  const disk = diskNeed(n);
  // Free memory and disk once per node: a large cluster has many pairs to try.
  const mem = new Map(c.nodes.map((x) => [x, nodeMemoryFree(c, x)]));
  const dsk = new Map(c.nodes.map((x) => [x, nodeDiskFree(c, x)]));
  const free = (m: Map<SimNode, number>, x: SimNode) => m.get(x) ?? 0;
  const usable = c.nodes
    .filter((x) => !x.offline && !x.drained)
    .sort((a, b) => free(mem, b) - free(mem, a) || free(dsk, b) - free(dsk, a));
  const fits = (x: SimNode) => free(dsk, x) >= disk;
  const failures = { FailMem: 0, FailDisk: 0 };
  for (const p of usable)
    for (const s of isMirrored(n.template) ? usable.filter((x) => x !== p) : [null]) {
      if (free(mem, p) < n.memory) failures.FailMem += 1;
      else if (!fits(p) || (s !== null && !fits(s))) failures.FailDisk += 1;
      else return { pnode: p, snode: s };
    }
  const reasons = Object.entries(failures)
    .filter(([, count]) => count > 0)
    .map(([mode, count]) => `${mode}: ${count}`)
    .join(', ');
  return prereq(
    'insufficient_resources',
    "Can't compute nodes using iallocator 'hail': Request failed: Group default (preferred): " +
      `No valid allocation solutions, failure reasons: ${reasons || 'unknown reasons'}`,
  );
}

/** The primary must be online and not drained. */
export function primaryProblem(p: SimNode): Failure | null {
  if (p.offline) return prereq('wrong_state', `Cannot use offline primary node '${p.name}'`);
  if (p.drained) return prereq('wrong_state', `Cannot use drained primary node '${p.name}'`);
  return null;
}

/** DRBD's secondary: another node than the primary, online, not drained. */
export function secondaryProblem(p: SimNode, s: SimNode | null): Failure | null {
  if (s === null) return null;
  if (s === p) return prereq('wrong_input', 'The secondary node cannot be the primary node');
  if (s.offline) return prereq('wrong_state', `Can't use offline node: ${s.name}`);
  if (s.drained) return prereq('wrong_state', `Can't use drained node ${s.name}`);
  return null;
}

/** The instance policy (`gnt-cluster info`): each spec out of its bounds. */
function policyViolations(n: Needs): string[] {
  type Spec = [keyof typeof INSTANCE_BOUNDS.min, number];
  const disk: Spec[] =
    n.diskMb === null
      ? []
      : [
          ['disk-size', n.diskMb],
          ['disk-count', 1],
        ];
  const specs: Spec[] = [
    ['memory-size', n.memory],
    ['cpu-count', n.vcpus],
    ['nic-count', 1],
    ['spindle-use', 1],
    ...disk,
  ];
  return specs.flatMap(([spec, value]) => {
    const [min, max] = [INSTANCE_BOUNDS.min[spec], INSTANCE_BOUNDS.max[spec]];
    const name = spec === 'disk-size' ? 'disk-size/0' : spec;
    return value < min || value > max ? [`${name} value ${value} is not in range [${min}, ${max}]`] : [];
  });
}

/** Why the OS cannot be installed (Ganeti's backend `ValidateOS`), or null. */
function osProblem(s: SimSettings, os: string): string | null {
  if (osNames(s).includes(os)) return null;
  const [name = '', variant] = os.split('+', 2);
  const def = s.oses.find((o) => o.name === name);
  if (!def) return `Directory for OS ${name} not found in search path`;
  if (def.variants.length === 0) return `OS '${name}' does not support variants ('${variant ?? ''}' passed)`;
  if (variant === undefined) return `OS name '${os}' must include a variant`;
  return `OS '${name}' does not support variant '${variant}'`;
}

/** Disk space, the instance policy, the nodes' answers, the OS, the primary's free memory. */
export function resourceProblem(c: SimCluster, s: SimSettings, n: Needs, at: Placement): Failure | null {
  const nodes = at.snode === null || !isMirrored(n.template) ? [at.pnode] : [at.pnode, at.snode];
  if (isLvm(n.template))
    for (const node of nodes) {
      if (isSilent(node))
        return prereq(
          'environment_error',
          `Cannot get current information from node ${node.name}: ${rpcError(node)}`,
        );
      const need = diskNeed(n);
      const free = nodeDiskFree(c, node);
      if (need > free)
        return prereq(
          'insufficient_resources',
          `Not enough disk space on target node ${node.name} vg ${s.volumeGroup ?? ''}: required ${need} MiB, available ${free} MiB`,
        );
    }
  const violations = policyViolations(n);
  if (violations.length > 0)
    return prereq(
      'wrong_input',
      `Instance allocation to group ${c.groupUuid} (default) violates policy: ${violations.join(', ')}`,
    );
  const silent = nodes.find((node) => isSilent(node));
  if (silent)
    return execError(`Hypervisor parameter validation failed on node ${silent.name}: ${rpcError(silent)}`);
  const os = osProblem(s, n.os);
  if (os !== null) return execError(`OS Parameters validation failed on node ${at.pnode.name}: ${os}`);
  const free = nodeMemoryFree(c, at.pnode);
  if (n.memory > free)
    return prereq(
      'insufficient_resources',
      `Not enough memory on node ${at.pnode.name} for creating instance ${n.name}: needed ${n.memory} MiB, available ${free} MiB`,
    );
  return null;
}
