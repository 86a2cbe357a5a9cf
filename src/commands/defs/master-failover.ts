import { z } from 'zod';
import { UserError } from '../../core/errors.js';
import { defineOperation } from '../define-command.js';
import { ganetiName } from '../names.js';

const short = (n: string | null | undefined) => (n ?? '').split('.')[0] ?? '';

/**
 * Makes a master candidate the master (`gnt-cluster master-failover` run on it), the way out of
 * a master loss: nothing can be failed over until a node is master. Works while the old master
 * is dead, with the candidates' vote; `--no-voting` only on a two-node cluster, where there is
 * no majority, and the approver then attests that the old master is off.
 */
export const masterFailover = defineOperation({
  name: 'master-failover',
  aliases: ['make-master'],
  summary: 'Make a master candidate the master (when the master is lost)',
  usage: 'master-failover NODE [--no-voting]',
  details:
    'Runs `gnt-cluster master-failover` on NODE. With three or more candidates they vote; `--no-voting` is ' +
    'accepted only on a two-node cluster, with the old master known to be off.',
  examples: [{ line: 'master-failover node2', what: 'make node2 the master after the master died' }],
  group: 'node-loss',
  risk: 'destructive',
  params: {
    positionals: [{ name: 'node', description: 'The master candidate that becomes the master.' }],
    flags: {
      'no-voting': {
        type: 'boolean',
        description:
          'Without the candidates’ vote: only on a two-node cluster, where there is no majority; the ' +
          'approver confirms the old master is off.',
      },
    },
  },
  schema: z.object({ node: ganetiName('node'), 'no-voting': z.boolean().optional() }).strict(),
  plan: async (ctx, args) => {
    const survey = await ctx.cluster.survey({ timeoutMs: 10_000 });
    const answering = survey.answers.filter((a) => a.self !== null);
    const target = answering.find((a) => short(a.self) === short(args.node));
    if (!target?.self)
      throw new UserError(
        'candidate_silent',
        `\`${args.node}\` is not a master candidate the bot can reach (answering: ${answering.map((a) => a.self).join(', ') || 'none'}).`,
        { hint: 'Pick a candidate that answers; GANETI_SSH_HOSTS lists the ones the bot logs in to.' },
      );
    if (short(survey.master) === short(target.self))
      throw new UserError('already_master', `\`${target.self}\` is the master already.`);
    const noVoting = args['no-voting'] === true;
    if (noVoting && survey.answers.length !== 2)
      throw new UserError(
        'voting_needed',
        `--no-voting is only for a two-node cluster; this one has ${survey.answers.length} candidates, which vote.`,
        { hint: `Leave --no-voting out: \`/ganeti master-failover ${short(target.self)}\`.` },
      );
    const old = survey.named ?? 'the old master';
    const warnings = [
      `The master role, its daemons and the cluster IP move to ${target.self}. If ${old} comes back it may still ` +
        'claim the role: the bot reports that, and it must be re-added (`gnt-node add --readd`).',
      ...(survey.master
        ? [`The master ${survey.master} answers: this moves the role away from a working master.`]
        : []),
    ];
    return {
      title: `Make ${target.self} the master`,
      summary: `master: ${old} → ${target.self}${noVoting ? ' (no voting)' : ''}`,
      checks: [
        `${target.self} answers`,
        `${answering.length} of ${survey.answers.length} candidates answer${survey.master ? '' : `; the master ${old} does not`}`,
      ],
      warnings,
      attestation: noVoting
        ? `I confirm ${old} is powered off (out-of-band): without voting nothing stops two masters.`
        : `I confirm ${old} is down and ${target.self} should take over as master.`,
      steps: [
        {
          key: `master-${target.self}`,
          label: `${target.self} becomes the master`,
          action: { op: 'master-failover', node: target.self, noVoting },
        },
      ],
    };
  },
});
