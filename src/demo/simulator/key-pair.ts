import ssh2 from 'ssh2';

/**
 * A fresh ed25519 key pair in OpenSSH format. ssh2 1.17's generator writes about one key in 300
 * with a 31-byte public key (a leading zero byte dropped), which its own parser then refuses
 * ("Malformed OpenSSH private key"; test/demo/key-pair.test.ts): such a pair is made again.
 */
export function newEd25519KeyPair(): { private: string; public: string } {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519');
    const parsed = [ssh2.utils.parseKey(pair.private), ssh2.utils.parseKey(pair.public)];
    if (parsed.every((k) => !(k instanceof Error))) return pair;
  }
  throw new Error('ssh2 made 20 unusable ed25519 key pairs in a row');
}
