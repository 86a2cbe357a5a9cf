import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { chooseCluster } from '../../src/commands/choose-cluster.js';
import { parseCommandLine } from '../../src/commands/parse-command-line.js';
import { createRegistry } from '../../src/commands/registry.js';
import { allCommands } from '../../src/commands/all-commands.js';
import { UserError } from '../../src/core/errors.js';
import { queueName } from '../../src/queue/names.js';

const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nkey\n-----END OPENSSH PRIVATE KEY-----\n';
const TWO = `clusters:
  - name: main
    hosts: [m1.example.org, "m2.example.org:2222"]
    keyFile: /keys/main
    knownHosts: /keys/main_known_hosts
    channels: [C0OPS]
  - name: web2
    hosts: [w1.example.org]
    user: ganeti
    keyFile: /keys/web2
    knownHosts: /keys/web2_known_hosts
    channels: [C0WEB, C0WEB2]
    concurrency: 2
`;
const files: Record<string, string> = {
  '/keys/main': KEY,
  '/keys/web2': KEY,
  '/keys/main_known_hosts': 'm1 ssh-ed25519 AAAA\n',
  '/keys/web2_known_hosts': 'w1 ssh-ed25519 AAAA\n',
  '/etc/two.yaml': TWO,
};
const readFile = (path: string) => {
  const text = files[path];
  if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
  return text;
};
const base = {
  SLACK_BOT_TOKEN: 'xoxb-1-2-3',
  SLACK_SIGNING_SECRET: 'secret-secret',
  ACCESS_ADMINS: 'U0ADMIN1',
  GANETI_CHATOPS_CONFIG: '/etc/two.yaml',
};
const load = (yaml: string, env: Record<string, string> = {}, roles?: Array<'bot' | 'worker'>) => {
  files['/etc/test.yaml'] = yaml;
  return loadConfig({ env: { ...base, GANETI_CHATOPS_CONFIG: '/etc/test.yaml', ...env }, readFile }, roles);
};

describe('several clusters in the YAML file', () => {
  it('gives each its hosts, key, user and concurrency, the first being the default', () => {
    const { config, problems } = loadConfig({ env: base, readFile });
    expect(problems).toEqual([]);
    expect(config?.clusters.map((c) => [c.name, c.hosts, c.user, c.concurrency])).toEqual([
      [
        'main',
        [
          { host: 'm1.example.org', port: 22 },
          { host: 'm2.example.org', port: 2222 },
        ],
        'root',
        null,
      ],
      ['web2', [{ host: 'w1.example.org', port: 22 }], 'ganeti', 2],
    ]);
    expect(config?.routing).toEqual({
      names: ['main', 'web2'],
      channels: { C0OPS: 'main', C0WEB: 'web2', C0WEB2: 'web2' },
    });
  });

  it('knows the names and channels in a bot-only process, without reading any key', () => {
    const { config } = loadConfig({ env: base, readFile: (p) => (p === '/etc/two.yaml' ? TWO : '') }, [
      'bot',
    ]);
    expect(config?.clusters).toEqual([]);
    expect(config?.routing.names).toEqual(['main', 'web2']);
  });

  it('refuses the same name twice, a channel bound to two clusters, and both forms at once', () => {
    const twice = load(TWO.replace('name: web2', 'name: main')).problems;
    expect(twice).toContainEqual(
      expect.objectContaining({ key: 'clusters[1].name', message: '"main" is listed twice' }),
    );
    const bound = load(TWO.replace('channels: [C0WEB, C0WEB2]', 'channels: [C0OPS]')).problems;
    expect(bound).toContainEqual(
      expect.objectContaining({
        key: 'clusters[1].channels',
        message: 'C0OPS is already bound to cluster main: a channel has one default cluster',
      }),
    );
    const both = load(`cluster:\n  name: x\n${TWO}`).problems;
    expect(both).toContainEqual(expect.objectContaining({ key: 'clusters', critical: true }));
    const env = load(TWO, { GANETI_SSH_HOSTS: 'h1' }).problems;
    expect(env).toContainEqual(expect.objectContaining({ key: 'GANETI_SSH_HOSTS', critical: true }));
  });

  it('keeps a project to the clusters it names, and refuses one it does not serve', () => {
    const project = (clusters: string) =>
      `projects:\n  - name: web\n    members: [U0WEB]\n    instances: { patterns: ['www*'] }\n    actions: [info]\n    clusters: ${clusters}\n`;
    const { config, problems } = load(TWO + project('[web2]'));
    expect(problems).toEqual([]);
    expect(config?.access.projects?.[0]?.clusters).toEqual(['web2']);
    const unknown = load(TWO + project('[web2, web3]'));
    expect(unknown.config).toBeNull();
    expect(unknown.problems).toContainEqual({
      key: 'projects[0].clusters',
      message: 'web3: not a cluster of this bot (it serves main, web2)',
      critical: true,
    });
  });

  it('names a broken entry by its place in the list', () => {
    const { config, problems } = load(TWO.replace('keyFile: /keys/web2', 'keyFile: /keys/missing'));
    expect(config).toBeNull();
    expect(problems).toContainEqual(
      expect.objectContaining({
        key: 'clusters[1].keyFile',
        message: expect.stringContaining('cannot read /keys/missing'),
      }),
    );
    const badName = load(TWO.replace('name: web2', 'name: Web 2')).problems;
    expect(badName[0]?.key).toBe('/etc/test.yaml: clusters[1].name');
  });

  it('keeps the one-cluster form of env working, named ganeti', () => {
    const { config } = loadConfig({
      env: {
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_SIGNING_SECRET: 'secret-secret',
        ACCESS_ADMINS: 'U0ADMIN1',
        GANETI_SSH_HOSTS: 'n1.example.org',
        GANETI_SSH_KEY_FILE: '/keys/main',
        GANETI_SSH_KNOWN_HOSTS: '/keys/main_known_hosts',
      },
      readFile,
    });
    expect(config?.clusters.map((c) => c.name)).toEqual(['ganeti']);
    expect(config?.routing).toEqual({ names: ['ganeti'], channels: {} });
  });
});

describe('choosing the cluster of a command', () => {
  const choice = { names: ['main', 'web2'], channels: { C0WEB: 'web2' } };
  const registry = createRegistry(allCommands);

  it('takes --cluster anywhere after the verb, else the channel’s, else the first', () => {
    const parsed = parseCommandLine('info --cluster web2 inst1', registry);
    expect(parsed.args).toEqual({ instance: 'inst1' });
    expect(parsed.cluster).toBe('web2');
    expect(parseCommandLine('nodes --cluster=main', registry).cluster).toBe('main');
    expect(chooseCluster('main', 'C0WEB', choice)).toBe('main');
    expect(chooseCluster(null, 'C0WEB', choice)).toBe('web2');
    expect(chooseCluster(null, 'C0ELSE', choice)).toBe('main');
  });

  it('refuses a cluster it does not serve, with the ones it does and a suggestion', () => {
    const error = (() => {
      try {
        chooseCluster('web3', 'C0OPS', choice);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).userMessage).toBe(
      '`web3` is not a cluster of this bot. Did you mean `web2`? It serves `main`, `web2`.',
    );
  });

  it('refuses a malformed or repeated --cluster before anything runs', () => {
    expect(() => parseCommandLine('nodes --cluster', registry)).toThrow(
      '`--cluster` needs the name of a cluster.',
    );
    expect(() => parseCommandLine("nodes --cluster 'a;b'", registry)).toThrow('is not a cluster name');
    expect(() => parseCommandLine('nodes --cluster a --cluster b', registry)).toThrow(
      '`--cluster` is given twice.',
    );
  });

  it('gives each cluster but the default its own queues', () => {
    expect(queueName('commands', 'main', 'main')).toBe('commands');
    expect(queueName('commands', undefined, 'main')).toBe('commands');
    expect(queueName('operations', 'web2', 'main')).toBe('operations-web2');
  });
});
