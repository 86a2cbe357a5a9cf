import { nodeFlagCommand } from '../node-flag.js';

export const drain = nodeFlagCommand({
  name: 'drain',
  summary: 'Mark a node drained: it keeps its instances but takes no new ones',
  details:
    'Runs `gnt-node modify --drained yes`: Ganeti places no new instances on the node, and it stops being a ' +
    'master candidate. The usual first step before maintenance, followed by `evacuate`. The master cannot be drained.',
  examples: [{ line: 'drain node3', what: 'stop new instances landing on node3' }],
  flag: 'drained',
  value: true,
  warnings: () => ['A drained node is no longer a master candidate.'],
});
