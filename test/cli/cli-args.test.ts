import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/cli-args.js';

describe('the command line', () => {
  it('runs the bot with no arguments', () => {
    expect(parseCliArgs([])).toEqual({ command: 'run' });
  });

  it('takes roles, a settings file and a port, in either --flag value or --flag=value form', () => {
    expect(
      parseCliArgs(['--roles', 'worker', '--settings=/etc/ganeti-chatops/env', '--port', '3001']),
    ).toEqual({
      command: 'run',
      roles: ['worker'],
      envFile: '/etc/ganeti-chatops/env',
      port: 3001,
    });
    expect(parseCliArgs(['--roles=bot,worker'])).toMatchObject({ roles: ['bot', 'worker'] });
  });

  it('refuses a misspelt role instead of starting with fewer roles', () => {
    expect(parseCliArgs(['--roles', 'wroker'])).toEqual({
      error: '--roles: "wroker" is not a role; use bot, worker or bot,worker',
    });
    expect(parseCliArgs(['--roles', 'bot,wroker'])).toMatchObject({
      error: expect.stringContaining('"wroker"'),
    });
    expect(parseCliArgs(['--roles'])).toEqual({ error: '--roles needs a value' });
  });

  it('refuses unknown words and bad ports', () => {
    expect(parseCliArgs(['--role', 'bot'])).toMatchObject({ error: expect.stringContaining('"--role"') });
    expect(parseCliArgs(['start'])).toMatchObject({ error: expect.stringContaining('"start"') });
    expect(parseCliArgs(['--port', '70000'])).toEqual({ error: '--port: "70000" is not a port number' });
    expect(parseCliArgs(['--port', '-1'])).toMatchObject({ error: expect.stringContaining('not a port') });
  });

  it('knows the doctor command with its options', () => {
    expect(parseCliArgs(['doctor', '--settings', 'x.env', '--roles', 'worker'])).toEqual({
      command: 'doctor',
      envFile: 'x.env',
      roles: ['worker'],
    });
  });
});
