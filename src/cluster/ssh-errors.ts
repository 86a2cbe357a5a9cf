import { ClusterUnavailableError } from '../core/errors.js';
import { describeHostKeyRefusal, fingerprintSha256, type HostKeyVerdict } from './known-hosts.js';

/** An ssh2 error: `level` tells the phase (handshake, client-authentication, client-timeout). */
export type SshError = Error & { level?: string; code?: string };

/** The parts of a host verifier a refusal message uses. */
export interface HostKeyVerifierLike {
  explain?: (key: Buffer) => HostKeyVerdict;
  keyTypes?: readonly string[];
}

/** Turns an ssh2 failure before login into a message a person can act on. */
export function describeConnectError(
  err: SshError,
  target: { label: string; host: string; port: number; username: string; connectTimeoutMs: number },
  offeredKey: Buffer | undefined,
  verifier: HostKeyVerifierLike | undefined,
): ClusterUnavailableError {
  const { label, host, port, username } = target;
  const fail = (what: string, hint: string) =>
    new ClusterUnavailableError(`Could not connect to ${label}: ${what}`, { hint, cause: err });
  const hostsHint = 'Is sshd running on the master candidates? Check GANETI_SSH_HOSTS.';
  if (err.message.startsWith('Host denied') && offeredKey) {
    const offered = fingerprintSha256(offeredKey);
    const { message, hint } = describeHostKeyRefusal(verifier?.explain?.(offeredKey), offered, target);
    return fail(message, hint);
  }
  if (err.level === 'handshake' && /host key/.test(err.message) && verifier?.keyTypes?.length) {
    // We offered only the pinned key types (hostKeyAlgorithms) and the host has none of them.
    const pinned = verifier.keyTypes.join(', ');
    const hint = `Add the host's current key (ssh-keyscan -p ${port} ${host}) to the file named by GANETI_SSH_KNOWN_HOSTS.`;
    return fail(`host key for ${label} CHANGED: it has no key of the pinned types (${pinned})`, hint);
  }
  if (err.level === 'client-authentication') {
    const hint = `Check that GANETI_SSH_KEY_FILE holds the private key whose public key is in ~${username}/.ssh/authorized_keys on ${host}.`;
    return fail(`SSH login as ${username} was refused`, hint);
  }
  if (err.level === 'client-timeout') {
    const hint = `Check that ${host} is up and TCP port ${port} is open. ${hostsHint}`;
    return fail(`no SSH answer within ${target.connectTimeoutMs} ms`, hint);
  }
  switch (err.code) {
    case 'ECONNREFUSED':
      return fail('connection refused', hostsHint);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return fail(`host name ${host} not found`, 'Check GANETI_SSH_HOSTS and the bot’s DNS resolver.');
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ETIMEDOUT':
      return fail('host unreachable', `Check that ${host} is up and routable from the bot. ${hostsHint}`);
    default:
      return fail(err.message, hostsHint);
  }
}
