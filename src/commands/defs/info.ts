import { z } from 'zod';
import { defineCommand } from '../define-command.js';
import { ganetiName } from '../names.js';
import { resolveInstance } from '../resolve.js';

export const info = defineCommand({
  name: 'info',
  aliases: ['show', 'instance'],
  summary: "An instance's nodes, state, OS, memory, CPUs, NICs and disks",
  usage: 'info INSTANCE',
  risk: 'read',
  params: { positionals: [{ name: 'instance' }] },
  schema: z.object({ instance: ganetiName('instance') }).strict(),
  run: async (ctx, args) => {
    const name = await resolveInstance(ctx.cluster, args.instance);
    return { kind: 'instance-info', info: await ctx.cluster.instanceInfo(name) };
  },
});
