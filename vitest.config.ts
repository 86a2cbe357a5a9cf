import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * In CI (`CI` set, as every CI service does) snapshots and golden files
 * (`toMatchFileSnapshot`, test/bot/render/golden) are only compared, never written: a missing
 * or different golden fails the run. Vitest would pick `none` itself when it detects CI, but
 * `UPDATE_SNAPSHOT` or `-u` would still write; here `update: 'none'` wins over the variable, and
 * `-u` in CI stops the run. Update goldens locally (`npx vitest run -u`) and commit them.
 */
const inCI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
if (inCI && process.argv.some((a) => /^(-u|--update)(=|$)/.test(a))) {
  throw new Error(
    'vitest.config.ts: snapshots and golden files are never updated in CI (CI is set); drop -u',
  );
}

export default defineConfig({
  test: {
    // Absolute, so the config also works with another --root (test/golden-ci.test.ts does that).
    globalSetup: [fileURLToPath(new URL('test/support/global-setup.ts', import.meta.url))],
    ...(inCI ? { update: 'none' as const } : {}),
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/integration/**'],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // The lab is one shared cluster: integration files run one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
