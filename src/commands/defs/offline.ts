import { nodeFlagCommand } from '../node-flag.js';

export const offline = nodeFlagCommand({
  name: 'offline',
  summary: 'Mark a node offline: Ganeti stops talking to it (do this for a dead node before failing over)',
  details:
    'Runs `gnt-node modify --offline yes`: Ganeti stops contacting the node, so its instances can be failed ' +
    'over. Only for a node that is really down (powered off, fenced) or about to be. Its instances are not moved ' +
    'by this; `recover NODE` marks a dead node offline and fails them over in one request.',
  examples: [{ line: 'offline node3', what: 'tell Ganeti that node3 is gone' }],
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
