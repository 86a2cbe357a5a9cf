import { describe, expect, it } from 'vitest';
import { createFailpoints, parseFailpoints } from '../../src/core/failpoints.js';

describe('failpoints (the crash tests’ kill points)', () => {
  it('kills at the Nth time a named point is reached, and only there', () => {
    const kills: string[] = [];
    const hit = createFailpoints(parseFailpoints('after-submit@2, before-outcome'), () => kills.push('kill'));
    hit('after-submit');
    expect(kills).toEqual([]);
    hit('while-following');
    hit('after-submit');
    expect(kills).toEqual(['kill']);
    hit('after-submit');
    hit('before-outcome');
    expect(kills).toEqual(['kill', 'kill']);
  });

  it('refuses a name it does not know, so a typo cannot make a crash test test nothing', () => {
    expect(() => parseFailpoints('after-submitt')).toThrow(/unknown failpoint "after-submitt"/);
    expect(() => parseFailpoints('after-submit@0')).toThrow(/unknown failpoint/);
  });
});
