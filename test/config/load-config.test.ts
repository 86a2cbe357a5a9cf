import { describe, expect, it } from 'vitest';
import { formatProblems, loadConfig } from '../../src/config/load-config.js';

const files: Record<string, string> = {
  '/keys/id': '-----BEGIN OPENSSH PRIVATE KEY-----\nkey\n-----END OPENSSH PRIVATE KEY-----\n',
  '/keys/known_hosts': 'node1 ssh-ed25519 AAAA\n',
  '/etc/chatops.yaml':
    'access:\n  admins: [UFILEADMIN]\ncluster:\n  name: prod\n  hosts: [m1.example.org, "m2.example.org:2222"]\n',
  '/etc/bad.yaml': 'cluster:\n  hots: [x]\n',
};
const readFile = (path: string) => {
  const text = files[path];
  if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
  return text;
};

const complete = {
  SLACK_BOT_TOKEN: 'xoxb-1-2-3',
  SLACK_SIGNING_SECRET: 'secret-secret',
  GANETI_SSH_HOSTS: 'node1.example.org,node2.example.org:2222',
  GANETI_SSH_KEY_FILE: '/keys/id',
  GANETI_SSH_KNOWN_HOSTS: '/keys/known_hosts',
  ACCESS_ADMINS: 'U0ADMIN1',
};

describe('loadConfig', () => {
  it('builds a complete configuration from env alone, with defaults', () => {
    const { config, problems } = loadConfig({ env: complete, readFile });
    expect(problems).toEqual([]);
    expect(config).not.toBeNull();
    expect(config?.slack).toMatchObject({
      mode: 'http',
      port: 3000,
      signingSecret: 'secret-secret',
      appToken: null,
    });
    expect(config?.redisUrl).toBe('redis://127.0.0.1:6379');
    expect([...(config?.roles ?? [])]).toEqual(['bot', 'worker']);
    expect(config?.clusters[0]?.hosts).toEqual([
      { host: 'node1.example.org', port: 22 },
      { host: 'node2.example.org', port: 2222 },
    ]);
    expect(config?.clusters[0]?.user).toBe('root');
    expect(config?.access.viewers).toEqual(['*']);
  });

  it('uses Socket Mode when an app token is set, and then needs no signing secret', () => {
    const env = { ...complete, SLACK_SIGNING_SECRET: undefined, SLACK_APP_TOKEN: 'xapp-1-2' };
    expect(loadConfig({ env, readFile }).config?.slack.mode).toBe('socket');
  });

  it('reports every missing setting at once, with what to set', () => {
    const { config, problems } = loadConfig({ env: {}, readFile });
    expect(config).toBeNull();
    expect(problems.filter((p) => p.critical).map((p) => p.key)).toEqual([
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'GANETI_SSH_HOSTS',
      'GANETI_SSH_KEY_FILE',
      'GANETI_SSH_KNOWN_HOSTS',
    ]);
    expect(formatProblems(problems)).toContain('ERROR  SLACK_BOT_TOKEN: not set: the bot token (xoxb-…)');
  });

  it('reports malformed values with their keys and still lists the missing ones', () => {
    const { problems } = loadConfig({
      env: {
        SLACK_BOT_TOKEN: 'xoxp-user-token',
        ACCESS_ADMINS: 'alice',
        PORT: 'eighty',
        ALERT_CHANNEL: '#ops',
      },
      readFile,
    });
    const keys = problems.map((p) => p.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'SLACK_BOT_TOKEN',
        'ACCESS_ADMINS[0]',
        'PORT',
        'ALERT_CHANNEL',
        'GANETI_SSH_HOSTS',
      ]),
    );
    expect(problems.find((p) => p.key === 'ALERT_CHANNEL')?.message).toContain('not a #name');
  });

  it('names the unreadable key file', () => {
    const { problems } = loadConfig({ env: { ...complete, GANETI_SSH_KEY_FILE: '/keys/missing' }, readFile });
    expect(problems).toContainEqual(
      expect.objectContaining({
        key: 'GANETI_SSH_KEY_FILE',
        critical: true,
        message: expect.stringContaining('/keys/missing'),
      }),
    );
  });

  it('never echoes a private key pasted where its file path belongs', () => {
    const pasted = files['/keys/id'] ?? '';
    const { config, problems } = loadConfig({ env: { ...complete, GANETI_SSH_KEY_FILE: pasted }, readFile });
    expect(config).toBeNull();
    expect(problems).toEqual([
      expect.objectContaining({
        key: 'GANETI_SSH_KEY_FILE',
        critical: true,
        message: expect.stringMatching(/looks like key material/),
      }),
    ]);
    expect(formatProblems(problems)).not.toContain('PRIVATE KEY');
  });

  it('refuses the insecure host key flag together with a known_hosts file', () => {
    const { config, problems } = loadConfig({
      env: { ...complete, GANETI_SSH_INSECURE_SKIP_HOST_KEY_CHECK: 'true' },
      readFile,
    });
    expect(config).toBeNull();
    expect(problems).toEqual([
      expect.objectContaining({
        key: 'GANETI_SSH_INSECURE_SKIP_HOST_KEY_CHECK',
        critical: true,
        message: expect.stringMatching(/silently override/),
      }),
    ]);
  });

  it('starts without a known_hosts file only when host key checking is switched off, with a warning', () => {
    const env = {
      ...complete,
      GANETI_SSH_KNOWN_HOSTS: undefined,
      GANETI_SSH_INSECURE_SKIP_HOST_KEY_CHECK: 'true',
    };
    const { config, problems } = loadConfig({ env, readFile });
    expect(config?.clusters[0]?.insecureSkipHostKeyCheck).toBe(true);
    expect(problems).toEqual([
      expect.objectContaining({ key: 'GANETI_SSH_INSECURE_SKIP_HOST_KEY_CHECK', critical: false }),
    ]);
  });

  it('needs no cluster settings in a bot-only process', () => {
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'secret-secret',
      ACCESS_ADMINS: 'U0ADMIN1',
    };
    const { config } = loadConfig({ env, readFile }, ['bot']);
    expect(config?.clusters).toEqual([]);
    expect(config?.routing).toEqual({ names: ['ganeti'], channels: {} });
  });

  it('takes the cluster and access from the YAML file over env', () => {
    const { config } = loadConfig({
      env: { ...complete, GANETI_CHATOPS_CONFIG: '/etc/chatops.yaml' },
      readFile,
    });
    expect(config?.clusters[0]?.name).toBe('prod');
    expect(config?.clusters[0]?.hosts).toEqual([
      { host: 'm1.example.org', port: 22 },
      { host: 'm2.example.org', port: 2222 },
    ]);
    expect(config?.access.admins).toEqual(['UFILEADMIN']);
  });

  it('reports unknown keys in the YAML file with their path', () => {
    const { problems } = loadConfig({
      env: { ...complete, GANETI_CHATOPS_CONFIG: '/etc/bad.yaml' },
      readFile,
    });
    expect(problems[0]?.key).toBe('/etc/bad.yaml: cluster');
    expect(problems[0]?.message).toContain('hots');
  });

  it('treats empty values as unset', () => {
    const { config } = loadConfig({ env: { ...complete, REDIS_URL: '', PORT: ' ' }, readFile });
    expect(config?.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config?.slack.port).toBe(3000);
  });
});
