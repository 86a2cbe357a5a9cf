import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createLogger } from '../../src/core/logger.js';

/** A real pino logger (with the app's redaction) whose lines are kept as parsed JSON. */
export function captureLogger(level = 'debug'): {
  logger: Logger;
  lines: Array<Record<string, unknown>>;
  text(): string;
} {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return {
    logger: createLogger(level, sink),
    lines,
    text: () => lines.map((l) => JSON.stringify(l)).join('\n'),
  };
}
