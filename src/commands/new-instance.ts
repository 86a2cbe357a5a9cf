import type { InstanceSpec } from '../cluster/actions.js';
import type { CreateOptions } from '../cluster/ganeti-client.js';
import { EXTERNALLY_MIRRORED, targetProblem, type ClusterState } from './prechecks.js';
import { ganetiNameProblem } from './names.js';

/**
 * A new instance as asked for (the create form's fields or `/ganeti create`'s words), checked
 * against what the cluster has. One pure function serves both: the bot checks a form against
 * the facts it read when the form opened (Slack wants its answer within 3 s), the worker checks
 * again against fresh facts before anything runs.
 */
export interface NewInstanceInput {
  name: string;
  os?: string | undefined;
  template?: string | undefined;
  memory?: string | undefined;
  vcpus?: string | undefined;
  disk?: string | undefined;
  network?: string | undefined;
  ip?: string | undefined;
  primary?: string | undefined;
  secondary?: string | undefined;
  tags?: string | undefined;
}

export type NewInstanceField = keyof NewInstanceInput;

/** What the checks know of the cluster. */
export interface CreateFacts {
  /** Full names of the instances there are (empty when not known: the worker checks again). */
  instances: readonly string[];
  nodes: ReadonlyArray<{
    name: string;
    memoryFreeMiB: number | null;
    diskFreeMiB: number | null;
    /** Why it takes no new instance (offline, drained, not answering), or null. */
    problem: string | null;
  }>;
  oses: readonly string[];
  templates: readonly string[];
  networks: readonly string[];
  /** The cluster's default NIC mode: `routed` needs an IP when no network is given. */
  nicMode: string | null;
}

/** Tags a project member's instance must carry, and the names it may have (`web*`). */
export interface CreateScope {
  project: string;
  tags: readonly string[];
  patterns: readonly string[];
  /** Whether a name fits the project's patterns. */
  nameFits: (name: string) => boolean;
}

export const CREATE_DEFAULTS = { memory: '1G', vcpus: '1', disk: '10G' } as const;
const MAX_MEMORY_MIB = 4 * 1024 * 1024;
const MAX_DISK_MIB = 64 * 1024 * 1024;
const MAX_VCPUS = 256;
/** As many as contrib/ganeti-chatops-ssh-command lets through. */
const MAX_TAGS = 16;
/** Ganeti's tag characters, less `*`, which nobody needs in a tag the bot sets; no leading `-`. */
export const TAG = /^[A-Za-z0-9_.+/:@][A-Za-z0-9_.+/:@-]{0,127}$/;
export const OS = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$/;
export const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** `512M`, `1G`, `1.5g`, `2T`, or a plain number of MiB, as MiB; null when it is none of those. */
export function parseSizeMiB(text: string): number | null {
  const m = /^(\d{1,9}(?:\.\d{1,3})?)\s*([mgt]i?b?)?$/i.exec(text.trim());
  if (!m) return null;
  const unit = (m[2] ?? 'm')[0]?.toLowerCase();
  const factor = unit === 't' ? 1024 * 1024 : unit === 'g' ? 1024 : 1;
  const mib = Math.round(Number(m[1]) * factor);
  return mib > 0 ? mib : null;
}

/** `1536` → `1.5G`; `512` → `512M`. */
export function formatMiB(mib: number): string {
  if (mib >= 1024 * 1024 && mib % ((1024 * 1024) / 4) === 0) return `${mib / 1024 / 1024}T`;
  if (mib >= 1024 && mib % 256 === 0) return `${mib / 1024}G`;
  return `${mib}M`;
}

/** A free amount, to a tenth of a GiB: `23001` → `22.5G`. */
export function roughMiB(mib: number): string {
  return mib >= 1024 ? `${(mib / 1024).toFixed(1).replace(/\.0$/, '')}G` : `${mib}M`;
}

/** Ganeti's templates with a second node (DTS_INT_MIRROR). */
const MIRRORED = new Set(['drbd']);
/** Templates whose disk is on the node's own storage, counted in its free disk. */
const LOCAL_DISK = new Set(['plain', 'drbd']);

export type CheckOutcome =
  | { ok: true; spec: InstanceSpec; name: string; notes: string[] }
  | { ok: false; errors: Partial<Record<NewInstanceField, string>> };

const short = (name: string) => name.split('.')[0] ?? name;

/** The default template: DRBD where it is enabled (the mission's clusters), else the first one. */
export function defaultTemplate(templates: readonly string[]): string | null {
  return templates.includes('drbd') ? 'drbd' : (templates[0] ?? null);
}

/**
 * Every problem with the request, per field, in words a person can act on; or the spec to run.
 * `notes` say what was checked, for the approval card.
 */
export function checkNewInstance(
  input: NewInstanceInput,
  facts: CreateFacts,
  scope: CreateScope | null,
): CheckOutcome {
  const errors: Partial<Record<NewInstanceField, string>> = {};
  const notes: string[] = [];
  const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());

  const name = input.name.trim().toLowerCase().replace(/\.$/, '');
  const nameProblem = ganetiNameProblem(name);
  if (nameProblem)
    errors.name = `\`${input.name.slice(0, 80)}\` is not a valid instance name: it ${nameProblem}.`;
  else if (facts.instances.includes(name)) errors.name = `An instance \`${name}\` already exists.`;
  else {
    const twin = facts.instances.find((i) => short(i) === short(name));
    if (twin) errors.name = `\`${twin}\` already has the short name \`${short(name)}\`; pick another name.`;
    else if (scope && scope.tags.length === 0 && !scope.nameFits(name))
      errors.name = `Instances of project ${scope.project} are named ${scope.patterns.map((p) => `\`${p}\``).join(' or ')}.`;
  }

  const os = blank(input.os) ?? (facts.oses.length === 1 ? facts.oses[0] : undefined);
  if (os === undefined)
    errors.os =
      facts.oses.length === 0 ? 'The cluster has no OS definition.' : `Pick an OS: ${facts.oses.join(', ')}.`;
  else if (!OS.test(os) || !facts.oses.includes(os))
    errors.os = `\`${os.slice(0, 64)}\` is not an OS of this cluster (${facts.oses.join(', ') || 'none'}).`;

  const template = blank(input.template) ?? defaultTemplate(facts.templates) ?? undefined;
  if (template === undefined) errors.template = 'The cluster enables no disk template.';
  else if (!facts.templates.includes(template))
    errors.template = `\`${template.slice(0, 20)}\` is not enabled on this cluster (${facts.templates.join(', ')}).`;

  const memoryMb = parseSizeMiB(blank(input.memory) ?? CREATE_DEFAULTS.memory);
  if (memoryMb === null || memoryMb > MAX_MEMORY_MIB)
    errors.memory = `\`${(input.memory ?? '').slice(0, 20)}\` is not a memory size: write e.g. \`512M\` or \`4G\`.`;
  const vcpusText = blank(input.vcpus) ?? CREATE_DEFAULTS.vcpus;
  const vcpus = /^\d{1,3}$/.test(vcpusText) ? Number(vcpusText) : NaN;
  if (!(vcpus >= 1 && vcpus <= MAX_VCPUS))
    errors.vcpus = `vCPUs must be a whole number from 1 to ${MAX_VCPUS}.`;

  let diskMb: number | null = null;
  if (template !== undefined && template !== 'diskless') {
    diskMb = parseSizeMiB(blank(input.disk) ?? CREATE_DEFAULTS.disk);
    if (diskMb === null || diskMb > MAX_DISK_MIB)
      errors.disk = `\`${(input.disk ?? '').slice(0, 20)}\` is not a disk size: write e.g. \`20G\`.`;
  }

  const network = blank(input.network);
  if (network !== undefined && !facts.networks.includes(network))
    errors.network = `\`${network.slice(0, 64)}\` is not a network of this cluster (${facts.networks.join(', ') || 'it has none'}).`;
  const ip = blank(input.ip);
  if (ip !== undefined && !IPV4.test(ip)) errors.ip = `\`${ip.slice(0, 40)}\` is not an IPv4 address.`;
  else if (ip === undefined && network === undefined && facts.nicMode === 'routed')
    errors.ip = 'The cluster’s NICs are routed: give the instance an IP address (or pick a network).';

  const tags = (blank(input.tags) ?? '').split(/[\s,]+/).filter((t) => t !== '');
  const badTag = tags.find((t) => !TAG.test(t));
  if (badTag !== undefined)
    errors.tags = `\`${badTag.slice(0, 40)}\` is not a Ganeti tag (letters, digits and \`_.+/:@-\`, at most 128).`;
  const allTags = [...new Set([...tags, ...(scope?.tags ?? [])])];
  if (badTag === undefined && allTags.length > MAX_TAGS) errors.tags = `At most ${MAX_TAGS} tags.`;

  const placement = checkPlacement(input, facts, template, memoryMb, diskMb, errors, notes);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  if (scope)
    notes.push(
      `for project ${scope.project}${scope.tags.length ? ` (tag ${scope.tags.map((t) => `\`${t}\``).join(', ')})` : ''}`,
    );
  return {
    ok: true,
    name,
    notes,
    spec: {
      os: os as string,
      template: template as string,
      memoryMb: memoryMb as number,
      vcpus,
      diskMb,
      network: network ?? null,
      ip: ip ?? null,
      placement,
      tags: allTags,
    },
  };
}

/** The nodes: named ones must be able to take the instance; else some node must have room. */
function checkPlacement(
  input: NewInstanceInput,
  facts: CreateFacts,
  template: string | undefined,
  memoryMb: number | null,
  diskMb: number | null,
  errors: Partial<Record<NewInstanceField, string>>,
  notes: string[],
): InstanceSpec['placement'] {
  const primary = input.primary?.trim() || undefined;
  const secondary = input.secondary?.trim() || undefined;
  const mirrored = template !== undefined && MIRRORED.has(template);
  const localDisk = template !== undefined && LOCAL_DISK.has(template);
  const roomFor = (n: CreateFacts['nodes'][number]) => {
    if (n.problem) return n.problem;
    if (memoryMb !== null && n.memoryFreeMiB !== null && n.memoryFreeMiB < memoryMb)
      return `\`${n.name}\` has ${roughMiB(n.memoryFreeMiB)} of memory free`;
    if (localDisk && diskMb !== null && n.diskFreeMiB !== null && n.diskFreeMiB < diskMb)
      return `\`${n.name}\` has ${roughMiB(n.diskFreeMiB)} of disk free`;
    return null;
  };
  const node = (field: 'primary' | 'secondary', name: string) => {
    const found = facts.nodes.find((n) => n.name === name || short(n.name) === name);
    if (!found) errors[field] = `\`${name.slice(0, 80)}\` is not a node of this cluster.`;
    else {
      const problem = roomFor(found);
      if (problem) errors[field] = `${problem}.`;
    }
    return found?.name ?? name;
  };

  if (primary === undefined) {
    if (secondary !== undefined)
      errors.secondary = 'Pick the primary node too, or leave both to the allocator.';
    const fits = facts.nodes.filter((n) => roomFor(n) === null);
    if (memoryMb !== null && facts.nodes.length > 0 && fits.length < (mirrored ? 2 : 1)) {
      const most = Math.max(0, ...facts.nodes.filter((n) => !n.problem).map((n) => n.memoryFreeMiB ?? 0));
      errors.memory = `No node has room for ${formatMiB(memoryMb)}${mirrored ? ' (DRBD needs two nodes)' : ''}: the most memory free on a usable node is ${roughMiB(most)}.`;
    } else if (memoryMb !== null)
      notes.push(`${fits.length} node(s) have room for ${formatMiB(memoryMb)}; the allocator (hail) picks`);
    return null;
  }
  const p = node('primary', primary);
  if (!mirrored) {
    if (secondary !== undefined)
      errors.secondary = `A \`${template ?? '?'}\` instance has no secondary node${template && EXTERNALLY_MIRRORED.has(template) ? ' (its disks are not on the nodes)' : ''}.`;
    if (!errors.primary) notes.push(`\`${p}\` has room for it`);
    return { primary: p, secondary: null };
  }
  if (secondary === undefined) {
    errors.secondary = 'A DRBD instance needs a secondary node too (or leave both to the allocator).';
    return null;
  }
  const s = node('secondary', secondary);
  if (s === p) errors.secondary = 'The secondary must be another node than the primary.';
  if (!errors.primary && !errors.secondary) notes.push(`\`${p}\` and \`${s}\` have room for it`);
  return { primary: p, secondary: s };
}

/** The facts, read from the cluster: nodes that take no instance say why. */
export function liveCreateFacts(state: ClusterState, options: CreateOptions): CreateFacts {
  return {
    instances: state.instances.map((i) => i.name),
    nodes: state.nodes.map((n) => ({
      name: n.name,
      memoryFreeMiB: n.memoryFreeMiB,
      diskFreeMiB: n.diskFreeMiB,
      problem: targetProblem(n),
    })),
    oses: options.oses,
    templates: options.settings.enabledDiskTemplates,
    // Network names go into an argv checked like node names: others are not offered.
    networks: options.networks.map((n) => n.name).filter((n) => ganetiNameProblem(n) === null),
    nicMode: options.settings.nicMode,
  };
}
