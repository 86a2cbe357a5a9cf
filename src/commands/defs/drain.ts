import { nodeFlagCommand } from '../node-flag.js';

export const drain = nodeFlagCommand({
  name: 'drain',
  summary: 'Mark a node drained: it keeps its instances but takes no new ones',
  flag: 'drained',
  value: true,
  warnings: () => ['A drained node is no longer a master candidate.'],
});
