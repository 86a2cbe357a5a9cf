import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkHostKey,
  createHostVerifier,
  fingerprintSha256,
  hostKeyAlgorithms,
  parseKnownHosts,
} from '../../src/cluster/known-hosts.js';

interface TestKey {
  /** `type base64` as it appears in known_hosts. */
  line: string;
  blob: Buffer;
  /** What `ssh-keygen -lf` prints for it. */
  keygenFingerprint: string;
}

let dir: string;
let keys: Record<'ed1' | 'ed2' | 'rsa' | 'ecdsa', TestKey>;

function makeKey(name: string, type: string): TestKey {
  const path = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', '', '-f', path]);
  const [keyType, base64] = readFileSync(`${path}.pub`, 'utf8').trim().split(' ');
  const keygen = execFileSync('ssh-keygen', ['-lf', `${path}.pub`], { encoding: 'utf8' });
  return {
    line: `${keyType} ${base64}`,
    blob: Buffer.from(base64 ?? '', 'base64'),
    keygenFingerprint: keygen.split(' ')[1] ?? '',
  };
}

/** Asks OpenSSH itself whether `name` (`host` or `[host]:port`) has an entry in `text`. */
function opensshFinds(text: string, name: string): boolean {
  const file = join(dir, 'lookup');
  writeFileSync(file, text);
  return spawnSync('ssh-keygen', ['-F', name, '-f', file]).status === 0;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'known-hosts-test-'));
  keys = {
    ed1: makeKey('ed1', 'ed25519'),
    ed2: makeKey('ed2', 'ed25519'),
    rsa: makeKey('rsa', 'rsa'),
    ecdsa: makeKey('ecdsa', 'ecdsa'),
  };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fingerprintSha256', () => {
  it('prints exactly what ssh-keygen -lf prints, without base64 padding', () => {
    for (const key of Object.values(keys)) {
      expect(fingerprintSha256(key.blob)).toBe(key.keygenFingerprint);
      expect(fingerprintSha256(key.blob)).not.toMatch(/=$/);
    }
  });
});

describe('parseKnownHosts', () => {
  it('skips comments and blank lines and reads markers, host lists and key blobs', () => {
    const entries = parseKnownHosts(
      [
        '# made by ssh-keyscan',
        '',
        `node1,node1.example.com,198.51.100.11 ${keys.ed1.line} root@node1`,
        `@revoked * ${keys.ed2.line}`,
        `@cert-authority *.example.com ${keys.rsa.line}`,
      ].join('\n'),
    );
    expect(entries.map((entry) => [entry.line, entry.marker, entry.keyType])).toEqual([
      [3, undefined, 'ssh-ed25519'],
      [4, 'revoked', 'ssh-ed25519'],
      [5, 'cert-authority', 'ssh-rsa'],
    ]);
    expect(entries[0]?.hosts).toHaveLength(3);
    expect(entries[0]?.key.equals(keys.ed1.blob)).toBe(true);
  });

  it('names the line of a malformed entry instead of silently dropping it', () => {
    expect(() => parseKnownHosts(`# ok\nnode1 ssh-ed25519`)).toThrow(/line 2/);
    expect(() => parseKnownHosts(`node1 ssh-rsa ${keys.ed1.line.split(' ')[1]}`)).toThrow(
      /line 1: the key is not a valid ssh-rsa key/,
    );
    expect(() => parseKnownHosts(`@bogus node1 ${keys.ed1.line}`)).toThrow(/unknown marker/);
  });
});

describe('host matching agrees with ssh-keygen -F', () => {
  const cases: Array<[patterns: string, host: string, port: number]> = [
    ['node1', 'node1', 22],
    ['node1', 'NODE1', 22],
    ['node1', 'node1', 2222],
    ['[node1]:2222', 'node1', 2222],
    ['[node1]:2222', 'node1', 22],
    ['[127.0.0.1]:2222', '127.0.0.1', 2222],
    ['a,b,c', 'b', 22],
    ['*.example.com,!bad.example.com', 'good.example.com', 22],
    ['*.example.com,!bad.example.com', 'bad.example.com', 22],
    ['node?.lab', 'node1.lab', 22],
    ['node?.lab', 'node12.lab', 22],
    ['*', 'anything', 22],
    ['[*.lab]:2222', 'n1.lab', 2222],
  ];
  it.each(cases)('%s vs %s port %i', (patterns, host, port) => {
    const text = `${patterns} ${keys.ed1.line}\n`;
    const verifier = createHostVerifier(parseKnownHosts(text), host, port);
    const name = port === 22 ? host : `[${host}]:${port}`;
    expect(verifier(keys.ed1.blob)).toBe(opensshFinds(text, name));
  });
});

describe('createHostVerifier', () => {
  it('trusts only the pinned key and explains why it refuses others', () => {
    const entries = parseKnownHosts(`node1 ${keys.ed1.line}\n`);
    const verifier = createHostVerifier(entries, 'node1', 22);
    expect(verifier(keys.ed1.blob)).toBe(true);
    expect(verifier(keys.ed2.blob)).toBe(false);
    expect(verifier.explain(keys.ed2.blob)).toEqual({
      status: 'changed',
      fingerprint: keys.ed2.keygenFingerprint,
      expected: [keys.ed1.keygenFingerprint],
    });
    expect(createHostVerifier(entries, 'node2', 22).explain(keys.ed1.blob)).toEqual({
      status: 'unknown',
      fingerprint: keys.ed1.keygenFingerprint,
    });
  });

  it('refuses a key truncated or extended by a byte (length is checked before comparing)', () => {
    const verifier = createHostVerifier(parseKnownHosts(`node1 ${keys.ed1.line}`), 'node1', 22);
    expect(verifier(keys.ed1.blob.subarray(0, -1))).toBe(false);
    expect(verifier(Buffer.concat([keys.ed1.blob, Buffer.from([0])]))).toBe(false);
  });

  it('matches names hashed by ssh-keygen -H, including [host]:port', () => {
    const file = join(dir, 'hashed');
    writeFileSync(file, `node1.example.com ${keys.ed1.line}\n[127.0.0.1]:2222 ${keys.ed2.line}\n`);
    // stdio: ssh-keygen -H warns on stderr about the .old backup it leaves behind.
    execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'pipe' });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('node1');
    const entries = parseKnownHosts(text);
    expect(entries.every((entry) => entry.hosts[0]?.kind === 'hashed')).toBe(true);
    expect(createHostVerifier(entries, 'node1.example.com', 22)(keys.ed1.blob)).toBe(true);
    expect(createHostVerifier(entries, '127.0.0.1', 2222)(keys.ed2.blob)).toBe(true);
    expect(createHostVerifier(entries, '127.0.0.1', 22)(keys.ed2.blob)).toBe(false);
    expect(createHostVerifier(entries, 'node2.example.com', 22)(keys.ed1.blob)).toBe(false);
  });

  it('refuses a revoked key even when a plain line pins it', () => {
    const entries = parseKnownHosts(`node1 ${keys.ed1.line}\n@revoked * ${keys.ed1.line}\n`);
    expect(createHostVerifier(entries, 'node1', 22)(keys.ed1.blob)).toBe(false);
    expect(checkHostKey(entries, 'node1', 22, keys.ed1.blob).status).toBe('revoked');
  });

  it('ignores @cert-authority lines (certificates are not supported)', () => {
    const entries = parseKnownHosts(`@cert-authority node1 ${keys.ed1.line}\n`);
    expect(checkHostKey(entries, 'node1', 22, keys.ed1.blob).status).toBe('unknown');
  });

  it('trusts any of several keys pinned for a host and lists their types', () => {
    const entries = parseKnownHosts(
      `node1 ${keys.rsa.line}\nnode1 ${keys.ecdsa.line}\nnode1 ${keys.ed1.line}\nother ${keys.ed2.line}\n`,
    );
    const verifier = createHostVerifier(entries, 'node1', 22);
    expect(verifier(keys.rsa.blob) && verifier(keys.ecdsa.blob) && verifier(keys.ed1.blob)).toBe(true);
    expect(verifier.keyTypes).toEqual(['ssh-rsa', 'ecdsa-sha2-nistp256', 'ssh-ed25519']);
  });
});

describe('hostKeyAlgorithms', () => {
  it('asks for every signature algorithm of a pinned RSA key and skips types ssh2 lacks', () => {
    expect(hostKeyAlgorithms(['ssh-rsa', 'ssh-ed25519', 'sk-ssh-ed25519@openssh.com'])).toEqual([
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
      'ssh-ed25519',
    ]);
    expect(hostKeyAlgorithms([])).toEqual([]);
  });
});
