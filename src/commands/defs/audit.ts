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
  risk: 'read',
  role: 'admin',
  visibility: 'requester',
  params: {
    positionals: [{ name: 'count', optional: true }],
    flags: { user: { type: 'string', short: 'u' }, target: { type: 'string', short: 't' } },
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
