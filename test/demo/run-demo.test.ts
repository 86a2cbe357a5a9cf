import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/cli-args.js';
import { isUnconfigured } from '../../src/demo/run-demo.js';

describe('when the first command runs the demo', () => {
  it('runs it on a fresh clone: neither Slack nor a cluster set (blank values count as unset)', () => {
    expect(isUnconfigured({})).toBe(true);
    expect(isUnconfigured({ REDIS_URL: 'redis://127.0.0.1:6379', SLACK_BOT_TOKEN: '  ' })).toBe(true);
  });

  it('runs the bot as soon as any Slack or cluster setting is there', () => {
    for (const key of [
      'SLACK_BOT_TOKEN',
      'SLACK_APP_TOKEN',
      'SLACK_SIGNING_SECRET',
      'GANETI_SSH_HOSTS',
      'GANETI_CHATOPS_CONFIG',
    ])
      expect(isUnconfigured({ [key]: 'x' }), key).toBe(false);
  });

  it('is a command of its own, with a port', () => {
    expect(parseCliArgs(['demo', '--port', '8080'])).toEqual({ command: 'demo', port: 8080 });
    expect(parseCliArgs(['demo', 'doctor'])).toEqual({ error: '"doctor": one command at a time' });
  });
});
