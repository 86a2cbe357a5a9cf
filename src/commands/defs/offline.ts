import { nodeFlagCommand } from '../node-flag.js';

export const offline = nodeFlagCommand({
  name: 'offline',
  summary: 'Mark a node offline: Ganeti stops talking to it (do this for a dead node before failing over)',
  flag: 'offline',
  value: true,
  warnings: (node) => [
    'Mark a node offline only when it is really down (powered off, fenced) or about to be: Ganeti will no longer stop instances on it.',
    ...(node.primaryInstances > 0
      ? [
          `Its ${node.primaryInstances} primary instance(s) are not moved by this; fail them over afterwards (\`/ganeti evacuate ${node.name}\`).`,
        ]
      : []),
  ],
});
