import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envDescriptions } from '../../src/config/env-descriptions.js';
import { envSchema } from '../../src/config/schema.js';

/**
 * `.env.example`, the schema and the description table (src/config/env-descriptions.ts) name the
 * same variables. A test-only variable (`testOnly` in the table) may appear only commented out:
 * the file is copied to `.env` as it is.
 */
const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
const lines = example.split('\n');
const assigned = (commented: boolean) =>
  lines.flatMap((line) => {
    const m = (commented ? /^#\s*([A-Z][A-Z0-9_]*)=/ : /^([A-Z][A-Z0-9_]*)=/).exec(line);
    return m?.[1] ? [m[1]] : [];
  });
const set = assigned(false);
const commentedOut = assigned(true);
const schemaKeys = Object.keys(envSchema.shape);
const testOnly = Object.entries(envDescriptions)
  .filter(([, d]) => d.testOnly)
  .map(([name]) => name);

describe('.env.example', () => {
  it('names every variable of the schema', () => {
    const named = new Set([...set, ...commentedOut]);
    expect(schemaKeys.filter((k) => !named.has(k) && !testOnly.includes(k))).toEqual([]);
  });

  it('names no variable the schema does not know', () => {
    expect([...set, ...commentedOut].filter((k) => !schemaKeys.includes(k))).toEqual([]);
  });

  it('names each variable once', () => {
    const all = [...set, ...commentedOut];
    expect(all.filter((k, i) => all.indexOf(k) !== i)).toEqual([]);
  });

  it('never sets a test-only variable', () => {
    expect(set.filter((k) => testOnly.includes(k))).toEqual([]);
  });

  it('gives only values the schema accepts', () => {
    const shape = envSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
    const rejected = lines.flatMap((line) => {
      const m = /^([A-Z][A-Z0-9_]*)=(.+)$/.exec(line);
      if (!m?.[1] || m[2] === undefined) return [];
      return shape[m[1]]?.safeParse(m[2]).success === false ? [line] : [];
    });
    expect(rejected).toEqual([]);
  });

  it('lists them in the order of the description table (and so of docs/configuration.md)', () => {
    const inFile = lines.flatMap((line) => {
      const m = /^(?:#\s*)?([A-Z][A-Z0-9_]*)=/.exec(line);
      return m?.[1] ? [m[1]] : [];
    });
    expect(inFile).toEqual(Object.keys(envDescriptions).filter((k) => inFile.includes(k)));
  });
});
