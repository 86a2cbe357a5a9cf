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

export interface StreamOptions {
  /** Each chunk of the command's stdout and stderr, decoded as UTF-8. */
  onStdout: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  /** How long the command may take to start (a free channel included). */
  timeoutMs?: number;
}

/** A long-running remote command we talk to through its stdin and stdout. */
export interface RemoteStream {
  /** Writes to the command's stdin. */
  write(text: string): void;
  /** Settles with the exit status (null: a signal, or the connection went away) once it ended. */
  readonly ended: Promise<number | null>;
  /** Ends the command (closes its channel); `ended` settles after. */
  close(): void;
}

export interface RemoteTransport {
  /** A name for logs and messages, e.g. `root@198.51.100.11:22`. */
  readonly label: string;
  exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** Starts argv and keeps it running (see query-helper.ts); optional for a transport. */
  stream?(argv: readonly string[], options: StreamOptions): Promise<RemoteStream>;
  close(): Promise<void>;
}
