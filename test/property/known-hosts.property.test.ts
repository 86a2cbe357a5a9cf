/**
 * Properties of the known_hosts reader (src/cluster/known-hosts.ts), the file that decides
 * which host keys the bot trusts:
 * - any text is read or refused with the documented error, `known_hosts line N: …`, naming a
 *   line that holds something; nothing else is ever thrown;
 * - generated files (plain, negated, wildcard and `[host]:port` patterns, hashed `|1|salt|hash`
 *   names, `@revoked`/`@cert-authority` markers, any key type, comments, blank lines, tabs,
 *   CRLF) read back as exactly the entries they were written from, on the right line numbers;
 * - the verdict on an offered key (trusted, unknown, changed, revoked) and the pinned key types
 *   agree with a model written from sshd(8)'s description, with globs matched by a reference;
 * - host matching answers for a pattern of many consecutive stars, as OpenSSH's does
 *   (`ssh-keygen -F` takes milliseconds for the one below).
 *
 * Inside properties we assert with node:assert: vitest's expect costs ~20 µs a call.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  checkHostKey,
  createHostVerifier,
  fingerprintSha256,
  knownHostsName,
  parseKnownHosts,
  type HostKeyVerdict,
  type HostPattern,
  type KnownHostEntry,
} from '../../src/cluster/known-hosts.js';
import { nastyString } from './arbitraries.js';
import { referenceMatch } from './reference-glob.js';

/** An SSH public key blob: its type name, length-prefixed, then the key material. */
const keyBlob = (type: string, body: Uint8Array) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(type.length);
  return Buffer.concat([length, Buffer.from(type, 'latin1'), body]);
};

const keyType = fc.oneof(
  fc.constantFrom('ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256', 'ssh-ed25519-cert-v01@openssh.com'),
  fc.stringMatching(/^[a-z0-9@.-]{1,64}$/),
);
const separator = fc.stringMatching(/^[ \t]{1,3}$/);
const margin = fc.stringMatching(/^[ \t]{0,2}$/);

/** A host pattern as written: wildcards, mixed case, `!`, `[host]:port`. */
const writtenPattern = fc
  .tuple(
    fc.boolean(),
    fc.stringMatching(/^[A-Za-z0-9*?][A-Za-z0-9.*?-]{0,15}$/),
    fc.option(fc.integer({ min: 1, max: 65535 })),
  )
  .map(([negated, host, port]) => `${negated ? '!' : ''}${port === null ? host : `[${host}]:${port}`}`);

/** What the reader should make of a written pattern. */
const expectedPattern = (written: string): HostPattern => {
  const negated = written.startsWith('!');
  return { kind: 'pattern', pattern: (negated ? written.slice(1) : written).toLowerCase(), negated };
};

const hashedHost = fc
  .tuple(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.uint8Array({ minLength: 20, maxLength: 20 }))
  .map(([salt, hash]) => ({ salt: Buffer.from(salt), hash: Buffer.from(hash) }));

interface WrittenEntry {
  text: string;
  expected: Omit<KnownHostEntry, 'line'>;
}

const entryLine: fc.Arbitrary<WrittenEntry> = fc
  .record({
    marker: fc.constantFrom(undefined, 'revoked' as const, 'cert-authority' as const),
    hosts: fc.oneof(
      {
        weight: 3,
        arbitrary: fc.array(fc.oneof(writtenPattern, fc.constant('')), { minLength: 1, maxLength: 4 }),
      },
      { weight: 1, arbitrary: hashedHost },
    ),
    keyType,
    body: fc.uint8Array({ maxLength: 48, size: 'medium' }),
    comment: fc.option(
      fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\t', '#', '@', '=', 'é'), maxLength: 12 }),
    ),
    gaps: fc.array(separator, { minLength: 4, maxLength: 4 }),
    margins: fc.tuple(margin, margin),
  })
  .map(({ marker, hosts, keyType: type, body, comment, gaps, margins }) => {
    const key = keyBlob(type, body);
    const hostField = Array.isArray(hosts)
      ? hosts.join(',') || ',' // never an empty field: that would shift the others
      : `|1|${hosts.salt.toString('base64')}|${hosts.hash.toString('base64')}`;
    const fields = [...(marker ? [`@${marker}`] : []), hostField, type, key.toString('base64')];
    const text =
      margins[0] +
      fields.map((f, i) => (i === 0 ? f : `${gaps[i - 1]}${f}`)).join('') +
      (comment === null ? '' : `${gaps[3]}${comment}`) +
      margins[1];
    const expectedHosts: HostPattern[] = Array.isArray(hosts)
      ? hosts.filter((h) => h !== '').map(expectedPattern)
      : [{ kind: 'hashed', ...hosts }];
    return { text, expected: { marker, hosts: expectedHosts, keyType: type, key } };
  });

const otherLine = fc.oneof(
  margin,
  fc
    .tuple(margin, fc.string({ maxLength: 20, size: 'medium' }))
    .map(([m, c]) => `${m}#${c.replace(/[\r\n]/g, '')}`),
);

/** A whole file: entries among blank and comment lines, with LF or CRLF line ends. */
const knownHostsFile = fc
  .tuple(
    fc.array(fc.oneof(entryLine, otherLine), { maxLength: 12 }),
    fc.constantFrom('\n', '\r\n'),
    fc.boolean(),
  )
  .map(([lines, eol, finalEol]) => ({
    text: lines.map((l) => (typeof l === 'string' ? l : l.text)).join(eol) + (finalEol ? eol : ''),
    expected: lines.flatMap((l, index) =>
      typeof l === 'string' ? [] : [{ line: index + 1, ...l.expected }],
    ),
  }));

describe('parseKnownHosts (property)', () => {
  it('reads any text or refuses it with the documented error, naming a line that holds something', () => {
    // Real lines with one thing broken, and noise.
    const line = fc.oneof(
      entryLine.map((e) => e.text),
      entryLine.map((e) => e.text.slice(0, -7)),
      entryLine.map((e) => e.text.replace(/[A-Za-z0-9+/=]{6}(\s|$)/, '$1')),
      entryLine.map((e) => `@revokd ${e.text}`),
      entryLine.map((e) => e.text.replace(/ssh-|ecdsa-/, 'ssh-rsa')),
      fc.constantFrom('@revoked', '@cert-authority host', 'host ssh-ed25519', '|1|', '|1|x ssh-rsa AAAA', ''),
      nastyString(30),
      fc.string({ unit: 'binary', maxLength: 30, size: 'medium' }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 6 }), fc.constantFrom('\n', '\r\n'), (lines, eol) => {
        const text = lines.join(eol);
        let entries: KnownHostEntry[];
        try {
          entries = parseKnownHosts(text);
        } catch (error) {
          assert.ok(error instanceof Error);
          const match = /^known_hosts line (\d+): \S/.exec(error.message);
          assert.ok(match, error.message);
          const named = text.split(/\r?\n/)[Number(match[1]) - 1];
          assert.ok(
            named !== undefined && named.trim() !== '' && !named.trim().startsWith('#'),
            error.message,
          );
          return;
        }
        for (const entry of entries)
          assert.equal(entry.key.toString('latin1', 4, 4 + entry.keyType.length), entry.keyType);
      }),
      { numRuns: 4_000 },
    );
  });

  it('reads generated files back as exactly the entries they were written from', () => {
    fc.assert(
      fc.property(knownHostsFile, ({ text, expected }) => {
        assert.deepEqual(parseKnownHosts(text), expected);
      }),
      { numRuns: 3_000 },
    );
  });
});

/** sshd(8)'s rules, written out: an entry covers a name when a pattern matches and no `!pattern` does. */
function modelCovers(entry: KnownHostEntry, name: string): boolean {
  let matched = false;
  for (const host of entry.hosts) {
    if (host.kind === 'hashed') {
      if (createHmac('sha1', host.salt).update(name).digest().equals(host.hash)) matched = true;
    } else if (referenceMatch(name, host.pattern)) {
      if (host.negated) return false;
      matched = true;
    }
  }
  return matched;
}

function modelVerdict(
  entries: readonly KnownHostEntry[],
  name: string,
  key: Buffer,
): HostKeyVerdict['status'] {
  const relevant = entries.filter((e) => modelCovers(e, name));
  if (relevant.some((e) => e.marker === 'revoked' && e.key.equals(key))) return 'revoked';
  const pinned = relevant.filter((e) => e.marker === undefined);
  if (pinned.some((e) => e.key.equals(key))) return 'trusted';
  return pinned.length === 0 ? 'unknown' : 'changed';
}

describe('checkHostKey and createHostVerifier (property)', () => {
  // A tiny world, so that patterns, hashed names and keys often coincide.
  const host = fc.stringMatching(/^[aAb]{1,3}$/);
  const port = fc.constantFrom(22, 2222);
  const keys = [0, 1, 2].map((i) => keyBlob(i === 2 ? 'ssh-rsa' : 'ssh-ed25519', Buffer.from([i, i, i])));
  const key = fc.constantFrom(...keys);
  const pattern = fc
    .tuple(fc.boolean(), fc.stringMatching(/^[ab*?]{0,3}$/), fc.boolean())
    .map(([negated, p, ported]) => `${negated ? '!' : ''}${ported ? `[${p}]:2222` : p || '*'}`);
  const hashedFor = fc
    .tuple(host, port, fc.uint8Array({ minLength: 20, maxLength: 20 }))
    .map(([h, p, salt]) => {
      const hash = createHmac('sha1', Buffer.from(salt)).update(knownHostsName(h, p)).digest();
      return `|1|${Buffer.from(salt).toString('base64')}|${hash.toString('base64')}`;
    });
  const line = fc
    .tuple(
      fc.constantFrom('', '', '@revoked ', '@cert-authority '),
      fc.oneof(
        fc.array(pattern, { minLength: 1, maxLength: 3 }).map((ps) => ps.join(',')),
        hashedFor,
      ),
      key,
    )
    .map(
      ([marker, hosts, k]) =>
        `${marker}${hosts} ${k.toString('latin1', 4, 4 + k.readUInt32BE(0))} ${k.toString('base64')}`,
    );

  it('gives the verdict and the pinned key types the model gives, for any entries, host, port and key', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 6 }), host, port, key, (lines, h, p, offered) => {
        const entries = parseKnownHosts(lines.join('\n'));
        const name = p === 22 ? h.toLowerCase() : `[${h.toLowerCase()}]:${p}`;
        assert.equal(knownHostsName(h, p), name);
        const verdict = checkHostKey(entries, h, p, offered);
        assert.equal(verdict.status, modelVerdict(entries, name, offered));
        assert.equal(verdict.fingerprint, fingerprintSha256(offered));
        if (verdict.status === 'changed') {
          const pinned = entries.filter((e) => e.marker === undefined && modelCovers(e, name));
          assert.deepEqual(
            verdict.expected,
            pinned.map((e) => fingerprintSha256(e.key)),
          );
        }
        const verifier = createHostVerifier(entries, h, p);
        assert.equal(verifier(offered), verdict.status === 'trusted');
        const types = entries
          .filter((e) => e.marker === undefined && modelCovers(e, name))
          .map((e) => e.keyType);
        assert.deepEqual(verifier.keyTypes, [...new Set(types)]);
      }),
      { numRuns: 4_000 },
    );
  });

  it('answers for a pattern of 16 stars against a 40-character host name, as OpenSSH does', () => {
    // In a child process with a time limit: a matcher that backtracks blocks its thread, and a
    // test cannot interrupt it. The answer itself is known: no `c` in the name, so no match.
    const source = fileURLToPath(new URL('../../src/cluster/known-hosts.ts', import.meta.url));
    const key = keyBlob('ssh-ed25519', Buffer.from([1])).toString('base64');
    const script = [
      `import { parseKnownHosts, checkHostKey } from ${JSON.stringify(source)};`,
      `const entries = parseKnownHosts(${JSON.stringify(`${'*'.repeat(16)}c ssh-ed25519 ${key}`)});`,
      `process.stdout.write(checkHostKey(entries, ${JSON.stringify('a'.repeat(40))}, 22, entries[0].key).status);`,
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      encoding: 'utf8',
      timeout: 5_000,
    });
    assert.equal(child.signal, null, 'host matching did not answer within 5 s');
    assert.equal(child.stdout, 'unknown', child.stderr);
  });
});
