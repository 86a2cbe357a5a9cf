import { LIST, list, ok, usage, type SimContext, type SimResult } from './command-context.js';
import { makeUuid, seeded } from './create-cluster.js';
import type { table } from './fields.js';
import type { SimCluster, SimInstance, SimNetwork, SimOs, SimSettings } from './model.js';
import { parseOptions } from './options.js';

/** The most frequent value, or `fallback` when there is none. */
function commonest(values: readonly string[], fallback: string): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = fallback;
  let most = 0;
  for (const [v, n] of counts)
    if (n > most) {
      best = v;
      most = n;
    }
  return best;
}

/** `debootstrap+default` → debootstrap with variant default; the instances' OSes plus `noop`. */
function osDefinitions(instances: readonly SimInstance[]): SimOs[] {
  const byName = new Map<string, Set<string>>([['noop', new Set()]]);
  for (const i of instances) {
    const [name = '', variant] = i.os.split('+', 2);
    const variants = byName.get(name) ?? new Set<string>();
    if (variant !== undefined) variants.add(variant);
    byName.set(name, variants);
  }
  return [...byName]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, variants]) => ({ name, variants: [...variants].sort() }));
}

/** A seed from a string, so the same cluster always gets the same UUID. */
export const seedOf = (text: string): number =>
  [...text].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7);

/**
 * What a cluster shaped like this one is set up with, read from its instances: their hypervisor
 * and NIC parameters are the defaults; a cluster with `plain` or `drbd` disks has a volume group
 * and enables both (the generated clusters, create-cluster.ts); one with only diskless instances
 * enables diskless (the lab of test/fixtures/README.md, whose `file` the simulator does not model).
 */
function deriveSettings(c: SimCluster): SimSettings {
  const lvm = c.instances.some((i) => i.diskTemplate === 'drbd' || i.diskTemplate === 'plain');
  const nics = c.instances.flatMap((i) => i.nics);
  const [modes, links] = [nics.map((n) => n.mode), nics.map((n) => n.link)];
  const hypervisors = c.instances.map((i) => i.hypervisor);
  const firstCreated = c.instances.reduce((t, i) => Math.min(t, i.ctime), Date.UTC(2026, 10, 24) / 1000);
  return {
    uuid: makeUuid(seeded(seedOf(c.name))),
    created: firstCreated - 3_600,
    hypervisors: [commonest(hypervisors, 'kvm')],
    diskTemplates: lvm ? ['drbd', 'plain', 'diskless'] : ['diskless'],
    volumeGroup: lvm ? 'xenvg' : null,
    iallocator: 'hail',
    nicMode: commonest(modes, 'bridged'),
    nicLink: commonest(links, 'br0'),
    // Ganeti's defaults (test/fixtures/gnt-cluster_info.txt, "Default instance parameters").
    memory: 128,
    vcpus: 1,
    oses: osDefinitions(c.instances),
    networks: [],
  };
}

/**
 * The cluster's settings: `c.settings`, or derived from the cluster the first time and kept, so
 * they do not change as instances come and go.
 */
export function clusterSettings(c: SimCluster): SimSettings {
  c.settings ??= deriveSettings(c);
  return c.settings;
}

/** The names `gnt-os list` prints: `name+variant` for each variant, else the name. */
export const osNames = (s: SimSettings): string[] =>
  s.oses.flatMap((os) => (os.variants.length === 0 ? [os.name] : os.variants.map((v) => `${os.name}+${v}`)));

/** `gnt-os list [--no-headers]`: one valid OS a line (test/fixtures/gnt-os_list.no-headers.txt). */
export function gntOs({ c }: SimContext, sub: string, args: readonly string[]): SimResult {
  if (sub !== 'list') return usage('gnt-os', sub);
  const o = parseOptions(args, { flags: ['--no-headers'] });
  const names = osNames(clusterSettings(c));
  return ok([...(o.flags.has('--no-headers') ? [] : ['Name']), ...names].map((n) => `${n}\n`).join(''));
}

const dash = (v: string | null) => v ?? '-';

const NETWORK_FIELDS: Parameters<typeof table<SimNetwork>>[0] = {
  name: { value: (n) => n.name },
  network: { value: (n) => n.subnet },
  gateway: { value: (n) => dash(n.gateway) },
  network6: { value: () => '-' },
  gateway6: { value: () => '-' },
  mac_prefix: { value: () => '-' },
  group_list: { value: (n) => `default (${n.mode}, ${n.link}, )` },
  tags: { value: () => '' },
};

/** `gnt-network list` with the fields the bot asks for (test/fixtures/gnt-network_list.fields.txt). */
export function gntNetwork(ctx: SimContext, sub: string, args: readonly string[]): SimResult {
  if (sub !== 'list') return usage('gnt-network', sub);
  const networks = clusterSettings(ctx.c).networks;
  return list(
    ctx,
    parseOptions(args, LIST),
    NETWORK_FIELDS,
    networks,
    () => undefined,
    (name) => networks.find((n) => n.name === name),
    'Network',
  );
}

/** The instance policy's bounds, as the lab's `gnt-cluster info` prints them (test/fixtures/gnt-cluster_info.txt). */
export const INSTANCE_BOUNDS = {
  min: {
    'cpu-count': 1,
    'disk-count': 1,
    'disk-size': 1024,
    'memory-size': 128,
    'nic-count': 1,
    'spindle-use': 1,
  },
  max: {
    'cpu-count': 8,
    'disk-count': 16,
    'disk-size': 1_048_576,
    'memory-size': 32_768,
    'nic-count': 8,
    'spindle-use': 12,
  },
} as const;
