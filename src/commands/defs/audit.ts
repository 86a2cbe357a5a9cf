import { z } from 'zod';
import { UserError } from '../../core/errors.js';
import { defineCommand } from '../define-command.js';
import { ganetiName } from '../names.js';

export const audit = defineCommand({
  name: 'audit',
  aliases: ['log'],
  summary: 'Who asked, approved and ran what: the audit trail (admins only, shown only to you)',
  usage: 'audit [N] [--user @someone] [--target NAME]',
  details:
    'Newest first; N records (default 20, at most 200). `--target` matches an instance, node or job, short names too.',
  examples: [
    { line: 'audit', what: 'the newest 20 records' },
    { line: 'audit 50 --target node3', what: 'the newest 50 records about node3' },
    {
      line: 'audit --user @U012ABCDEF',
      what: 'what one person asked, approved or ran (type @ and pick them)',
    },
  ],
  group: 'read',
  risk: 'read',
  role: 'admin',
  visibility: 'requester',
  params: {
    positionals: [
      {
        name: 'count',
        optional: true,
        placeholder: 'N',
        description: 'How many records, 1 to 200 (default 20).',
      },
    ],
    flags: {
      user: {
        type: 'string',
        short: 'u',
        value: '@someone',
        description: 'Only the records of this person: a mention or a Slack user id.',
      },
      target: {
        type: 'string',
        short: 't',
        value: 'NAME',
        description: 'Only the records about this instance, node or job (short names too).',
      },
    },
  },
  schema: z
    .object({
      count: z.coerce.number({ message: 'must be a number' }).int().min(1).max(200, 'at most 200').optional(),
      user: z
        .string()
        .regex(/^@?[UW][A-Z0-9]{2,}$/, 'must be a Slack user (@mention) or user id')
        .transform((u) => u.replace(/^@/, ''))
        .optional(),
      target: ganetiName('instance').optional(),
    })
    .strict(),
  run: async (ctx, args) => {
    if (!ctx.audit) throw new UserError('no_audit', 'This worker has no audit trail configured.');
    const records = await ctx.audit.recent({
      limit: args.count ?? 20,
      ...(args.user ? { user: args.user } : {}),
      ...(args.target ? { target: args.target } : {}),
    });
    return { kind: 'audit', records, filter: { user: args.user ?? null, target: args.target ?? null } };
  },
});
