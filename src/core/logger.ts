import { pino, type DestinationStream, type Logger } from 'pino';

/** Paths pino blanks out wherever they appear in a log line. */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'privateKey',
  '*.privateKey',
  'headers.authorization',
  '*.headers.authorization',
  // ioredis puts the failed command on its error: after a failed login that is `AUTH user PASSWORD`.
  'err.command.args',
  '*.err.command.args',
  'response_url',
  '*.response_url',
  'responseUrl',
  '*.responseUrl',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'ganeti-chatops' } },
    destination,
  );
}
