import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from '../../src/commands/suggest.js';

describe('editDistance', () => {
  it.each([
    ['nodes', 'nodes', 0],
    ['nodse', 'nodes', 1],
    ['node', 'nodes', 1],
    ['instnaces', 'instances', 1],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
  ])('%s → %s is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
});

describe('closest / didYouMean', () => {
  const verbs = ['nodes', 'instances', 'info', 'jobs', 'job', 'verify', 'status'];

  it('offers the nearest verbs first', () => {
    expect(closest('jbos', verbs)).toEqual(['jobs']);
  });

  it('offers names that start with what was typed', () => {
    expect(closest('inst', verbs)).toEqual(['instances']);
  });

  it('offers nothing for far-off words', () => {
    expect(didYouMean('reboot', verbs)).toBe('');
  });

  it('joins two suggestions with "or"', () => {
    expect(didYouMean('jobz', verbs)).toBe(' Did you mean `job` or `jobs`?');
  });
});
