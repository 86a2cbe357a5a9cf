import type { SimCluster, SimInstance, SimNode } from './model.js';

/** How big a simulated cluster is; the same options always give the same cluster. */
export interface SimClusterOptions {
  /** Default 4. */
  nodes?: number;
  /** Default 60. */
  instances?: number;
  /** Default 1. */
  seed?: number;
  /** Default `example.org`. */
  domain?: string;
}

/** Ganeti's default candidate_pool_size: the master and nine more master candidates. */
const CANDIDATES = 10;
const PREFIXES = ['app', 'cache', 'db', 'web'] as const;
const MEMORY_MIB = [512, 1024, 1024, 2048, 2048, 4096, 8192] as const;
const TAGS = ['env:prod', 'env:staging', 'owner:team-web', 'owner:team-data', 'backup:daily'] as const;
/** 2026-11-24 00:00:00 UTC, seconds: when the simulated instances were created. */
const CREATED = 1_795_478_400;

/** mulberry32: a small seeded generator, enough for made-up data. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A UUID in the form Ganeti prints, from the generator. */
export function makeUuid(rnd: () => number): string {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(rnd() * 4)] ?? '8'}${hex(3)}-${hex(12)}`;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * A cluster of any size: KVM instances, most of them DRBD with a secondary on another node,
 * about one in ten stopped by its admin, every node big enough for what it runs.
 */
export function createSimCluster(options: SimClusterOptions = {}): SimCluster {
  const count = options.nodes ?? 4;
  const total = options.instances ?? 60;
  const domain = options.domain ?? 'example.org';
  const rnd = seeded(options.seed ?? 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const width = Math.max(3, String(count).length);
  const nodes: SimNode[] = Array.from({ length: count }, (_, i) => ({
    name: `node${pad(i + 1, width)}.${domain}`,
    uuid: makeUuid(rnd),
    ip: `10.${16 + Math.floor(i / 250)}.0.${(i % 250) + 1}`,
    role: i === 0 ? 'master' : i < CANDIDATES ? 'candidate' : 'regular',
    offline: false,
    drained: false,
    mtotal: 0,
    mnode: 1_900 + Math.floor(rnd() * 2_300),
    mfreeIdle: 0,
    dtotal: 0,
    dfreeIdle: 0,
    cpus: 32,
    bootId: makeUuid(rnd),
    fault: null,
  }));
  const perPrefix = PREFIXES.map(() => 0);
  const drafts = Array.from({ length: total }, () => {
    const prefix = Math.floor(rnd() * PREFIXES.length);
    perPrefix[prefix] = (perPrefix[prefix] ?? 0) + 1;
    return { prefix, n: perPrefix[prefix] ?? 0 };
  });
  const nameWidth = Math.max(4, String(Math.max(0, ...perPrefix)).length);
  const instances = drafts.map(({ prefix, n }, index): SimInstance => {
    const p = Math.floor(rnd() * count);
    const drbd = count > 1 && rnd() < 0.9;
    const s = (p + 1 + Math.floor(rnd() * Math.max(1, count - 1))) % count;
    const up = rnd() < 0.92;
    const disk = 10_240 * (1 + Math.floor(rnd() * 5));
    const tagged = rnd() < 0.3;
    const octets = [Math.floor(index / 65_536) % 256, Math.floor(index / 256) % 256, index % 256];
    return {
      name: `${PREFIXES[prefix] ?? 'vm'}${pad(n, nameWidth)}.${domain}`,
      uuid: makeUuid(rnd),
      pnode: nodes[p]?.name ?? '',
      snode: drbd ? (nodes[s]?.name ?? null) : null,
      adminUp: up,
      running: up,
      os: 'debootstrap+default',
      hypervisor: 'kvm',
      diskTemplate: drbd ? 'drbd' : 'plain',
      memory: pick(MEMORY_MIB),
      vcpus: pick([1, 1, 2, 2, 4, 8]),
      disks: [disk],
      nics: [
        {
          mac: `aa:00:00:${octets.map((o) => o.toString(16).padStart(2, '0')).join(':')}`,
          ip: `10.${32 + (octets[0] ?? 0)}.${octets[1] ?? 0}.${octets[2] ?? 0}`,
          mode: 'bridged',
          link: 'br0',
        },
      ],
      tags: tagged ? [pick(TAGS.slice(0, 2)), pick(TAGS.slice(2))].sort() : [],
      ctime: CREATED + index * 60,
      mtime: CREATED + index * 60 + 1,
      serial: 1,
    };
  });
  // Every node gets room for what it holds, with a node's worth of headroom for a failover.
  for (const node of nodes) {
    const mem = instances.filter((i) => i.pnode === node.name).reduce((sum, i) => sum + i.memory, 0);
    const disk = instances
      .filter((i) => i.pnode === node.name || i.snode === node.name)
      .reduce((sum, i) => sum + (i.disks[0] ?? 0), 0);
    node.mtotal =
      [257_842, 515_701, 1_031_413].find((m) => m >= node.mnode + mem * 2) ?? node.mnode + mem * 2;
    node.mfreeIdle = node.mtotal - node.mnode;
    node.dtotal = [3_814_392, 7_628_784, 15_257_568].find((d) => d >= disk * 2) ?? disk * 2;
    node.dfreeIdle = node.dtotal;
  }
  return {
    name: `cluster.${domain}`,
    domain,
    groupUuid: makeUuid(rnd),
    nodes,
    instances: instances.sort(byName),
    jobs: [],
    nextJobId: 1,
  };
}

const LAB_NODES: Array<[string, string]> = [
  ['node1', '0ffdadeb-315d-4e62-a8cd-981beed3ee71'],
  ['node2', '588f7640-c092-43f2-8301-1a2b1a7b424b'],
  ['node3', '4bd35252-4f84-446c-9718-1b6e795d638d'],
];

/**
 * The lab's cluster as captured in test/fixtures (test/fixtures/README.md): three nodes, node1
 * the master, diskless instances inst1-inst4 on the `fake` hypervisor (which uses no node memory),
 * inst4 stopped.
 */
export function createLabCluster(): SimCluster {
  const domain = 'ganeti.test';
  const nodes: SimNode[] = LAB_NODES.map(([short, uuid], i) => ({
    name: `${short}.${domain}`,
    uuid,
    ip: `198.51.100.${11 + i}`,
    role: i === 0 ? 'master' : 'candidate',
    offline: false,
    drained: false,
    mtotal: 24_105,
    mnode: 335,
    mfreeIdle: 23_001,
    dtotal: 258_019,
    dfreeIdle: 80_902,
    cpus: 2,
    bootId: 'ff07ca66-0e98-4e72-bda4-d1981bbe6ef8',
    fault: null,
  }));
  const rnd = seeded(11);
  const created = Date.UTC(2026, 11, 2, 1, 24, 4) / 1000;
  const instances = [1, 2, 3, 4].map((n): SimInstance => ({
    name: `inst${n}.${domain}`,
    uuid: n === 1 ? '14a0f848-edf3-4686-b33b-488085388caa' : makeUuid(rnd),
    pnode: `node${n === 4 ? 1 : n}.${domain}`,
    snode: null,
    adminUp: n !== 4,
    running: n !== 4,
    os: 'noop',
    hypervisor: 'fake',
    diskTemplate: 'diskless',
    memory: 256,
    vcpus: 1,
    disks: [],
    nics: [
      {
        mac: n === 1 ? 'aa:00:00:4f:0d:ce' : `aa:00:00:${pad(n * 17, 2)}:${pad(n * 5, 2)}:0${n}`,
        ip: `198.51.100.${100 + n}`,
        mode: 'routed',
        link: '100',
      },
    ],
    tags: [],
    ctime: created + (n - 1) * 3,
    mtime: created + (n - 1) * 3 + 1,
    serial: 2,
  }));
  return {
    name: `cluster.${domain}`,
    domain,
    groupUuid: '9f28b1b2-cbe4-4cac-a469-72d52c00f9f4',
    nodes,
    instances,
    jobs: [],
    nextJobId: 1,
  };
}
