import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('starting the bot without settings', () => {
  it('exits with EX_CONFIG and lists exactly what to set', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(78);
    expect(run.stderr).toContain('ganeti-chatops cannot start; fix these settings');
    for (const key of [
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'GANETI_SSH_HOSTS',
      'GANETI_SSH_KEY_FILE',
      'GANETI_SSH_KNOWN_HOSTS',
    ]) {
      expect(run.stderr).toMatch(new RegExp(`ERROR  ${key}: not set`));
    }
  });
});
