import { z } from 'zod';
import { defineCommand } from '../define-command.js';

/** Newest jobs shown; Ganeti keeps every job of the last hours. */
const SHOWN = 20;

export const jobs = defineCommand({
  name: 'jobs',
  aliases: ['job-list', 'jl'],
  summary: `The newest ${SHOWN} Ganeti jobs with status and duration`,
  usage: 'jobs [--running]',
  details:
    'Newest first: id, status, what the job does and how long it took. Ganeti archives finished jobs after ' +
    'some hours.',
  examples: [
    { line: 'jobs', what: `the newest ${SHOWN} jobs` },
    { line: 'jobs --running', what: 'the jobs that have not finished' },
  ],
  group: 'read',
  risk: 'read',
  params: {
    flags: {
      running: {
        type: 'boolean',
        description: 'Only the jobs that have not finished: queued, waiting, running or canceling.',
      },
    },
  },
  schema: z.object({ running: z.boolean().optional() }).strict(),
  run: async (ctx, args) => {
    const all = await ctx.cluster.jobs();
    const active = new Set(['queued', 'waiting', 'running', 'canceling']);
    const chosen = args.running ? all.filter((j) => active.has(j.status)) : all;
    const newest = [...chosen].sort((a, b) => b.id - a.id).slice(0, SHOWN);
    return { kind: 'jobs', jobs: newest, total: chosen.length };
  },
});
