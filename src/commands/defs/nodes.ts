import { z } from 'zod';
import { defineCommand } from '../define-command.js';

export const nodes = defineCommand({
  name: 'nodes',
  aliases: ['node-list', 'nl'],
  summary: 'Nodes with memory, disk, primary/secondary instances, role and reachability',
  usage: 'nodes',
  details:
    'One row per node: role (master, candidate, regular, drained, offline), state (ok, UNREACHABLE, OFFLINE, ' +
    'drained), free and total memory and disk, and how many primary and secondary instances it has. Each node ' +
    'in trouble also gets a line of its own.',
  examples: [{ line: 'nodes', what: 'every node with its memory, disk and instances' }],
  group: 'read',
  risk: 'read',
  params: {},
  schema: z.object({}).strict(),
  run: async (ctx) => ({ kind: 'nodes', nodes: await ctx.cluster.nodes() }),
});
