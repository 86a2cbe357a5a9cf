import { StringDecoder } from 'node:string_decoder';
import type { Logger } from 'pino';
import type { ClientChannel } from 'ssh2';
import type { ExecOptions, ExecResult } from './transport.js';

/** Reads a channel to its end: UTF-8 decoded safely across chunk boundaries, stdout streamed. */
export function collect(
  channel: ClientChannel,
  onStdout: ExecOptions['onStdout'],
  log: Logger,
  /** Output (stdout and stderr together) beyond this ends the command: `tooMuch` says why. */
  limit: { bytes: number; tooMuch: () => Error } = {
    bytes: Infinity,
    tooMuch: () => new Error('too much output'),
  },
): Promise<ExecResult> {
  const out = new StringDecoder('utf8');
  const err = new StringDecoder('utf8');
  let stdout = '';
  let stderr = '';
  const emit = (text: string): void => {
    stdout += text;
    if (text === '' || !onStdout) return;
    try {
      onStdout(text);
    } catch (callbackError) {
      log.warn({ err: callbackError }, 'onStdout callback threw; output is still collected');
    }
  };
  let size = 0;
  let overflow: ((error: Error) => void) | null = null;
  const count = (chunk: Buffer): boolean => {
    size += chunk.length;
    if (size <= limit.bytes) return true;
    overflow?.(limit.tooMuch());
    overflow = null;
    kill(channel);
    return false;
  };
  channel.on('data', (chunk: Buffer) => {
    if (count(chunk)) emit(out.write(chunk));
  });
  channel.stderr.on('data', (chunk: Buffer) => {
    if (count(chunk)) stderr += err.write(chunk);
  });
  // Not 'exit': for a fast command the exit status arrives in the same TCP read as the exec
  // reply and is emitted before our listeners exist. ssh2 repeats it as the first argument of
  // 'close' (@types/ssh2 omits it): a number, or null/undefined after a signal or no status.
  return new Promise((resolve, reject) => {
    overflow = reject;
    channel.once('close', (exitCode?: unknown) => {
      emit(out.end());
      resolve({ stdout, stderr: stderr + err.end(), code: typeof exitCode === 'number' ? exitCode : null });
    });
  });
}

/** Settles like `promise`, or rejects with the signal's reason as soon as it is aborted. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Asks the remote command to die and closes the channel. sshd refuses signals in root sessions
 * (no post-auth privilege separation for root): such a command runs on until it exits or
 * writes to the closed channel (SIGPIPE).
 */
export function kill(channel: ClientChannel): void {
  channel.signal('KILL'); // a no-op once the channel is closing
  channel.close();
  // ssh2 emits 'close' only after both streams are consumed.
  channel.resume();
  channel.stderr.resume();
}
