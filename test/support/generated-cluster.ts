/**
 * A large Ganeti cluster as the bot reads it: the stdout of `gnt-node list` and `gnt-instance
 * list` with `--no-headers --separator=| -o` and the fields of NODE_HEALTH_FIELDS, NODE_LIST_FIELDS
 * and INSTANCE_LIST_FIELDS (src/cluster/argv.ts). Value forms follow the output captured from the
 * lab (test/fixtures/gnt-node_list.*.txt, gnt-instance_list.*.txt): MiB as plain numbers, `Y`/`N`
 * flags, role letters, `?` for live fields of a node Ganeti cannot reach, `*` for an offline one,
 * names in Ganeti's sorted order. Unlike the lab (diskless instances), most instances are DRBD with
 * one secondary. Pure and deterministic: the same options give the same text.
 */

export interface GeneratedClusterOptions {
  nodes: number;
  instances: number;
  /** Default 1. The placement and states depend only on the seed and the two counts. */
  seed?: number;
  /** Default `example.org`. */
  domain?: string;
  /** Nodes (full names) Ganeti cannot reach: `?` in live fields, their primaries `ERROR_nodedown`. */
  unreachable?: readonly string[];
  /** Nodes marked offline: `*` in live fields, their primaries `ERROR_nodeoffline`. */
  offline?: readonly string[];
  /** Nodes marked drained (role D, no longer a master candidate). */
  drained?: readonly string[];
}

export interface GeneratedCluster {
  master: string;
  nodeNames: string[];
  instanceNames: string[];
  /** stdout of `gnt-node list … -o` NODE_HEALTH_FIELDS (the monitor's poll). */
  nodeHealth: string;
  /** stdout of `gnt-node list … -o` NODE_LIST_FIELDS (`/ganeti nodes`). */
  nodeList: string;
  /** stdout of `gnt-instance list … -o` INSTANCE_LIST_FIELDS (`/ganeti instances`, the poll). */
  instanceList: string;
}

/** Ganeti's default candidate_pool_size: the master and nine more master candidates. */
const CANDIDATES = 10;
const PREFIXES = ['app', 'cache', 'db', 'web'] as const;
const MEMORY_MIB = [512, 1024, 1024, 2048, 2048, 4096, 8192] as const;
/** Node memory sizes (MiB free to Ganeti on 256 and 512 GiB machines); a node gets one that fits. */
const NODE_MEMORY_MIB = [257_842, 515_701, 1_031_413] as const;
/** Volume group sizes (MiB), likewise. */
const NODE_DISK_MIB = [3_814_392, 7_628_784, 15_257_568] as const;
const TAGS = ['env:prod', 'env:staging', 'owner:team-web', 'owner:team-data', 'backup:daily'] as const;

/** mulberry32: a small seeded generator, enough for test data. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** `node001.example.org`: at least three digits, more when the cluster needs them. */
export function nodeName(n: number, total: number, domain = 'example.org'): string {
  return `node${pad(n, Math.max(3, String(total).length))}.${domain}`;
}

interface Instance {
  name: string;
  pnode: number;
  snode: number | null;
  template: 'drbd' | 'plain' | 'diskless';
  /** What the admin asked for and whether it runs (before the node's own state is applied). */
  intent: 'running' | 'ADMIN_down' | 'ERROR_down';
  memory: number;
  vcpus: number;
  diskMiB: number;
  tags: string[];
}

function makeInstances(count: number, nodes: number, domain: string, rnd: () => number): Instance[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const perPrefix = PREFIXES.map(() => 0);
  const drafts = Array.from({ length: count }, () => {
    const prefix = Math.floor(rnd() * PREFIXES.length);
    perPrefix[prefix] = (perPrefix[prefix] ?? 0) + 1;
    return { prefix, n: perPrefix[prefix] ?? 0 };
  });
  const width = Math.max(4, String(Math.max(...perPrefix)).length);
  const instances = drafts.map(({ prefix, n }): Instance => {
    const pnode = 1 + Math.floor(rnd() * nodes);
    const t = rnd();
    const template = nodes < 2 || t >= 0.95 ? 'diskless' : t >= 0.8 ? 'plain' : 'drbd';
    const offset = 1 + Math.floor(rnd() * Math.max(1, nodes - 1));
    const s = rnd();
    const tagged = rnd() < 0.3;
    return {
      name: `${PREFIXES[prefix] ?? 'vm'}${pad(n, width)}.${domain}`,
      pnode,
      snode: template === 'drbd' ? ((pnode - 1 + offset) % nodes) + 1 : null,
      template,
      intent: s < 0.9 ? 'running' : s < 0.98 ? 'ADMIN_down' : 'ERROR_down',
      memory: pick(MEMORY_MIB),
      vcpus: pick([1, 1, 2, 2, 4, 8]),
      diskMiB: template === 'diskless' ? 0 : 10_240 * (1 + Math.floor(rnd() * 5)),
      tags: tagged ? [pick(TAGS.slice(0, 2)), pick(TAGS.slice(2))] : [],
    };
  });
  // Ganeti lists instances sorted by name.
  return instances.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Builds the three list outputs of one cluster. */
export function generateCluster(options: GeneratedClusterOptions): GeneratedCluster {
  const domain = options.domain ?? 'example.org';
  const rnd = random(options.seed ?? 1);
  const count = options.nodes;
  const nodeNames = Array.from({ length: count }, (_, i) => nodeName(i + 1, count, domain));
  const nodeSpecs = nodeNames.map((name, i) => ({
    name,
    ip: `10.${16 + Math.floor(i / 250)}.0.${(i % 250) + 1}`,
    size: i % 4 === 3 ? 1 : 0,
    mnode: 1_900 + Math.floor(rnd() * 2_300),
    bootid: uuid(rnd),
  }));
  const instances = makeInstances(options.instances, count, domain, rnd);
  const state = (name: string) =>
    options.offline?.includes(name) ? 'offline' : options.unreachable?.includes(name) ? 'unreachable' : 'ok';

  const primaries = nodeNames.map((): Instance[] => []);
  const secondaries = nodeNames.map((): Instance[] => []);
  for (const i of instances) {
    primaries[i.pnode - 1]?.push(i);
    if (i.snode !== null) secondaries[i.snode - 1]?.push(i);
  }

  const instanceLines = instances.map((i) => {
    const pnode = nodeNames[i.pnode - 1] ?? '';
    const nodeState = state(pnode);
    const [status, oper] =
      nodeState === 'offline'
        ? ['ERROR_nodeoffline', '?']
        : nodeState === 'unreachable'
          ? ['ERROR_nodedown', '?']
          : [i.intent, i.intent === 'running' ? 'Y' : 'N'];
    const snodes = i.snode === null ? '' : (nodeNames[i.snode - 1] ?? '');
    const admin = i.intent === 'ADMIN_down' ? 'down' : 'up';
    return [i.name, pnode, snodes, status, oper, admin, i.template, i.memory, i.vcpus, i.tags.join(',')];
  });

  const healthLines: Array<Array<string | number>> = [];
  const listLines: Array<Array<string | number>> = [];
  nodeSpecs.forEach((spec, index) => {
    const s = state(spec.name);
    const drained = options.drained?.includes(spec.name) ?? false;
    const master = index === 0;
    const candidate = !drained && s !== 'offline' && (master || index < CANDIDATES);
    const role = master ? 'M' : s === 'offline' ? 'O' : drained ? 'D' : candidate ? 'C' : 'R';
    const flags = [s === 'offline' ? 'Y' : 'N', drained ? 'Y' : 'N', candidate ? 'Y' : 'N', role];
    const pinst = primaries[index] ?? [];
    const sinst = secondaries[index] ?? [];
    const used = pinst.filter((i) => i.intent === 'running').reduce((sum, i) => sum + i.memory, 0);
    const disk = [...pinst, ...sinst].reduce((sum, i) => sum + i.diskMiB, 0);
    // Ganeti starts nothing without the memory for it: the node is big enough for what runs there.
    const mtotal =
      NODE_MEMORY_MIB.slice(spec.size).find((m) => m >= spec.mnode + used) ??
      spec.mnode + used + NODE_MEMORY_MIB[0];
    const mfree = mtotal - spec.mnode - used;
    const dtotal = NODE_DISK_MIB.find((d) => d >= disk) ?? disk + NODE_DISK_MIB[0];
    const dfree = dtotal - disk;
    const mark = s === 'offline' ? '*' : '?';
    const live = (...values: number[]) => (s === 'ok' ? values : values.map(() => mark));
    healthLines.push([
      spec.name,
      spec.ip,
      ...flags,
      ...live(mtotal, mfree, dtotal, dfree),
      s === 'ok' ? spec.bootid : mark,
      pinst.map((i) => i.name).join(','),
      sinst.map((i) => i.name).join(','),
    ]);
    listLines.push([
      spec.name,
      ...live(mtotal, spec.mnode, mfree, dtotal, dfree),
      pinst.length,
      sinst.length,
      ...flags,
    ]);
  });

  const text = (lines: ReadonlyArray<ReadonlyArray<string | number>>) =>
    lines.map((l) => l.join('|')).join('\n') + '\n';
  return {
    master: nodeNames[0] ?? '',
    nodeNames,
    instanceNames: instances.map((i) => i.name),
    nodeHealth: text(healthLines),
    nodeList: text(listLines),
    instanceList: text(instanceLines),
  };
}

/** A boot id in the form Ganeti prints (`ff07ca66-0e98-4e72-bda4-d1981bbe6ef8`). */
function uuid(rnd: () => number): string {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(rnd() * 4)] ?? '8'}${hex(3)}-${hex(12)}`;
}
