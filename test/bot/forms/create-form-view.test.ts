import type { AnyBlock, InputBlock, ModalView } from '@slack/types';
import { describe, expect, it } from 'vitest';
import {
  CALLBACK_CREATE,
  encodeMetadata,
  errorsForBlocks,
  readCreateForm,
  renderCreateForm,
  type CreateFormMetadata,
} from '../../../src/bot/forms/create-form-view.js';
import { parseClusterInfo } from '../../../src/cluster/parsers/cluster-info.js';
import { parseInstanceList } from '../../../src/cluster/parsers/instance-list.js';
import { parseNetworkList } from '../../../src/cluster/parsers/network-list.js';
import { parseNodeList } from '../../../src/cluster/parsers/node-list.js';
import { parseOsList } from '../../../src/cluster/parsers/os-list.js';
import { defaultTemplate, liveCreateFacts, type CreateFacts } from '../../../src/commands/new-instance.js';
import type { CreateFormResult } from '../../../src/commands/results.js';
import { VIEW_MAX_BLOCKS, checkBlocks, checkModal } from '../../../src/demo/slack/block-kit-limits.js';
import { readFixture } from '../../support/fixtures.js';

const CHANNEL = 'C0OPS';

/** The form the create command offers for the lab cluster, read from its captured output. */
function labForm(
  options: {
    nodes?: string;
    networks?: string;
    project?: CreateFormResult['project'];
  } = {},
): CreateFormResult {
  const settings = parseClusterInfo(readFixture('gnt-cluster_info.txt'));
  const facts = liveCreateFacts(
    {
      nodes: parseNodeList(readFixture(options.nodes ?? 'gnt-node_list.fields.txt')),
      instances: parseInstanceList(readFixture('gnt-instance_list.fields.txt')),
    },
    {
      settings,
      oses: parseOsList(readFixture('gnt-os_list.no-headers.txt')),
      networks: parseNetworkList(readFixture(options.networks ?? 'gnt-network_list.fields.txt')),
    },
  );
  return {
    kind: 'create-form',
    cluster: settings.name,
    facts,
    defaults: {
      os: facts.oses.length === 1 ? (facts.oses[0] ?? null) : null,
      template: defaultTemplate(facts.templates),
    },
    project: options.project ?? null,
  };
}

const inputs = (view: ModalView) => view.blocks.filter((b: AnyBlock): b is InputBlock => b.type === 'input');
const inputFor = (view: ModalView, id: string) => inputs(view).find((b) => b.block_id === id);
const optionValues = (block: InputBlock | undefined) =>
  block?.element.type === 'static_select' ? (block.element.options ?? []).map((o) => o.value) : undefined;
const initialValue = (block: InputBlock | undefined) =>
  block?.element.type === 'static_select' ? block.element.initial_option?.value : undefined;
const plain = (value: unknown) => JSON.stringify(value);

describe('the create form for the lab cluster', () => {
  const result = labForm();
  const view = renderCreateForm(result, CHANNEL);

  it('is a modal the fake Slack accepts: its blocks and its own limits', () => {
    expect(checkBlocks(view.blocks, VIEW_MAX_BLOCKS, '/view/blocks')).toEqual([]);
    expect(checkModal(view as unknown as Record<string, unknown>)).toEqual([]);
    expect(view.callback_id).toBe(CALLBACK_CREATE);
    expect(view.submit?.text).toBe('Request');
  });

  it('preselects the lab’s only OS and its first enabled template', () => {
    expect(result.facts.oses).toEqual(['noop']);
    expect(result.facts.templates).toEqual(['diskless', 'file']);
    expect(optionValues(inputFor(view, 'os'))).toEqual(['noop']);
    expect(initialValue(inputFor(view, 'os'))).toBe('noop');
    expect(optionValues(inputFor(view, 'template'))).toEqual(['diskless', 'file']);
    expect(initialValue(inputFor(view, 'template'))).toBe('diskless');
  });

  it('offers the cluster’s networks, preselecting none', () => {
    const network = inputFor(view, 'network');
    expect(optionValues(network)).toEqual(['lab-net1', 'lab-net2']);
    expect(initialValue(network)).toBeUndefined();
    expect(network?.optional).toBe(true);
  });

  it('has no network select for a cluster without networks', () => {
    const bare = renderCreateForm(labForm({ networks: 'gnt-network_list.fields.empty.txt' }), CHANNEL);
    expect(inputFor(bare, 'network')).toBeUndefined();
    expect(inputFor(bare, 'ip')).toBeDefined();
  });

  it('says an IP is needed on the lab’s routed NICs', () => {
    expect(result.facts.nicMode).toBe('routed');
    expect(inputFor(view, 'ip')?.hint?.text).toMatch(/routed/);
  });

  it('names the cluster and shows the most free memory on a node', () => {
    expect(plain(view.blocks[0])).toContain('cluster.ganeti.test');
    expect(inputFor(view, 'memory')?.hint?.text).toContain('The most free on a node: 22.5G');
  });

  it('lets anyone with a role set tags', () => {
    expect(inputFor(view, 'tags')).toBeDefined();
  });

  it('offers every node of a healthy cluster as primary and secondary, with its free memory', () => {
    const primary = inputFor(view, 'primary');
    expect(optionValues(primary)).toEqual(['node1.ganeti.test', 'node2.ganeti.test', 'node3.ganeti.test']);
    expect(optionValues(inputFor(view, 'secondary'))).toEqual(optionValues(primary));
    const first = primary?.element.type === 'static_select' ? primary.element.options?.[0] : undefined;
    expect(first?.text.text).toBe('node1.ganeti.test · 22.5G free');
  });

  it('keeps where to post, the cluster, the facts and the project in its metadata', () => {
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({
      channel: CHANNEL,
      cluster: 'cluster.ganeti.test',
      facts: result.facts,
      project: null,
    });
  });
});

describe('the create form, by who asks and what the cluster has', () => {
  it('leaves out a node marked offline', () => {
    const result = labForm({ nodes: 'gnt-node_list.fields.node3-offline.txt' });
    expect(result.facts.nodes.find((n) => n.name === 'node3.ganeti.test')?.problem).toMatch(/offline/);
    const view = renderCreateForm(result, CHANNEL);
    expect(optionValues(inputFor(view, 'primary'))).toEqual(['node1.ganeti.test', 'node2.ganeti.test']);
    expect(optionValues(inputFor(view, 'secondary'))).toEqual(['node1.ganeti.test', 'node2.ganeti.test']);
    expect(inputFor(view, 'memory')?.hint?.text).toContain('The most free on a node: 22.8G');
  });

  it('has no tags input for a project member, and names the project and the tag it gets', () => {
    const project = { name: 'web', tags: ['project:web'], patterns: [] };
    const view = renderCreateForm(labForm({ project }), CHANNEL);
    expect(inputFor(view, 'tags')).toBeUndefined();
    const context = plain(view.blocks[0]);
    expect(context).toContain('project *web*');
    expect(context).toContain('`project:web`');
    expect(inputFor(view, 'name')?.hint?.text).toBe('The full name');
    expect(JSON.parse(view.private_metadata ?? '')).toMatchObject({ project });
  });

  it('tells a member of a project without a tag which names it may use', () => {
    const view = renderCreateForm(
      labForm({ project: { name: 'web', tags: [], patterns: ['web*'] } }),
      CHANNEL,
    );
    expect(inputFor(view, 'name')?.hint?.text).toBe('Named web*');
    expect(plain(view.blocks[0])).not.toContain('(tag');
  });
});

describe('encodeMetadata', () => {
  const meta = (instances: string[]): CreateFormMetadata & { facts: CreateFacts } => {
    const { facts, cluster } = labForm();
    return { channel: CHANNEL, cluster, facts: { ...facts, instances }, project: null };
  };

  it('keeps everything when it fits', () => {
    const small = meta(['inst1.ganeti.test']);
    expect(JSON.parse(encodeMetadata(small))).toEqual(small);
  });

  it('drops the instance names first to stay within Slack’s 3000 characters, keeping the nodes', () => {
    const many = meta(
      Array.from({ length: 300 }, (_, i) => `instance-${i}-with-a-rather-long-name.ganeti.test`),
    );
    expect(JSON.stringify(many).length).toBeGreaterThan(3000);
    const encoded = encodeMetadata(many);
    expect(encoded.length).toBeLessThanOrEqual(3000);
    const decoded = JSON.parse(encoded) as CreateFormMetadata;
    expect(decoded.facts?.instances).toEqual([]);
    expect(decoded.facts?.nodes).toEqual(many.facts.nodes);
    expect(decoded.facts?.oses).toEqual(['noop']);
    expect(decoded.channel).toBe(CHANNEL);
  });

  it('drops the nodes too when they alone are too many', () => {
    const base = meta([]);
    const nodes = Array.from({ length: 60 }, (_, i) => ({
      name: `node${i}.a-long-domain-name.ganeti.test`,
      memoryFreeMiB: 23001,
      diskFreeMiB: 80902,
      problem: null,
    }));
    const encoded = encodeMetadata({ ...base, facts: { ...base.facts, nodes } });
    expect(encoded.length).toBeLessThanOrEqual(3000);
    expect((JSON.parse(encoded) as CreateFormMetadata).facts?.nodes).toEqual([]);
  });

  it('keeps no facts when even the OS names alone are too long: the worker checks then', () => {
    const base = meta([]);
    const oses = Array.from({ length: 120 }, (_, i) => `debootstrap+variant-number-${i}`);
    const encoded = encodeMetadata({ ...base, facts: { ...base.facts, oses } });
    expect(encoded.length).toBeLessThanOrEqual(3000);
    expect((JSON.parse(encoded) as CreateFormMetadata).facts).toBeNull();
  });
});

describe('readCreateForm', () => {
  it('reads picked options and typed text, trimmed, leaving out blank fields', () => {
    const input = readCreateForm({
      values: {
        name: { value: { value: '  web5.ganeti.test ' } },
        os: { value: { selected_option: { value: 'noop' } } },
        template: { value: { selected_option: { value: 'diskless' } } },
        memory: { value: { value: '2G' } },
        vcpus: { value: { value: '   ' } },
        disk: { value: { value: null } },
        network: { value: { selected_option: null } },
        ip: { value: { value: '10.99.0.30' } },
        primary: { value: { selected_option: { value: 'node1.ganeti.test' } } },
      },
    });
    expect(input).toEqual({
      name: 'web5.ganeti.test',
      os: 'noop',
      template: 'diskless',
      memory: '2G',
      ip: '10.99.0.30',
      primary: 'node1.ganeti.test',
    });
  });

  it('gives an empty name when the name was not typed', () => {
    expect(readCreateForm({ values: {} })).toEqual({ name: '' });
  });
});

describe('errorsForBlocks', () => {
  const blocks = [{ block_id: 'name' }, { block_id: 'memory' }, {}];

  it('keeps an error under its own field, without backticks (Slack shows them as they are)', () => {
    expect(errorsForBlocks({ memory: '`64G` is too much.' }, blocks)).toEqual({ memory: '64G is too much.' });
  });

  it('puts the error of a field the form lacks under the name, after the name’s own', () => {
    expect(
      errorsForBlocks({ name: 'An instance `web5` already exists.', tags: '`a*b` is not a tag.' }, blocks),
    ).toEqual({ name: 'An instance web5 already exists. a*b is not a tag.' });
  });

  it('reports under the name when the form has no block for the field at all', () => {
    expect(errorsForBlocks({ secondary: 'Pick the primary node too.' }, [])).toEqual({
      name: 'Pick the primary node too.',
    });
  });
});

describe('a cluster the form cannot offer anything on', () => {
  it('says in the form that there is no OS definition, instead of an empty select Slack refuses', () => {
    const form = labForm();
    const view = renderCreateForm({ ...form, facts: { ...form.facts, oses: [] } }, CHANNEL);
    expect(view.callback_id).toBeUndefined();
    expect(JSON.stringify(view.blocks)).toContain(
      'has no OS definition, so no instance can be created there',
    );
    expect(checkBlocks(view.blocks, VIEW_MAX_BLOCKS, '/view/blocks')).toEqual([]);
  });

  it('says so when no disk template is enabled', () => {
    const form = labForm();
    const view = renderCreateForm({ ...form, facts: { ...form.facts, templates: [] } }, CHANNEL);
    expect(JSON.stringify(view.blocks)).toContain('enables no disk template');
  });
});
