/**
 * A Slack-SDK `Logger` that keeps lines in memory instead of printing, for Bolt, WebClient and the
 * Socket Mode client in tests: the test output stays quiet and tests can assert on what was logged.
 */
import { LogLevel, type Logger } from '@slack/bolt';

/** One captured log line. */
export interface CapturedLine {
  level: LogLevel;
  message: string;
}

/** A {@link Logger} whose output is in `lines`. */
export interface TestLogger extends Logger {
  readonly lines: CapturedLine[];
  /** The captured messages that contain `text`. */
  find(text: string): CapturedLine[];
}

const ORDER: LogLevel[] = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];

/**
 * Creates a logger that captures lines at `level` and above (default `info`; `setLevel` changes it,
 * as Bolt may call it).
 */
export function createTestLogger(level: LogLevel = LogLevel.INFO): TestLogger {
  let current = level;
  const lines: CapturedLine[] = [];
  const at =
    (lineLevel: LogLevel) =>
    (...msg: unknown[]): void => {
      if (ORDER.indexOf(lineLevel) < ORDER.indexOf(current)) return;
      lines.push({
        level: lineLevel,
        message: msg.map((m) => (typeof m === 'string' ? m : String(m))).join(' '),
      });
    };
  return {
    lines,
    find: (text) => lines.filter((line) => line.message.includes(text)),
    debug: at(LogLevel.DEBUG),
    info: at(LogLevel.INFO),
    warn: at(LogLevel.WARN),
    error: at(LogLevel.ERROR),
    setLevel: (next) => {
      current = next;
    },
    getLevel: () => current,
    setName: () => undefined,
  };
}
