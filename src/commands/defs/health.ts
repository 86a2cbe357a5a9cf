import { z } from 'zod';
import { buildHealthSummary } from '../../monitor/health-summary.js';
import { defineCommand } from '../define-command.js';

export const health = defineCommand({
  name: 'health',
  aliases: ['summary'],
  summary: 'Node health: use per node, N+1, instances not as intended, open incidents, failed jobs',
  usage: 'health',
  details:
    'Per node: memory and disk in use, primary/secondary instances, role and state. Then whether the ' +
    'cluster can lose any one node (the memory check of `capacity`), instances not in the state their ' +
    'admin state asks for, the health monitor’s open incidents, and Ganeti jobs that failed since the ' +
    'last scheduled summary (or in the last 24 hours).',
  examples: [{ line: 'health', what: 'the node-health summary, now' }],
  group: 'read',
  risk: 'read',
  params: {},
  schema: z.object({}).strict(),
  run: async (ctx) => {
    const monitor = ctx.monitor;
    const [master, nodes, instances, jobs, incidents, since] = await Promise.all([
      ctx.cluster.master(),
      ctx.cluster.nodes(),
      ctx.cluster.instances(),
      ctx.cluster.jobs(),
      monitor ? monitor.openIncidents() : [],
      monitor ? monitor.lastSummaryAt() : null,
    ]);
    return buildHealthSummary({
      // No cluster name reaches a command's context; the master's name stands for the cluster.
      cluster: master,
      master,
      nodes,
      instances,
      jobs,
      incidents,
      since,
      now: ctx.now(),
      monitorOn: monitor !== undefined,
    });
  },
});
