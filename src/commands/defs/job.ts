import { z } from 'zod';
import { UserError } from '../../core/errors.js';
import { defineCommand } from '../define-command.js';
import { jobId } from '../names.js';

export const job = defineCommand({
  name: 'job',
  aliases: ['job-info', 'ji'],
  summary: 'One Ganeti job: status, opcodes, timing, its log and error',
  usage: 'job JOBID',
  details:
    'Its status, each opcode, when it was received, started and ended, its log and, when it failed, the ' +
    'error. Ganeti archives finished jobs after some hours; `jobs` lists the ones it still has.',
  examples: [{ line: 'job 1234', what: 'what job 1234 did and how it ended' }],
  group: 'read',
  risk: 'read',
  params: {
    positionals: [
      { name: 'id', placeholder: 'JOBID', description: 'A Ganeti job id, as `jobs` lists them.' },
    ],
  },
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
