import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { newEd25519KeyPair } from '../../src/demo/simulator/key-pair.js';

describe('key pairs for the simulated cluster', () => {
  it('ssh2’s own generator sometimes makes a pair its parser refuses (why key-pair.ts exists)', () => {
    let refused = 0;
    for (let i = 0; i < 3000 && refused === 0; i += 1) {
      if (ssh2.utils.parseKey(ssh2.utils.generateKeyPairSync('ed25519').private) instanceof Error)
        refused += 1;
    }
    // About 1 in 300: 3000 tries all succeeding would happen about once in 20,000 runs.
    expect(refused).toBeGreaterThan(0);
  });

  it('always hands out pairs that parse, private and public', () => {
    for (let i = 0; i < 1000; i += 1) {
      const pair = newEd25519KeyPair();
      expect(ssh2.utils.parseKey(pair.private)).not.toBeInstanceOf(Error);
      expect(ssh2.utils.parseKey(pair.public)).not.toBeInstanceOf(Error);
    }
  });
});
