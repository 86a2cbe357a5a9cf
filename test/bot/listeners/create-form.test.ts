import type { ModalView } from '@slack/types';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createAuditLog } from '../../../src/audit/audit-log.js';
import { renderCreateForm } from '../../../src/bot/forms/create-form-view.js';
import {
  createCreateFormListener,
  formArgs,
  formCommandLine,
  type ViewAck,
  type ViewSubmissionArgs,
} from '../../../src/bot/listeners/create-form.js';
import { parseClusterInfo } from '../../../src/cluster/parsers/cluster-info.js';
import { parseInstanceList } from '../../../src/cluster/parsers/instance-list.js';
import { parseNetworkList } from '../../../src/cluster/parsers/network-list.js';
import { parseNodeList } from '../../../src/cluster/parsers/node-list.js';
import { parseOsList } from '../../../src/cluster/parsers/os-list.js';
import { allCommands } from '../../../src/commands/all-commands.js';
import type { AccessPolicy } from '../../../src/commands/authorize.js';
import { defaultTemplate, liveCreateFacts } from '../../../src/commands/new-instance.js';
import { createRegistry } from '../../../src/commands/registry.js';
import type { CreateFormResult } from '../../../src/commands/results.js';
import { UserError } from '../../../src/core/errors.js';
import { type ModalAnswers, viewSubmissionPayload } from '../../../src/demo/slack/slack-requests.js';
import { commandJobSchema, type CommandJob } from '../../../src/queue/payloads.js';
import { auditTrail } from '../../support/audit-trail.js';
import { captureLogger } from '../../support/capture-logger.js';
import { readFixture } from '../../support/fixtures.js';

const CHANNEL = 'C0OPS';
const OPERATOR = 'U0OPER';
const VIEWER = 'U0VIEWER';
const WEB = 'U0WEBDEV';
const PREFIX = `create-form-${process.pid}`;

const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.disconnect());
const trail = auditTrail(redis, PREFIX);

const policy = (projects: AccessPolicy['projects'] = []): AccessPolicy => ({
  admins: [],
  operators: [OPERATOR],
  viewers: ['*'],
  projects,
});
const webProject = (instances: { tags: string[]; patterns: string[] }) =>
  policy([{ name: 'web', members: [WEB], instances, actions: ['create'] }]);

/** The form as the create command offers it for the lab cluster (its captured output). */
function labForm(project: CreateFormResult['project'] = null): CreateFormResult {
  const settings = parseClusterInfo(readFixture('gnt-cluster_info.txt'));
  const facts = liveCreateFacts(
    {
      nodes: parseNodeList(readFixture('gnt-node_list.fields.txt')),
      instances: parseInstanceList(readFixture('gnt-instance_list.fields.txt')),
    },
    {
      settings,
      oses: parseOsList(readFixture('gnt-os_list.no-headers.txt')),
      networks: parseNetworkList(readFixture('gnt-network_list.fields.txt')),
    },
  );
  return {
    kind: 'create-form',
    cluster: settings.name,
    facts,
    defaults: { os: facts.oses[0] ?? null, template: defaultTemplate(facts.templates) },
    project,
  };
}

/** What a person fills in: the form's preselected OS and template, a routed NIC's IP. */
const VALID: ModalAnswers = {
  name: 'web5.ganeti.test',
  os: { selected: 'noop' },
  template: { selected: 'diskless' },
  memory: '2G',
  vcpus: '2',
  disk: '',
  ip: '10.99.0.30',
};

function setup(
  options: {
    policy?: AccessPolicy;
    enqueue?: (job: CommandJob) => Promise<void>;
  } = {},
) {
  const jobs: CommandJob[] = [];
  const acks: Array<ViewAck | undefined> = [];
  const updates: Array<{ viewId: string; view: ModalView }> = [];
  const listener = createCreateFormListener({
    registry: createRegistry(allCommands),
    queue: { enqueue: options.enqueue ?? (async (job) => void jobs.push(job)) },
    policy: options.policy ?? policy(),
    groups: { groupsOf: async () => [] },
    audit: createAuditLog({
      redis,
      prefix: PREFIX,
      maxEntries: 1000,
      logger: captureLogger('silent').logger,
    }),
    logger: captureLogger('silent').logger,
    updateView: async (viewId, view) => void updates.push({ viewId, view }),
  });
  /** Submits the form (rendered for `form`, as Slack sends it back) with `answers`. */
  const submit = async (
    user: string,
    answers: ModalAnswers,
    form: CreateFormResult = labForm(),
    tamper: (view: ModalView) => ModalView = (v) => v,
  ) => {
    const view = { ...tamper(renderCreateForm(form, CHANNEL)), id: 'V0FORM1' };
    const payload = viewSubmissionPayload({ user, view, answers }) as {
      view: ViewSubmissionArgs['view'];
    };
    await listener({
      ack: async (response) => void acks.push(response),
      body: { user: { id: user, name: user.toLowerCase() } },
      view: payload.view,
    });
    return acks.at(-1);
  };
  return { jobs, acks, updates, submit };
}

describe('a create form submission', () => {
  it('replaces the form with where the card appears and queues `create NAME` for the channel', async () => {
    const s = setup();
    const mark = await trail.mark();
    const ack = await s.submit(OPERATOR, { ...VALID, primary: { selected: 'node2.ganeti.test' } });

    expect(ack?.response_action).toBe('update');
    expect(JSON.stringify(ack)).toContain('web5.ganeti.test');
    expect(JSON.stringify(ack)).toContain(`<#${CHANNEL}>`);
    expect(s.acks).toHaveLength(1);
    expect(s.jobs).toHaveLength(1);
    const job = commandJobSchema.parse(s.jobs[0]);
    expect(job).toMatchObject({
      command: 'create',
      channelId: CHANNEL,
      userId: OPERATOR,
      responseUrl: null,
      grant: { via: 'role', role: 'operator' },
      args: {
        instance: 'web5.ganeti.test',
        os: 'noop',
        template: 'diskless',
        memory: '2G',
        vcpus: '2',
        ip: '10.99.0.30',
        node: 'node2.ganeti.test',
      },
    });
    expect(job.args).not.toHaveProperty('disk');
    expect(job.text.startsWith('create web5.ganeti.test ')).toBe(true);
    const audit = await trail.since(mark);
    expect(audit).toMatchObject([
      { event: 'requested', user: OPERATOR, channel: CHANNEL, command: 'create', target: 'web5.ganeti.test' },
    ]);
    expect(s.updates).toEqual([]);
  });

  it.each([
    [
      'a name that exists',
      { name: 'inst1.ganeti.test' },
      'name',
      'An instance inst1.ganeti.test already exists.',
    ],
    ['more memory than any node has free', { memory: '64G' }, 'memory', 'No node has room for 64G'],
    ['an IP that is none', { ip: '10.99.0.300' }, 'ip', '10.99.0.300 is not an IPv4 address.'],
  ])('shows %s under its field and queues nothing', async (_what, change, field, message) => {
    const s = setup();
    const ack = await s.submit(OPERATOR, { ...VALID, ...change });
    expect(ack?.response_action).toBe('errors');
    const errors = ack?.response_action === 'errors' ? ack.errors : {};
    expect(Object.keys(errors)).toEqual([field]);
    expect(errors[field]).toContain(message);
    expect(errors[field]).not.toContain('`');
    expect(s.jobs).toEqual([]);
  });

  it('asks for an IP when the routed cluster gets neither an IP nor a network', async () => {
    const s = setup();
    const ack = await s.submit(OPERATOR, { ...VALID, ip: '' });
    expect(ack).toEqual({
      response_action: 'errors',
      errors: { ip: 'The cluster’s NICs are routed: give the instance an IP address (or pick a network).' },
    });
    expect(s.jobs).toEqual([]);
  });

  it('refuses a viewer under the name, saying the operator role is needed, and audits it', async () => {
    const s = setup();
    const mark = await trail.mark();
    const ack = await s.submit(VIEWER, VALID);
    expect(ack?.response_action).toBe('errors');
    const errors = ack?.response_action === 'errors' ? ack.errors : {};
    expect(Object.keys(errors)).toEqual(['name']);
    expect(errors.name).toContain('create needs the operator role and you are a viewer');
    expect(s.jobs).toEqual([]);
    expect(await trail.since(mark)).toMatchObject([
      { event: 'refused', user: VIEWER, command: 'create', target: 'web5.ganeti.test' },
    ]);
  });

  it('queues a project member’s instance under the project, whose tag it gets', async () => {
    const s = setup({ policy: webProject({ tags: ['project:web'], patterns: [] }) });
    const form = labForm({ name: 'web', tags: ['project:web'], patterns: [] });
    const ack = await s.submit(WEB, { ...VALID, name: 'db7.ganeti.test' }, form);
    expect(ack?.response_action).toBe('update');
    expect(s.jobs).toHaveLength(1);
    expect(s.jobs[0]).toMatchObject({
      command: 'create',
      grant: { via: 'project', projects: ['web'] },
      args: { instance: 'db7.ganeti.test' },
    });
  });

  it('tells a member of a project without a tag which names its instances have', async () => {
    const s = setup({ policy: webProject({ tags: [], patterns: ['web*'] }) });
    const form = labForm({ name: 'web', tags: [], patterns: ['web*'] });
    const ack = await s.submit(WEB, { ...VALID, name: 'db7.ganeti.test' }, form);
    expect(ack).toEqual({
      response_action: 'errors',
      errors: { name: 'Instances of project web are named web*.' },
    });
    expect(s.jobs).toEqual([]);

    const fits = await s.submit(WEB, VALID, form);
    expect(fits?.response_action).toBe('update');
    expect(s.jobs).toHaveLength(1);
  });

  it.each([
    ['garbled', (v: ModalView) => ({ ...v, private_metadata: '{"channel":"C0OPS",' })],
    ['missing', (v: ModalView) => ({ ...v, private_metadata: '' })],
    [
      'pointed at a channel that is none',
      (v: ModalView) => ({
        ...v,
        private_metadata: JSON.stringify({ ...JSON.parse(v.private_metadata ?? ''), channel: 'ops; rm' }),
      }),
    ],
  ])('refuses a form whose metadata is %s, and queues nothing', async (_what, tamper) => {
    const s = setup();
    const ack = await s.submit(OPERATOR, VALID, labForm(), tamper);
    expect(ack).toEqual({
      response_action: 'errors',
      errors: { name: 'This form is out of date; close it and type /ganeti create again.' },
    });
    expect(s.jobs).toEqual([]);
  });

  it('queues a form whose facts did not fit in it after checking only the shapes; the worker checks the rest', async () => {
    const noFacts = (v: ModalView) => ({
      ...v,
      private_metadata: JSON.stringify({ ...JSON.parse(v.private_metadata ?? ''), facts: null }),
    });
    const s = setup();
    // inst1 exists, but without the facts only the worker can know.
    const ack = await s.submit(OPERATOR, { ...VALID, name: 'inst1.ganeti.test' }, labForm(), noFacts);
    expect(ack?.response_action).toBe('update');
    expect(s.jobs.map((j) => j.args.instance)).toEqual(['inst1.ganeti.test']);
    const bad = await s.submit(OPERATOR, { ...VALID, memory: 'lots' }, labForm(), noFacts);
    expect(bad).toEqual({
      response_action: 'errors',
      errors: { name: 'create: memory: lots is not a size (e.g. 512M, 20G).' },
    });
    expect(s.jobs).toHaveLength(1);
  });

  it('tells the person in the form when the queue does not take the request', async () => {
    const s = setup({
      enqueue: async () => {
        throw new UserError('queue_unavailable', 'The bot’s queue did not answer; nothing was run.');
      },
    });
    const mark = await trail.mark();
    const ack = await s.submit(OPERATOR, VALID);
    expect(ack?.response_action).toBe('update');
    expect(s.updates).toHaveLength(1);
    expect(s.updates[0]?.viewId).toBe('V0FORM1');
    const shown = JSON.stringify(s.updates[0]?.view.blocks);
    expect(shown).toContain('The bot’s queue did not answer; nothing was run.');
    expect(shown).toContain('Open the form again in a minute.');
    expect(await trail.since(mark)).toEqual([]);
  });

  it('hides an unexpected queue failure behind a plain message', async () => {
    const s = setup({
      enqueue: async () => {
        throw new Error('ECONNREFUSED 127.0.0.1:6379');
      },
    });
    await s.submit(OPERATOR, VALID);
    const shown = JSON.stringify(s.updates[0]?.view.blocks);
    expect(shown).toContain('The bot could not queue your request. Nothing was run.');
    expect(shown).not.toContain('ECONNREFUSED');
  });
});

describe('formArgs and formCommandLine', () => {
  it('joins the two nodes as --node P:S and leaves out what was not given', () => {
    const args = formArgs('web5.ganeti.test', {
      name: 'web5.ganeti.test',
      os: 'noop',
      primary: 'node1.ganeti.test',
      secondary: 'node2.ganeti.test',
      tags: 'a,b',
    });
    expect(args).toEqual({
      instance: 'web5.ganeti.test',
      os: 'noop',
      node: 'node1.ganeti.test:node2.ganeti.test',
      tags: 'a,b',
    });
    expect(formCommandLine(args)).toBe(
      'create web5.ganeti.test --os noop --node node1.ganeti.test:node2.ganeti.test --tags a,b',
    );
  });

  it('quotes what a shell would split', () => {
    expect(formCommandLine({ instance: 'web5', tags: 'a b' })).toBe("create web5 --tags 'a b'");
  });
});
