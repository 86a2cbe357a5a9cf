import { nodeFlagCommand } from '../node-flag.js';

export const online = nodeFlagCommand({
  name: 'online',
  summary: 'Bring an offline node back (Ganeti talks to it again)',
  details:
    'Runs `gnt-node modify --offline no --force`: Ganeti talks to the node again, without a re-add. First make ' +
    'sure it is healthy and no longer runs instances that were failed over while it was offline; afterwards ' +
    'run `verify`.',
  examples: [{ line: 'online node3', what: 'bring node3 back after a repair' }],
  flag: 'offline',
  value: false,
  warnings: () => [
    'Ganeti warns that the node is brought back without a re-add: make sure it is healthy, and run `/ganeti verify` afterwards (instances failed over while it was offline may still run on it).',
  ],
});
