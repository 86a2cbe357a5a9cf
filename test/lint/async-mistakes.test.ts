import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The repo's own ESLint config, on a text given for a file that exists (type information needs a file of the project). */
async function lint(code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: process.cwd() });
  const [result] = await eslint.lintText(code, { filePath: 'test/lint/async-mistakes.test.ts' });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('lint', () => {
  it('refuses a promise that nobody awaits or handles', async () => {
    const code = 'async function save(): Promise<void> {}\nexport function f(): void {\n  save();\n}\n';
    expect(await lint(code)).toContain('@typescript-eslint/no-floating-promises');
  });

  it('refuses an async function where the caller ignores what it returns', async () => {
    const code = "import { EventEmitter } from 'node:events';\nnew EventEmitter().on('x', async () => {});\n";
    expect(await lint(code)).toContain('@typescript-eslint/no-misused-promises');
  });

  it('accepts the same code with the promise handled', async () => {
    const code = 'async function save(): Promise<void> {}\nexport function f(): void {\n  void save();\n}\n';
    expect(await lint(code)).toEqual([]);
  });
}, 60_000);
