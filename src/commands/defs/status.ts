import { z } from 'zod';
import { defineCommand } from '../define-command.js';

export const status = defineCommand({
  name: 'status',
  aliases: ['st'],
  summary: 'Cluster at a glance: master, nodes up/down/offline, instances by state',
  usage: 'status',
  details:
    'The master, how many nodes are up, unreachable, offline or drained, how many instances are running, ' +
    'stopped or in error, and a line for each node or instance in trouble. Says so when the bot does not ' +
    'check SSH host keys.',
  examples: [{ line: 'status', what: 'the cluster at a glance' }],
  group: 'read',
  risk: 'read',
  params: {},
  schema: z.object({}).strict(),
  run: async (ctx) => {
    const [master, nodes, instances] = await Promise.all([
      ctx.cluster.master(),
      ctx.cluster.nodes(),
      ctx.cluster.instances(),
    ]);
    return {
      kind: 'status',
      master,
      nodes,
      instances,
      ...(ctx.cluster.hostKeysChecked === false ? { hostKeysChecked: false } : {}),
    };
  },
});
