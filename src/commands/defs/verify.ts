import { z } from 'zod';
import { defineCommand } from '../define-command.js';

export const verify = defineCommand({
  name: 'verify',
  aliases: ['check'],
  summary: 'Run `gnt-cluster verify` and show its errors and warnings, grouped',
  usage: 'verify',
  details:
    'Takes a few seconds on a healthy cluster and about a minute when a node does not answer; progress is shown as it goes.',
  examples: [{ line: 'verify', what: 'check the whole cluster' }],
  group: 'read',
  risk: 'read',
  params: {},
  schema: z.object({}).strict(),
  run: async (ctx) => {
    const started = ctx.now();
    const report = await ctx.cluster.verify((step) => ctx.progress(step));
    return { kind: 'verify', report, durationMs: ctx.now() - started };
  },
});
