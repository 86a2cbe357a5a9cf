import { z } from 'zod';
import { defineCommand } from '../define-command.js';

export const nodes = defineCommand({
  name: 'nodes',
  aliases: ['node-list', 'nl'],
  summary: 'Nodes with memory, disk, primary/secondary instances, role and reachability',
  usage: 'nodes',
  risk: 'read',
  params: {},
  schema: z.object({}).strict(),
  run: async (ctx) => ({ kind: 'nodes', nodes: await ctx.cluster.nodes() }),
});
