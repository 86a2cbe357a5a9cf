import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { CreateFormResult } from '../../commands/results.js';
import {
  CREATE_DEFAULTS,
  roughMiB,
  type CreateFacts,
  type NewInstanceField,
  type NewInstanceInput,
} from '../../commands/new-instance.js';
import { clip, context, esc, section } from '../render/blocks.js';

/** The create form's callback id: its submission comes to src/bot/listeners/create-form.ts. */
export const CALLBACK_CREATE = 'create_instance';
/** Every input's action id; its block id is the field's name. */
const VALUE = 'value';
/** Slack's limit on private_metadata. */
const METADATA_MAX = 3000;

const text = (t: string) => ({ type: 'plain_text' as const, text: clip(t, 150), emoji: true });
const option = (label: string, value: string): PlainTextOption => ({
  text: text(clip(label, 75)),
  value: clip(value, 150),
});

/** What the form keeps for its submission: where to post, and the facts to check against. */
export interface CreateFormMetadata {
  channel: string;
  /** The bot's cluster the form is for, when it serves several (`--cluster`, the channel's). */
  target?: string;
  cluster: string;
  /** Null when they did not fit in the form: only the worker checks the fields then. */
  facts: CreateFacts | null;
  project: CreateFormResult['project'];
}

function modal(title: string, blocks: KnownBlock[], extra: Partial<ModalView> = {}): ModalView {
  return { type: 'modal', title: text(clip(title, 24)), close: text('Close'), blocks, ...extra };
}

/** Shown at once (Slack's trigger lasts 3 s), while a worker reads the cluster. */
export function loadingView(): ModalView {
  return modal('Create an instance', [section(':hourglass_flowing_sand: Reading what the cluster offers…')]);
}

/** The form could not be filled in: what went wrong and what to do, in the form itself. */
export function formFailureView(message: string, hint?: string): ModalView {
  return modal('Create an instance', [section(`:x: ${message}`), ...(hint ? [context(hint)] : [])]);
}

/** After a valid submission: where the request's card appears. */
export function submittedView(name: string, channel: string): ModalView {
  return modal('Create an instance', [
    section(`:white_check_mark: The request to create \`${esc(name)}\` is queued.`),
    context(`Its pre-checks run now; its approval card appears in <#${channel}>.`),
  ]);
}

function input(
  field: NewInstanceField,
  label: string,
  element: InputBlock['element'],
  options: { optional?: boolean; hint?: string } = {},
): InputBlock {
  return {
    type: 'input',
    block_id: field,
    label: text(label),
    element,
    optional: options.optional ?? false,
    ...(options.hint ? { hint: text(clip(options.hint, 150)) } : {}),
  };
}

const textInput = (initial?: string, placeholder?: string): InputBlock['element'] => ({
  type: 'plain_text_input',
  action_id: VALUE,
  ...(initial ? { initial_value: initial } : {}),
  ...(placeholder ? { placeholder: text(placeholder) } : {}),
});

function select(
  options: PlainTextOption[],
  initial: string | null,
  placeholder: string,
): InputBlock['element'] {
  const chosen = options.find((o) => o.value === initial);
  return {
    type: 'static_select',
    action_id: VALUE,
    placeholder: text(placeholder),
    options: options.slice(0, 100),
    ...(chosen ? { initial_option: chosen } : {}),
  };
}

/** Node choices with their free memory; the ones that take no instance are left out. */
function nodeOptions(facts: CreateFacts): PlainTextOption[] {
  return facts.nodes
    .filter((n) => n.problem === null)
    .map((n) =>
      option(`${n.name}${n.memoryFreeMiB === null ? '' : ` · ${roughMiB(n.memoryFreeMiB)} free`}`, n.name),
    );
}

/**
 * The facts in at most Slack's 3000 characters: the instance names go first, then the nodes;
 * when even that is too long, no facts at all (null), and the worker's checks are the only ones.
 */
export function encodeMetadata(meta: CreateFormMetadata): string {
  const full = JSON.stringify(meta);
  if (full.length <= METADATA_MAX || meta.facts === null) return full;
  const facts = meta.facts;
  for (const lean of [
    { ...facts, instances: [] },
    { ...facts, instances: [], nodes: [] },
  ]) {
    const text = JSON.stringify({ ...meta, facts: lean });
    if (text.length <= METADATA_MAX) return text;
  }
  return JSON.stringify({ ...meta, facts: null });
}

/** The form, from what a worker read of the cluster. */
export function renderCreateForm(result: CreateFormResult, channel: string, target?: string): ModalView {
  const { facts, defaults } = result;
  // Slack refuses a select without options: say what is missing instead of an empty choice.
  if (facts.oses.length === 0)
    return formFailureView(
      `\`${esc(result.cluster)}\` has no OS definition, so no instance can be created there.`,
      'Ask a cluster admin to install one on every node (`gnt-os list`).',
    );
  if (facts.templates.length === 0)
    return formFailureView(
      `\`${esc(result.cluster)}\` enables no disk template, so no instance can be created there.`,
      'Ask a cluster admin (`gnt-cluster modify --enabled-disk-templates`).',
    );
  const usable = facts.nodes.filter((n) => n.problem === null);
  const most = Math.max(0, ...usable.map((n) => n.memoryFreeMiB ?? 0));
  const blocks: KnownBlock[] = [
    context(
      `Cluster \`${esc(target ?? result.cluster)}\`${target ? ` (${esc(result.cluster)})` : ''}` +
        (result.project
          ? ` · for project *${esc(result.project.name)}*${result.project.tags.length ? ` (tag \`${esc(result.project.tags.join(', '))}\`)` : ''}`
          : ''),
    ),
    input('name', 'Name', textInput(undefined, 'web5.example.org'), {
      hint:
        result.project?.tags.length === 0 ? `Named ${result.project.patterns.join(' or ')}` : 'The full name',
    }),
    input(
      'os',
      'OS',
      select(
        facts.oses.map((o) => option(o, o)),
        defaults.os,
        'Pick an OS',
      ),
    ),
    input(
      'template',
      'Disk template',
      select(
        facts.templates.map((t) => option(t, t)),
        defaults.template,
        'Pick a template',
      ),
    ),
    input('memory', 'Memory', textInput(CREATE_DEFAULTS.memory), {
      hint: `e.g. 512M, 4G. The most free on a node: ${roughMiB(most)}`,
    }),
    input('vcpus', 'vCPUs', textInput(CREATE_DEFAULTS.vcpus)),
    input('disk', 'Disk size', textInput(CREATE_DEFAULTS.disk), {
      optional: true,
      hint: 'None for diskless',
    }),
  ];
  if (facts.networks.length > 0)
    blocks.push(
      input(
        'network',
        'Network',
        select(
          facts.networks.map((n) => option(n, n)),
          null,
          'The cluster’s NIC defaults',
        ),
        {
          optional: true,
        },
      ),
    );
  blocks.push(
    input('ip', 'IP address', textInput(undefined, '192.0.2.30'), {
      optional: true,
      ...(facts.nicMode === 'routed'
        ? { hint: 'Needed unless you pick a network: the cluster’s NICs are routed' }
        : {}),
    }),
  );
  const nodes = nodeOptions(facts);
  if (nodes.length > 0)
    blocks.push(
      input('primary', 'Primary node', select(nodes, null, 'Automatic (hail)'), {
        optional: true,
        hint: 'Leave empty to let the allocator (hail) place it',
      }),
      input('secondary', 'Secondary node (DRBD)', select(nodes, null, 'Automatic (hail)'), {
        optional: true,
      }),
    );
  if (!result.project)
    blocks.push(input('tags', 'Tags', textInput(undefined, 'project:web, backup'), { optional: true }));
  const metadata: CreateFormMetadata = {
    channel,
    ...(target ? { target } : {}),
    cluster: result.cluster,
    facts,
    project: result.project,
  };
  return modal('Create an instance', blocks, {
    callback_id: CALLBACK_CREATE,
    submit: text('Request'),
    private_metadata: encodeMetadata(metadata),
  });
}

/** A submitted view's state, as Slack sends it. */
export interface SubmittedState {
  values: Record<
    string,
    Record<string, { value?: string | null; selected_option?: { value: string } | null }>
  >;
}

/** The fields as typed or picked (blank ones left out). */
export function readCreateForm(state: SubmittedState): NewInstanceInput {
  const get = (field: NewInstanceField): string | undefined => {
    const v = state.values[field]?.[VALUE];
    const raw = v?.selected_option?.value ?? v?.value ?? undefined;
    return raw === undefined || raw === null || raw.trim() === '' ? undefined : raw.trim();
  };
  const fields: NewInstanceField[] = [
    'os',
    'template',
    'memory',
    'vcpus',
    'disk',
    'network',
    'ip',
    'primary',
    'secondary',
    'tags',
  ];
  const out: NewInstanceInput = { name: get('name') ?? '' };
  for (const f of fields) {
    const v = get(f);
    if (v !== undefined) out[f] = v;
  }
  return out;
}

/**
 * Errors keyed by the blocks the form has (Slack refuses an error for a block it does not
 * have): a field the form lacks reports under the name.
 */
export function errorsForBlocks(
  errors: Partial<Record<NewInstanceField, string>>,
  blocks: ReadonlyArray<{ block_id?: string }>,
): Record<string, string> {
  const present = new Set(blocks.map((b) => b.block_id));
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors)) {
    const key = present.has(field) ? field : 'name';
    const plainText = message.replace(/`/g, '');
    out[key] = clip(out[key] ? `${out[key]} ${plainText}` : plainText, 2000);
  }
  return out;
}
