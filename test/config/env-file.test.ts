import { describe, expect, it } from 'vitest';
import { withEnvFile } from '../../src/config/env-file.js';

const files = (map: Record<string, string>) => (path: string) => {
  const text = map[path];
  if (text === undefined)
    throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
  return text;
};

describe('the settings file', () => {
  it('is read without a shell: command substitutions and variables stay literal text', () => {
    const text =
      'SLACK_BOT_TOKEN=xoxb-1\nFENCE_COMMAND="$(touch /tmp/pwned) `id` $HOME"\n# a comment\nPORT=3001\n';
    const result = withEnvFile({}, { fallback: '.env' }, files({ '.env': text }));
    expect(result).toEqual({
      file: '.env',
      env: { SLACK_BOT_TOKEN: 'xoxb-1', FENCE_COMMAND: '$(touch /tmp/pwned) `id` $HOME', PORT: '3001' },
    });
  });

  it('gives way to the environment, where an empty value counts as unset', () => {
    const result = withEnvFile(
      { PORT: '4000', REDIS_URL: '' },
      { fallback: '.env' },
      files({ '.env': 'PORT=3001\nREDIS_URL=redis://r:6379\n' }),
    );
    expect(result).toMatchObject({ env: { PORT: '4000', REDIS_URL: 'redis://r:6379' } });
  });

  it('is optional by default but must exist when named', () => {
    expect(withEnvFile({ A: '1' }, { fallback: '.env' }, files({}))).toEqual({ env: { A: '1' }, file: null });
    expect(withEnvFile({}, { explicit: '/etc/ganeti-chatops/env', fallback: '.env' }, files({}))).toEqual({
      error:
        "cannot read the settings file /etc/ganeti-chatops/env: ENOENT: no such file, open '/etc/ganeti-chatops/env'",
    });
  });
});
