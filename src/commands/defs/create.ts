import { z } from 'zod';
import { UserError } from '../../core/errors.js';
import { defineOperation } from '../define-command.js';
import { ganetiName, ganetiNameProblem } from '../names.js';
import {
  CREATE_DEFAULTS,
  IPV4,
  OS,
  TAG,
  checkNewInstance,
  defaultTemplate,
  formatMiB,
  liveCreateFacts,
  type NewInstanceField,
} from '../new-instance.js';
import { clusterState } from '../prechecks.js';

/** A typed value that must look like `re`; the checks against the cluster come in the plan. */
const matching = (re: RegExp, what: string) =>
  z.string().refine((v) => re.test(v), { error: (i) => `\`${String(i.input).slice(0, 40)}\` ${what}` });
const size = matching(/^\d{1,9}(\.\d{1,3})?[mgtMGT]?$/, 'is not a size (e.g. `512M`, `20G`)');
/** `P` or `P:S`, each a node name. */
const nodes = z.string().transform((v, ctx) => {
  const parts = v.split(':');
  const bad = parts.length > 2 || parts.some((p) => ganetiNameProblem(p) !== null);
  if (bad)
    ctx.addIssue({ code: 'custom', message: `\`${v.slice(0, 80)}\` is not a node or \`PRIMARY:SECONDARY\`` });
  return parts.map((p) => p.toLowerCase()).join(':');
});
/** Tags as typed (`a, b` or `a,b`), written `a,b`. */
const tagList = z.string().transform((v, ctx) => {
  const tags = v.split(/[\s,]+/).filter((t) => t !== '');
  const bad = tags.find((t) => !TAG.test(t));
  if (bad !== undefined)
    ctx.addIssue({ code: 'custom', message: `\`${bad.slice(0, 40)}\` is not a Ganeti tag` });
  return tags.join(',');
});

/** What a field is called in a refusal of the typed form (`--memory`). */
const FLAG: Record<NewInstanceField, string> = {
  name: 'NAME',
  os: '--os',
  template: '--template',
  memory: '--memory',
  vcpus: '--vcpus',
  disk: '--disk',
  network: '--network',
  ip: '--ip',
  primary: '--node',
  secondary: '--node',
  tags: '--tags',
};

export const create = defineOperation({
  name: 'create',
  aliases: ['add'],
  summary: 'Create an instance: alone it opens a form; or give the name and options',
  usage:
    'create [NAME] [--os OS] [--memory SIZE] [--vcpus N] [--disk SIZE] [--template T] [--network NET] [--ip IP] [--node P[:S]] [--tags T,T]',
  details:
    '`/ganeti create` alone opens a form with what the cluster offers (its OS definitions, enabled disk templates, ' +
    'networks and nodes), checked as you submit it. The same fields can be typed. Then the capacity check and an ' +
    'approval card; once approved, `gnt-instance add` installs the OS and starts the instance. Without `--node` the ' +
    `cluster's allocator (hail) picks the nodes. Defaults: memory ${CREATE_DEFAULTS.memory}, ${CREATE_DEFAULTS.vcpus} vCPU, ` +
    `disk ${CREATE_DEFAULTS.disk}, template drbd where enabled. A project member creates in their project: the ` +
    'instance gets the project’s tag.',
  examples: [
    { line: 'create', what: 'open the form' },
    {
      line: 'create web5.example.org --os debootstrap+default --memory 2G --disk 20G',
      what: 'a DRBD instance placed by the allocator',
    },
    {
      line: 'create ci3.example.org --os noop --template diskless --ip 192.0.2.30 --node node2',
      what: 'a diskless instance on node2',
    },
  ],
  group: 'approval',
  risk: 'destructive',
  role: 'operator',
  params: {
    positionals: [
      {
        name: 'instance',
        optional: true,
        placeholder: 'NAME',
        description: 'The new instance’s full name. Leave everything out to get the form.',
      },
    ],
    flags: {
      os: {
        type: 'string',
        value: 'OS',
        description: 'OS definition (`gnt-os list`); may be left out when there is one.',
      },
      memory: {
        type: 'string',
        value: 'SIZE',
        description: `Memory, e.g. \`512M\`, \`4G\` (default ${CREATE_DEFAULTS.memory}).`,
      },
      vcpus: { type: 'string', value: 'N', description: `Virtual CPUs (default ${CREATE_DEFAULTS.vcpus}).` },
      disk: {
        type: 'string',
        value: 'SIZE',
        description: `Size of its disk (default ${CREATE_DEFAULTS.disk}; none for diskless).`,
      },
      template: {
        type: 'string',
        value: 'T',
        description: 'Disk template, one the cluster enables (default drbd where enabled).',
      },
      network: {
        type: 'string',
        value: 'NET',
        description: 'A Ganeti network for its NIC (default: the cluster’s NIC parameters).',
      },
      ip: {
        type: 'string',
        value: 'IP',
        description: 'Its IPv4 address (needed with routed NICs and no network).',
      },
      node: {
        type: 'string',
        short: 'n',
        value: 'P[:S]',
        description: 'Primary node, and secondary for DRBD (default: the allocator picks).',
      },
      tags: { type: 'string', value: 'T,T', description: 'Ganeti tags, comma-separated.' },
    },
  },
  schema: z
    .object({
      instance: ganetiName('instance').optional(),
      os: matching(OS, 'is not an OS name').optional(),
      memory: size.optional(),
      vcpus: matching(/^\d{1,3}$/, 'is not a number of vCPUs').optional(),
      disk: size.optional(),
      template: matching(/^[a-z]{1,20}$/, 'is not a disk template').optional(),
      network: matching(/^[a-z0-9_][a-z0-9._-]{0,254}$/, 'is not a network name').optional(),
      ip: matching(IPV4, 'is not an IPv4 address').optional(),
      node: nodes.optional(),
      tags: tagList.optional(),
    })
    .strict(),
  form: async (ctx) => {
    const [state, options] = await Promise.all([clusterState(ctx.cluster), ctx.cluster.createOptions()]);
    const facts = liveCreateFacts(state, options);
    const scope = ctx.createScope;
    return {
      kind: 'create-form',
      cluster: options.settings.name,
      facts,
      defaults: {
        os: facts.oses.length === 1 ? (facts.oses[0] ?? null) : null,
        template: defaultTemplate(facts.templates),
      },
      project: scope ? { name: scope.project, tags: scope.tags, patterns: scope.patterns } : null,
    };
  },
  plan: async (ctx, args) => {
    if (args.instance === undefined)
      throw new UserError(
        'bad_arguments',
        '`create` needs the new instance’s name, or nothing at all for the form.',
        {
          hint: 'Type `/ganeti create` alone to fill in a form.',
        },
      );
    const [state, options] = await Promise.all([clusterState(ctx.cluster), ctx.cluster.createOptions()]);
    const [primary, secondary] = args.node === undefined ? [] : args.node.split(':', 2);
    const outcome = checkNewInstance(
      { ...args, name: args.instance, primary, secondary },
      liveCreateFacts(state, options),
      ctx.createScope ?? null,
    );
    if (!outcome.ok) {
      const problems = Object.entries(outcome.errors).map(
        ([field, why]) => `${FLAG[field as NewInstanceField]}: ${why}`,
      );
      throw new UserError(
        'precheck_failed',
        `\`${args.instance}\` cannot be created: ${problems.join(' ')}`,
        {
          hint: 'Nothing was run. Fix it and ask again, or use the form (`/ganeti create`).',
        },
      );
    }
    const { spec, name } = outcome;
    const where = spec.placement
      ? `on ${spec.placement.primary}${spec.placement.secondary ? ` and ${spec.placement.secondary}` : ''}`
      : 'where the allocator (hail) places it';
    const size = `${spec.template}, ${formatMiB(spec.memoryMb)} memory, ${spec.vcpus} vCPU${spec.diskMb ? `, ${formatMiB(spec.diskMb)} disk` : ''}`;
    return {
      title: `Create ${name}`,
      summary: `${name}: ${size}, ${where}`,
      checks: [
        `no instance is named \`${name}\``,
        `OS \`${spec.os}\` and template \`${spec.template}\` are available`,
        ...outcome.notes,
      ],
      warnings: [
        ...(spec.tags.length ? [`Tags: ${spec.tags.map((t) => `\`${t}\``).join(', ')}.`] : []),
        ...(spec.network || spec.ip
          ? [
              `NIC: ${[spec.network && `network ${spec.network}`, spec.ip && `IP ${spec.ip}`].filter(Boolean).join(', ')}.`,
            ]
          : []),
      ],
      steps: [
        {
          key: 'add',
          label: `create ${name} (${size})`,
          action: { op: 'instance-add', instance: name, spec },
        },
      ],
    };
  },
});
