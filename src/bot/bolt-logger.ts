import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from 'pino';

/** Bolt logs through our pino logger, so secrets are redacted the same way. */
export function boltLogger(logger: Logger): BoltLogger {
  let level: LogLevel = LogLevel.INFO;
  const stringify = (msg: unknown[]) =>
    msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg: unknown[]) => logger.debug(stringify(msg)),
    info: (...msg: unknown[]) => logger.info(stringify(msg)),
    warn: (...msg: unknown[]) => logger.warn(stringify(msg)),
    error: (...msg: unknown[]) => logger.error(stringify(msg)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
