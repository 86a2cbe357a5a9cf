/**
 * OpenSSH known_hosts support for pinning host keys (ssh2 has none of its own). Follows
 * sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT": comma-separated host patterns with `*`, `?` and `!`,
 * `[host]:port` for ports other than 22, hashed names (`|1|salt|hmac`), and the `@revoked` and
 * `@cert-authority` markers.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
// OpenSSH `match_pattern`: `*` any run of characters, `?` exactly one; linear, never a regex.
import { globMatch } from '../core/glob.js';
import type { ServerHostKeyAlgorithm } from 'ssh2';

/** One host name pattern from the first field, e.g. `node1`, `*.example.com`, `!bad.example.com`. */
export type HostPattern =
  | { kind: 'pattern'; pattern: string; negated: boolean }
  /** `|1|salt|hash`: HMAC-SHA1 of the host name keyed with the salt (`HashKnownHosts yes`). */
  | { kind: 'hashed'; salt: Buffer; hash: Buffer };

/** One key line of a known_hosts file. */
export interface KnownHostEntry {
  /** 1-based line number, for messages. */
  line: number;
  /** `revoked`: a matching key is refused; `cert-authority`: a CA key (not supported, ignored). */
  marker: 'revoked' | 'cert-authority' | undefined;
  hosts: HostPattern[];
  /** Key type as written, e.g. `ssh-ed25519`. */
  keyType: string;
  /** The raw public key blob (what ssh2 hands to `hostVerifier`). */
  key: Buffer;
}

/**
 * Parses the text of a known_hosts file. Comments and blank lines are skipped.
 *
 * @throws Error naming the line when a line is malformed: a pinning file that silently loses
 *   entries would turn into "host key is not known" errors that are hard to trace.
 */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const fields = raw.trim().split(/[ \t]+/);
    if (fields[0] === '' || fields[0]?.startsWith('#')) return;
    let marker: KnownHostEntry['marker'];
    if (fields[0]?.startsWith('@')) {
      const name = fields.shift();
      if (name !== '@revoked' && name !== '@cert-authority') {
        throw new Error(`known_hosts line ${line}: unknown marker ${name}`);
      }
      marker = name === '@revoked' ? 'revoked' : 'cert-authority';
    }
    const [hostField, keyType, keyBase64] = fields;
    if (hostField === undefined || keyType === undefined || keyBase64 === undefined) {
      throw new Error(`known_hosts line ${line}: expected "hosts keytype base64-key"`);
    }
    const key = Buffer.from(keyBase64, 'base64');
    // The blob starts with its own type name: a mismatch means a truncated or pasted-over key.
    if (blobKeyType(key) !== keyType) {
      throw new Error(`known_hosts line ${line}: the key is not a valid ${keyType} key`);
    }
    entries.push({ line, marker, hosts: parseHostField(hostField, line), keyType, key });
  });
  return entries;
}

function parseHostField(field: string, line: number): HostPattern[] {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (salt === undefined || hash === undefined) {
      throw new Error(`known_hosts line ${line}: malformed hashed host name`);
    }
    return [{ kind: 'hashed', salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') }];
  }
  return field
    .split(',')
    .filter((pattern) => pattern !== '')
    .map((pattern) =>
      pattern.startsWith('!')
        ? { kind: 'pattern', pattern: pattern.slice(1).toLowerCase(), negated: true }
        : { kind: 'pattern', pattern: pattern.toLowerCase(), negated: false },
    );
}

/** Reads the length-prefixed type name at the start of an SSH public key blob. */
function blobKeyType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || blob.length < 4 + length) return undefined;
  return blob.toString('latin1', 4, 4 + length);
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. Host names are case-blind. */
export function knownHostsName(host: string, port: number): string {
  const name = host.toLowerCase();
  return port === 22 ? name : `[${name}]:${port}`;
}

/** Whether an entry's host list covers `name`; any matching `!pattern` vetoes the whole line. */
function hostsMatch(hosts: readonly HostPattern[], name: string): boolean {
  let matched = false;
  for (const host of hosts) {
    if (host.kind === 'hashed') {
      const digest = createHmac('sha1', host.salt).update(name).digest();
      if (digest.length === host.hash.length && timingSafeEqual(digest, host.hash)) matched = true;
    } else if (globMatch(name, host.pattern)) {
      if (host.negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** Compares key blobs in constant time (timingSafeEqual throws on different lengths). */
function sameKey(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `SHA256:<base64 without padding>` of a key blob: the same string `ssh-keygen -lf` prints. */
export function fingerprintSha256(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * What known_hosts says about an offered key, with enough detail for a useful error message.
 * `unknown`: no entry for this host at all; `changed`: entries exist but none has this key.
 */
export type HostKeyVerdict =
  | { status: 'trusted'; fingerprint: string }
  | { status: 'unknown'; fingerprint: string }
  | { status: 'changed'; fingerprint: string; expected: string[] }
  | { status: 'revoked'; fingerprint: string };

/** Checks the key a host offered against parsed known_hosts entries. */
export function checkHostKey(
  entries: readonly KnownHostEntry[],
  host: string,
  port: number,
  key: Buffer,
): HostKeyVerdict {
  const fingerprint = fingerprintSha256(key);
  const name = knownHostsName(host, port);
  const relevant = entries.filter((entry) => hostsMatch(entry.hosts, name));
  // Revocation wins over any plain entry, as in OpenSSH.
  if (relevant.some((entry) => entry.marker === 'revoked' && sameKey(entry.key, key))) {
    return { status: 'revoked', fingerprint };
  }
  const pinned = relevant.filter((entry) => entry.marker === undefined);
  if (pinned.some((entry) => sameKey(entry.key, key))) return { status: 'trusted', fingerprint };
  if (pinned.length === 0) return { status: 'unknown', fingerprint };
  return { status: 'changed', fingerprint, expected: pinned.map((entry) => fingerprintSha256(entry.key)) };
}

/**
 * A host key check for ssh2's `hostVerifier` (true = trust), which can also explain a refusal
 * and tells which key types are pinned so the client can ask the server for one of those.
 */
export interface HostVerifier {
  (key: Buffer): boolean;
  explain(key: Buffer): HostKeyVerdict;
  /** Key types pinned for this host, in file order, e.g. `['ssh-rsa', 'ssh-ed25519']`. */
  readonly keyTypes: readonly string[];
}

/** Builds the verifier for one `host:port` from parsed known_hosts entries. */
export function createHostVerifier(
  entries: readonly KnownHostEntry[],
  host: string,
  port: number,
): HostVerifier {
  const name = knownHostsName(host, port);
  const keyTypes = [
    ...new Set(
      entries
        .filter((entry) => entry.marker === undefined && hostsMatch(entry.hosts, name))
        .map((entry) => entry.keyType),
    ),
  ];
  const explain = (key: Buffer): HostKeyVerdict => checkHostKey(entries, host, port, key);
  return Object.assign((key: Buffer) => explain(key).status === 'trusted', { explain, keyTypes });
}

/**
 * The host key algorithms to offer for pinned key types, so the server presents a key we can
 * check (Ganeti's own known_hosts often pins only `ssh-rsa`, while ssh2 prefers ed25519).
 * Empty when nothing usable is pinned: then any key is refused with a clear "unknown" error.
 */
export function hostKeyAlgorithms(keyTypes: readonly string[]): ServerHostKeyAlgorithm[] {
  const byType: Record<string, ServerHostKeyAlgorithm[]> = {
    'ssh-ed25519': ['ssh-ed25519'],
    'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
    'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
    'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
    'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
  };
  return keyTypes.flatMap((type) => byType[type] ?? []);
}

/**
 * Words for a refused host key: what happened and what to do, naming the offered fingerprint.
 * `verdict` is undefined when the verifier could not explain itself.
 */
export function describeHostKeyRefusal(
  verdict: HostKeyVerdict | undefined,
  offered: string,
  target: { label: string; host: string; port: number },
): { message: string; hint: string } {
  const { label, host, port } = target;
  const file = 'the file named by GANETI_SSH_KNOWN_HOSTS';
  switch (verdict?.status) {
    case 'unknown':
      return {
        message: `host key for ${label} is not in KNOWN_HOSTS (offered ${offered})`,
        hint:
          `Check ${offered} with the host's administrator, then add the host's key ` +
          `(ssh-keyscan -p ${port} ${host}) to ${file}.`,
      };
    case 'changed':
      return {
        message: `host key for ${label} CHANGED (offered ${offered}, known ${verdict.expected.join(', ')})`,
        hint: `A reinstalled host or an attack. If the change is expected, replace the host's line in ${file}.`,
      };
    case 'revoked':
      return {
        message: `host key for ${label} is revoked (offered ${offered})`,
        hint: `The key is marked @revoked in ${file}; the host needs a new host key.`,
      };
    default:
      return {
        message: `host key for ${label} was refused (offered ${offered})`,
        hint: `Compare it with the host's line in ${file}.`,
      };
  }
}
