import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const VITEST = join(REPO, 'node_modules', 'vitest', 'vitest.mjs');

/** A throwaway project outside the repo: one test file that checks two goldens, as the renderer tests do. */
const PROBE = `import { expect, it } from 'vitest';
it('matches a golden that does not exist yet', async () => {
  await expect('new output\\n').toMatchFileSnapshot('./golden/missing.txt');
});
it('matches a golden that differs', async () => {
  await expect('changed output\\n').toMatchFileSnapshot('./golden/existing.txt');
});
`;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function probeProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'golden-ci-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'test', 'golden'), { recursive: true });
  writeFileSync(join(dir, 'test', 'probe.test.ts'), PROBE);
  writeFileSync(join(dir, 'test', 'golden', 'existing.txt'), 'old output\n');
  return dir;
}

/** Every file under the probe's golden dir, with content and mtime. */
function goldens(dir: string): Record<string, string> {
  const g = join(dir, 'test', 'golden');
  return Object.fromEntries(
    readdirSync(g).map((f) => [f, `${readFileSync(join(g, f), 'utf8')}@${statSync(join(g, f)).mtimeMs}`]),
  );
}

/** Runs the repo's vitest config (unit project) on the probe project, in a child process. */
function runVitest(dir: string, env: Record<string, string | undefined>, extra: string[] = []) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, TEST_REDIS_URL: 'redis://127.0.0.1:9', ...env };
  for (const key of Object.keys(childEnv)) if (key.startsWith('VITEST')) delete childEnv[key];
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
  const args = [
    VITEST,
    'run',
    '--config',
    join(REPO, 'vitest.config.ts'),
    '--root',
    dir,
    '--project',
    'unit',
  ];
  args.push('--no-cache', '--reporter=json', `--outputFile=${join(dir, 'result.json')}`, ...extra);
  return new Promise<{ code: number; output: string; failures: string[] }>((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: dir, env: childEnv, timeout: 30_000 },
      (error, stdout, stderr) => {
        const file = join(dir, 'result.json');
        const report = existsSync(file)
          ? (JSON.parse(readFileSync(file, 'utf8')) as {
              testResults: Array<{ assertionResults: Array<{ status: string; failureMessages: string[] }> }>;
            })
          : { testResults: [] };
        const failures = report.testResults
          .flatMap((r) => r.assertionResults)
          .filter((a) => a.status === 'failed')
          .map((a) => a.failureMessages.join(' '));
        resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}\n${stderr}`, failures });
      },
    );
  });
}

describe('golden files in CI', () => {
  it('fails on a missing and on a different golden with CI=true, and writes no file', async () => {
    const ci = probeProject();
    const local = probeProject();
    const before = goldens(ci);
    const [inCI, updatingLocally] = await Promise.all([
      runVitest(ci, { CI: 'true', UPDATE_SNAPSHOT: 'all' }),
      // The same probe where updating is allowed does write: the CI run refused, it did not miss.
      runVitest(local, { CI: undefined, UPDATE_SNAPSHOT: 'new' }),
    ]);
    expect(inCI.code).not.toBe(0);
    expect(inCI.failures).toHaveLength(2);
    for (const failure of inCI.failures) expect(failure).toMatch(/[Ss]napshot/);
    expect(goldens(ci)).toEqual(before);
    expect(existsSync(join(ci, 'test', 'golden', 'missing.txt'))).toBe(false);

    expect(updatingLocally.failures).toHaveLength(1); // the different one still fails under `new`
    expect(readFileSync(join(local, 'test', 'golden', 'missing.txt'), 'utf8')).toBe('new output\n');
  }, 30_000);

  it('refuses to run with -u in CI, before any test could write', async () => {
    const dir = probeProject();
    const before = goldens(dir);
    const run = await runVitest(dir, { CI: 'true' }, ['-u']);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('snapshots and golden files are never updated in CI');
    expect(goldens(dir)).toEqual(before);
  }, 30_000);
});
