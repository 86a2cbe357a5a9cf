import { z } from 'zod';
import { UserError } from '../../core/errors.js';
import { defineOperation } from '../define-command.js';
import { jobId } from '../names.js';

export const cancel = defineOperation({
  name: 'cancel',
  summary: 'Cancel a Ganeti job that has not started yet (queued or waiting)',
  usage: 'cancel JOBID',
  details:
    'Runs `gnt-job cancel`. Ganeti cancels only a job that is queued or waiting; a running job finishes. ' +
    'Runs at once, without a confirmation card.',
  examples: [{ line: 'cancel 1234', what: 'cancel job 1234 while it still waits' }],
  group: 'change',
  risk: 'write',
  params: {
    positionals: [
      {
        name: 'id',
        placeholder: 'JOBID',
        description: 'The Ganeti job id (`jobs --running` lists the unfinished ones).',
      },
    ],
  },
  schema: z.object({ id: jobId }).strict(),
  plan: async (ctx, args) => {
    const job = await ctx.cluster.job(args.id);
    if (!job)
      throw new UserError('unknown_job', `Ganeti has no job ${args.id}.`, {
        hint: '`/ganeti jobs --running` lists the jobs that have not finished.',
      });
    if (job.status !== 'queued' && job.status !== 'waiting') {
      throw new UserError(
        'not_cancellable',
        `Job ${args.id} is ${job.status}; Ganeti can cancel only jobs that are queued or waiting.`,
      );
    }
    const what = job.opcodes.map((o) => o.opcode).join(', ');
    return {
      title: `Cancel job ${args.id}`,
      summary: `job ${args.id} (${what}), now ${job.status}`,
      checks: [`job ${args.id} is ${job.status}`],
      warnings: [],
      steps: [
        {
          key: `cancel-${args.id}`,
          label: `cancel job ${args.id}`,
          action: { op: 'job-cancel', jobId: args.id },
        },
      ],
    };
  },
});
