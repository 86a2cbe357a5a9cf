import { nodeFlagCommand } from '../node-flag.js';

export const undrain = nodeFlagCommand({
  name: 'undrain',
  summary: 'Let a drained node take new instances again',
  details: 'Runs `gnt-node modify --drained no`: Ganeti may place instances on the node again.',
  examples: [{ line: 'undrain node3', what: 'node3 takes new instances again after maintenance' }],
  flag: 'drained',
  value: false,
  warnings: () => [],
});
