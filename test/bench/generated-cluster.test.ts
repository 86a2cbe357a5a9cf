import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { INSTANCE_LIST_FIELDS, parseInstanceList } from '../../src/cluster/parsers/instance-list.js';
import { NODE_HEALTH_FIELDS, parseNodeHealthList } from '../../src/cluster/parsers/node-health-list.js';
import { NODE_LIST_FIELDS, parseNodeList } from '../../src/cluster/parsers/node-list.js';
import { generateCluster, nodeName } from '../support/generated-cluster.js';
import { readFixture, readFixtureRaw } from '../support/fixtures.js';

const N = (n: number) => nodeName(n, 6);
const SMALL = {
  nodes: 6,
  instances: 300,
  seed: 7,
  drained: [N(3)],
  unreachable: [N(4)],
  offline: [N(5)],
};
const small = generateCluster(SMALL);

/** The value forms a field takes, coarse enough that real and generated output can be compared. */
function form(value: string): string {
  if (value === '') return 'empty';
  if (value === 'Y' || value === 'N') return 'flag';
  if (/^[MCRDO]$/.test(value)) return 'role';
  if (value === '?' || value === '*') return value;
  if (/^\d+$/.test(value)) return 'count';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(value)) return 'ipv4';
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)) return 'uuid';
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+(,[a-z0-9-]+(\.[a-z0-9-]+)+)*$/.test(value)) return 'names';
  if (/^[a-z0-9-]+:[a-z0-9-]+(,[a-z0-9-]+:[a-z0-9-]+)*$/.test(value)) return 'tags';
  if (/^[A-Za-z_]+$/.test(value)) return 'word';
  return `other:${value}`;
}

/** Per field, every form seen in these lines. */
function forms(fields: readonly string[], text: string): Record<string, Set<string>> {
  const out = Object.fromEntries(fields.map((f) => [f, new Set<string>()]));
  for (const line of text.split('\n').filter(Boolean)) {
    const parts = line.split('|');
    expect(parts, line).toHaveLength(fields.length);
    parts.forEach((value, i) => out[fields[i] ?? '']?.add(form(value)));
  }
  return out;
}

const FIXTURES = readdirSync(fileURLToPath(new URL('../fixtures/', import.meta.url)));
const KINDS = [
  { name: 'node health', files: /^gnt-node_list\.health/, fields: NODE_HEALTH_FIELDS, key: 'nodeHealth' },
  { name: 'node list', files: /^gnt-node_list\.fields/, fields: NODE_LIST_FIELDS, key: 'nodeList' },
  {
    name: 'instance list',
    files: /^gnt-instance_list\.fields/,
    fields: INSTANCE_LIST_FIELDS,
    key: 'instanceList',
  },
] as const;
/** Forms the lab cannot show: its instances are diskless, so none has a secondary node. */
const NOT_IN_LAB: Record<string, string[]> = { snodes: ['names'], sinst_list: ['names'] };
/** And the other way round: with that many DRBD instances every node is someone's secondary. */
const ONLY_IN_LAB: Record<string, string[]> = { sinst_list: ['empty'] };

describe('generateCluster', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const again = generateCluster(SMALL);
    expect(again).toEqual(small);
    expect(generateCluster({ nodes: 6, instances: 300, seed: 8 }).instanceList).not.toBe(small.instanceList);
  });

  it('names nodes and instances like node001.example.org and web0001.example.org', () => {
    expect(small.nodeNames[0]).toBe('node001.example.org');
    expect(small.master).toBe('node001.example.org');
    expect(small.instanceNames.every((n) => /^(app|cache|db|web)\d{4}\.example\.org$/.test(n))).toBe(true);
    expect(generateCluster({ nodes: 1000, instances: 1 }).nodeNames[999]).toBe('node1000.example.org');
  });

  it('keeps placement and states when only node states change', () => {
    const healthy = generateCluster({ nodes: 6, instances: 300, seed: 7 });
    const strip = (text: string) => text.split('\n').map((l) => l.split('|').slice(0, 3).join('|'));
    expect(strip(healthy.instanceList)).toEqual(strip(small.instanceList));
  });

  for (const kind of KINDS) {
    it(`speaks the fixtures' command and line shape: ${kind.name}`, () => {
      const files = FIXTURES.filter((f) => kind.files.test(f));
      expect(files.length).toBeGreaterThan(0);
      const real = Object.fromEntries(kind.fields.map((f) => [f, new Set<string>()]));
      for (const file of files) {
        const command = readFixtureRaw(file).split('\n')[0] ?? '';
        expect(command.split(' -o ')[1], file).toBe(kind.fields.join(','));
        for (const [field, seen] of Object.entries(forms(kind.fields, readFixture(file))))
          for (const f of seen) real[field]?.add(f);
      }
      const generated = forms(kind.fields, small[kind.key]);
      for (const field of kind.fields) {
        const realForms = [...(real[field] ?? [])];
        const generatedForms = [...(generated[field] ?? [])];
        const allowed = [...realForms, ...(NOT_IN_LAB[field] ?? [])];
        expect(
          generatedForms.filter((f) => !allowed.includes(f)),
          `${field}: not in the lab`,
        ).toEqual([]);
        const expected = realForms.filter((f) => !(ONLY_IN_LAB[field] ?? []).includes(f));
        expect(
          expected.filter((f) => !generatedForms.includes(f)),
          `${field}: never generated`,
        ).toEqual([]);
      }
    });
  }

  it('parses with the real parsers and round-trips', () => {
    const health = parseNodeHealthList(small.nodeHealth);
    const nodes = parseNodeList(small.nodeList);
    const instances = parseInstanceList(small.instanceList);
    expect(health.map((n) => n.name)).toEqual(small.nodeNames);
    expect(nodes.map((n) => n.name)).toEqual(small.nodeNames);
    expect(instances.map((i) => i.name)).toEqual(small.instanceNames);
    expect(instances).toHaveLength(300);
    expect([...small.instanceNames].sort()).toEqual(small.instanceNames);

    for (const row of health) {
      const node = nodes.find((n) => n.name === row.name);
      const pinst = instances.filter((i) => i.primaryNode === row.name);
      const sinst = instances.filter((i) => i.secondaryNodes.includes(row.name));
      expect(row.primaryInstances).toEqual(pinst.map((i) => i.name));
      expect(row.secondaryInstances).toEqual(sinst.map((i) => i.name));
      expect(node?.primaryInstances).toBe(pinst.length);
      expect(node?.secondaryInstances).toBe(sinst.length);
      expect([node?.role, node?.offline, node?.drained, node?.masterCandidate]).toEqual([
        row.role,
        row.offline,
        row.drained,
        row.masterCandidate,
      ]);
      if (row.live !== 'ok') continue;
      const running = pinst.filter((i) => i.running).reduce((sum, i) => sum + (i.memoryMiB ?? 0), 0);
      expect(row.memoryFreeMiB).toBe((row.memoryTotalMiB ?? 0) - (node?.memoryNodeMiB ?? 0) - running);
      expect(node?.memoryFreeMiB).toBe(row.memoryFreeMiB);
    }

    for (const i of instances) {
      expect(small.nodeNames).toContain(i.primaryNode);
      if (i.diskTemplate === 'drbd') {
        expect(i.secondaryNodes).toHaveLength(1);
        expect(i.secondaryNodes[0]).not.toBe(i.primaryNode);
      } else expect(i.secondaryNodes).toEqual([]);
    }
  });

  it('has the node and instance states of a real cluster', () => {
    const health = parseNodeHealthList(small.nodeHealth);
    const instances = parseInstanceList(small.instanceList);
    const byName = new Map(health.map((n) => [n.name, n]));
    expect(health.map((n) => n.role)).toEqual([
      'master',
      'candidate',
      'drained',
      'candidate',
      'offline',
      'candidate',
    ]);
    expect(byName.get(N(4))?.live).toBe('unreachable');
    expect(byName.get(N(5))?.live).toBe('offline');
    // Four distinct boot ids, and null for the unreachable and the offline node.
    expect(new Set(health.map((n) => n.bootId)).size).toBe(5);
    const statuses = new Set(instances.map((i) => i.status));
    for (const s of ['running', 'ADMIN_down', 'ERROR_down', 'ERROR_nodedown', 'ERROR_nodeoffline'])
      expect(statuses, s).toContain(s);
    for (const i of instances) {
      if (i.primaryNode === N(4)) expect([i.status, i.running]).toEqual(['ERROR_nodedown', null]);
      else if (i.primaryNode === N(5)) expect([i.status, i.running]).toEqual(['ERROR_nodeoffline', null]);
      else {
        expect(i.running).toBe(i.status === 'running');
        expect(i.adminState).toBe(i.status === 'ADMIN_down' ? 'down' : 'up');
      }
    }
    expect(new Set(instances.map((i) => i.diskTemplate))).toEqual(new Set(['drbd', 'plain', 'diskless']));
    const tagged = instances.filter((i) => i.tags.length > 0);
    expect(tagged.length).toBeGreaterThan(30);
    expect(tagged.every((i) => i.tags.every((t) => /^[a-z]+:[a-z0-9-]+$/.test(t)))).toBe(true);
  });
});
