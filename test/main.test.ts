import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('the command line of the bot', () => {
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });

  it('refuses a misspelt role (EX_USAGE) instead of starting without it', () => {
    const result = run(['--roles', 'wroker']);
    expect(result.status).toBe(64);
    expect(result.stderr).toContain('--roles: "wroker" is not a role; use bot, worker or bot,worker');
  });

  it('refuses a settings file it cannot read, naming it', () => {
    const result = run(['--settings', '/nonexistent/ganeti-chatops.env']);
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('cannot read the settings file /nonexistent/ganeti-chatops.env');
  });

  it('takes its settings from --settings: the problems listed are those left after the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gc-env-'));
    const file = join(dir, 'env');
    writeFileSync(file, 'SLACK_BOT_TOKEN=xoxb-from-file\nSLACK_APP_TOKEN=xapp-from-file\nPORT=notaport\n');
    const result = run(['--settings', file, '--roles', 'bot']);
    expect(result.status).toBe(78);
    expect(result.stderr).not.toMatch(/SLACK_BOT_TOKEN: not set/);
    expect(result.stderr).toMatch(/ERROR {2}PORT:/);
    expect(result.stderr).not.toContain('xoxb-from-file');
  });
});
