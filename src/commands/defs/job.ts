import { z } from 'zod';
import { UserError } from '../../core/errors.js';
import { defineCommand } from '../define-command.js';
import { jobId } from '../names.js';

export const job = defineCommand({
  name: 'job',
  aliases: ['job-info', 'ji'],
  summary: 'One Ganeti job: status, opcodes, timing, its log and error',
  usage: 'job JOBID',
  risk: 'read',
  params: { positionals: [{ name: 'id' }] },
  schema: z.object({ id: jobId }).strict(),
  run: async (ctx, args) => {
    const found = await ctx.cluster.job(args.id);
    if (!found) {
      throw new UserError('unknown_job', `Ganeti has no job ${args.id}.`, {
        hint: 'Ganeti archives finished jobs after a few hours; `/ganeti jobs` lists the ones it has.',
      });
    }
    return { kind: 'job', job: found };
  },
});
