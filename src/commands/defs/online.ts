import { nodeFlagCommand } from '../node-flag.js';

export const online = nodeFlagCommand({
  name: 'online',
  summary: 'Bring an offline node back (Ganeti talks to it again)',
  flag: 'offline',
  value: false,
  warnings: () => [
    'Ganeti warns that the node is brought back without a re-add: make sure it is healthy, and run `/ganeti verify` afterwards (instances failed over while it was offline may still run on it).',
  ],
});
