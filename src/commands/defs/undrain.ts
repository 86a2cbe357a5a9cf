import { nodeFlagCommand } from '../node-flag.js';

export const undrain = nodeFlagCommand({
  name: 'undrain',
  summary: 'Let a drained node take new instances again',
  flag: 'drained',
  value: false,
  warnings: () => [],
});
