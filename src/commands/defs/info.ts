import { z } from 'zod';
import { defineCommand, nameArgument } from '../define-command.js';
import { ganetiName } from '../names.js';
import { resolveInstance } from '../resolve.js';

export const info = defineCommand({
  name: 'info',
  aliases: ['show', 'instance'],
  summary: "An instance's nodes, state, OS, memory, CPUs, NICs and disks",
  usage: 'info INSTANCE',
  details:
    'Configured and actual state, primary and secondary nodes, OS, hypervisor, disk template, memory, ' +
    'virtual CPUs, each NIC (IP, MAC, mode, link) and each disk with its size, UUID and creation time. ' +
    'Read with a list query: it starts no Ganeti job.',
  examples: [{ line: 'info web1', what: 'everything about web1' }],
  group: 'read',
  risk: 'read',
  params: { positionals: [{ name: 'instance', description: nameArgument.instance }] },
  schema: z.object({ instance: ganetiName('instance') }).strict(),
  run: async (ctx, args) => {
    const name = await resolveInstance(ctx.cluster, args.instance);
    return { kind: 'instance-info', info: await ctx.cluster.instanceInfo(name) };
  },
});
