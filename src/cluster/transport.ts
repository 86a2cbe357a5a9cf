/**
 * The narrow port for running commands on a Ganeti node. Commands are argv
 * arrays; quoting for the remote shell happens once, inside the implementation.
 */
export interface ExecResult {
  stdout: string;
  stderr: string;
  /** Exit status, or null when the command was ended by a signal or the channel closed. */
  code: number | null;
}

export interface ExecOptions {
  /** Kill the remote command and reject after this many ms. Default: the transport's own. */
  timeoutMs?: number;
  /** Called with each chunk of stdout as it arrives (for progress of long commands). */
  onStdout?: (chunk: string) => void;
}

export interface RemoteTransport {
  /** A name for logs and messages, e.g. `root@198.51.100.11:22`. */
  readonly label: string;
  exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  close(): Promise<void>;
}
