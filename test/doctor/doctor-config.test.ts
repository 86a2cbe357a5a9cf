import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { doctor, notPassing } from './doctor-harness.js';

const YAML_PATH = '/etc/ganeti-chatops/config.yaml';
/** Loopback, nothing listens: a Slack check that ran by mistake could not reach anything else. */
const NO_SLACK = 'http://127.0.0.1:9/api/';

describe('doctor: the configuration', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis({ appendonly: true });
  });
  afterAll(async () => {
    await redis.close();
  });

  it('prints every problem of the environment and the YAML file at once, and still checks Redis', async () => {
    const run = await doctor(
      {
        SLACK_BOT_TOKEN: 'xoxp-a-user-token',
        SLACK_API_URL: NO_SLACK,
        ALERT_CHANNEL: '#alerts',
        REDIS_URL: redis.url,
        GANETI_SSH_KEY_FILE: '/nonexistent/bot_ed25519',
        GANETI_CHATOPS_CONFIG: YAML_PATH,
      },
      {
        files: {
          [YAML_PATH]: 'cluster:\n  user: root\n  bogus: 1\naccess:\n  admins: [bob]\n',
        },
      },
    );
    expect(run.ok).toBe(false);
    const envHint =
      'set it in the environment or the settings file (--settings, or .env; docs/configuration.md describes every variable)';
    const yamlHint = `fix it in ${YAML_PATH}`;
    expect(notPassing(run)).toEqual([
      `FAIL  config SLACK_BOT_TOKEN  must be a bot token starting with xoxb-; ${envHint}`,
      `FAIL  config ALERT_CHANNEL  must be a channel id like C012ABCDEF (not a #name); ${envHint}`,
      `FAIL  config GANETI_SSH_HOSTS  not set; ${envHint}`,
      `FAIL  config SLACK_SIGNING_SECRET  not set; ${envHint}`,
      expect.stringMatching(
        new RegExp(`^FAIL {2}config ${YAML_PATH}: cluster {2}Unrecognized key: "bogus"; ${yamlHint}$`),
      ),
      expect.stringMatching(
        new RegExp(
          `^FAIL {2}config ${YAML_PATH}: access.admins\\[0\\] {2}must be Slack user ids .*; ${yamlHint}$`,
        ),
      ),
      expect.stringMatching(
        /^FAIL {2}config GANETI_SSH_KEY_FILE {2}cannot read \/nonexistent\/bot_ed25519: ENOENT/,
      ),
      expect.stringMatching(
        /^FAIL {2}config GANETI_SSH_KNOWN_HOSTS {2}not set: give an OpenSSH known_hosts file/,
      ),
      `WARN  config ACCESS_ADMINS  empty: nobody can run destructive commands or approve them; ${envHint}`,
      'SKIP  slack  not checked: fix SLACK_BOT_TOKEN first',
      expect.stringMatching(
        /^SKIP {2}ssh {2}not checked: fix (?=.*GANETI_SSH_HOSTS)(?=.*GANETI_SSH_KEY_FILE)(?=.*config\.yaml: cluster).* first$/,
      ),
    ]);
    // REDIS_URL is fine, so Redis is checked all the same.
    expect(run.line('redis redis://127.0.0.1:')).toMatch(
      /^PASS {2}redis redis:\/\/127\.0\.0\.1:\d+ {2}PING answered/,
    );
    expect(run.line('redis persistence')).toBe('PASS  redis persistence  AOF on, appendfsync always');
    expect(run.lines.at(-1)).toMatch(/^\d+ checks: 3 PASS, 1 WARN, 8 FAIL, 2 SKIP: fix the FAIL lines above/);
  });

  it('stops only the Redis check when REDIS_URL is malformed', async () => {
    const run = await doctor(
      {
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_APP_TOKEN: 'xapp-test',
        SLACK_API_URL: NO_SLACK,
        REDIS_URL: 'http://127.0.0.1:6379',
      },
      { roles: ['bot'] },
    );
    expect(run.ok).toBe(false);
    expect(run.line('config REDIS_URL')).toBe(
      'FAIL  config REDIS_URL  must be a redis:// or rediss:// URL; set it in the environment or the settings file (--settings, or .env; docs/configuration.md describes every variable)',
    );
    expect(run.line('redis')).toBe('SKIP  redis  not checked: fix REDIS_URL first');
    // Slack is checked (and cannot be reached on the loopback port given).
    expect(run.line('slack auth.test')).toMatch(
      /^FAIL {2}slack auth.test {2}cannot reach Slack at http:\/\/127\.0\.0\.1:9\/api\//,
    );
  });

  it('reports a YAML file it cannot read and skips the SSH checks that depend on it', async () => {
    const run = await doctor(
      {
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_API_URL: NO_SLACK,
        REDIS_URL: redis.url,
        GANETI_CHATOPS_CONFIG: '/nonexistent/config.yaml',
      },
      { roles: ['worker'] },
    );
    expect(run.ok).toBe(false);
    expect(run.line('config GANETI_CHATOPS_CONFIG')).toMatch(
      /^FAIL {2}config GANETI_CHATOPS_CONFIG {2}cannot read \/nonexistent\/config\.yaml: ENOENT.*; set it in the environment/,
    );
    expect(run.line('ssh')).toMatch(/^SKIP {2}ssh {2}not checked: fix .*GANETI_CHATOPS_CONFIG.* first$/);
  });
});
