import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * test/fixtures: real Ganeti 3.0 output captured from a lab cluster, one command per file (how they
 * were captured, the file format and the names: test/fixtures/README.md).
 */
const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** The whole fixture file, including its first `$ COMMAND` line. */
export function readFixtureRaw(name: string): string {
  return readFileSync(`${FIXTURES_DIR}${name}`, 'utf8');
}

/** The captured output only: the fixture without its first `$ COMMAND` line. */
export function readFixture(name: string): string {
  const raw = readFixtureRaw(name);
  if (!raw.startsWith('$ ')) throw new Error(`fixture ${name} does not start with a "$ COMMAND" line`);
  const newline = raw.indexOf('\n');
  return newline === -1 ? '' : raw.slice(newline + 1);
}
