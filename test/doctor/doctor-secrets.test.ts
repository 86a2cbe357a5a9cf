import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../src/demo/slack/fake-slack.js';
import { startPasswordRedis } from '../support/password-redis.js';
import { findSecrets, keyNeedles, needlesFor, type SecretNeedle } from '../support/secret-scan.js';
import { startSshd, type TestSshd } from '../support/sshd.js';
import { doctor, type DoctorRun } from './doctor-harness.js';

const unique = () => randomBytes(12).toString('hex');
/** Distinctive values for every secret the doctor is given, right ones and wrong ones. */
const SECRET = {
  botToken: `xoxb-${unique()}`,
  wrongBotToken: `xoxb-${unique()}`,
  userToken: `xoxp-${unique()}`,
  appToken: `xapp-${unique()}`,
  wrongAppToken: `xapp-${unique()}`,
  signingSecret: `sign-${unique()}`,
  redisPassword: `redis-${unique()}`,
  wrongRedisPassword: `wrong-${unique()}`,
};

describe('doctor: never prints a secret', () => {
  let fake: FakeSlack;
  let sshd: TestSshd;
  let redis: Awaited<ReturnType<typeof startPasswordRedis>>;
  const runs: Record<string, DoctorRun> = {};

  beforeAll(async () => {
    [fake, sshd, redis] = await Promise.all([
      startFakeSlack({
        botToken: SECRET.botToken,
        appToken: SECRET.appToken,
        socketUrl: 'ws://127.0.0.1:9/x',
      }),
      startSshd(),
      startPasswordRedis(SECRET.redisPassword),
    ]);
  });
  afterAll(async () => {
    await Promise.all([fake.close(), sshd.cleanup(), redis.close()]);
  });

  const base = () => ({
    SLACK_BOT_TOKEN: SECRET.botToken,
    SLACK_APP_TOKEN: SECRET.appToken,
    SLACK_SIGNING_SECRET: SECRET.signingSecret,
    SLACK_API_URL: fake.apiUrl,
    REDIS_URL: redis.url(),
    ALERT_CHANNEL: 'C0ALERTS',
    ACCESS_ADMINS: 'U0ADMIN',
    GANETI_SSH_HOSTS: `127.0.0.1:${sshd.port}`,
    GANETI_SSH_KEY_FILE: sshd.clientKeyPath,
    GANETI_SSH_KNOWN_HOSTS: '/doctor/known_hosts',
  });
  const files = () => ({ '/doctor/known_hosts': sshd.knownHostsText });

  it('in a working setup, with every check reaching its service', async () => {
    runs.good = await doctor(base(), { files: files() });
    expect(runs.good.status('redis redis://:***@')).toBe('PASS');
    expect(runs.good.status('slack auth.test')).toBe('PASS');
    expect(runs.good.status(`ssh 127.0.0.1:${sshd.port} login`)).toBe('PASS');
  });

  it('with wrong secrets, each refused by its service', async () => {
    runs.wrong = await doctor(
      {
        ...base(),
        SLACK_BOT_TOKEN: SECRET.wrongBotToken,
        SLACK_APP_TOKEN: SECRET.wrongAppToken,
        REDIS_URL: redis.url(SECRET.wrongRedisPassword),
      },
      { files: files() },
    );
    expect(runs.wrong.line('redis redis://')).toMatch(/WRONGPASS/);
    expect(runs.wrong.line('slack auth.test')).toMatch(/invalid_auth/);
    expect(runs.wrong.line('slack Socket Mode')).toMatch(/invalid_auth/);
  });

  it('with secrets where they do not belong: malformed values, key material for a path', async () => {
    const key = readFileSync(sshd.clientKeyPath, 'utf8');
    runs.misplaced = await doctor(
      {
        ...base(),
        SLACK_BOT_TOKEN: SECRET.userToken,
        REDIS_URL: `http://:${SECRET.redisPassword}@127.0.0.1:${redis.port}`,
        GANETI_SSH_KEY_FILE: key,
        SLACK_SIGNING_SECRET: undefined,
        SLACK_APP_TOKEN: `not-an-app-token-${SECRET.appToken}`,
      },
      { files: files() },
    );
    expect(runs.misplaced.line('config GANETI_SSH_KEY_FILE')).toMatch(/looks like key material/);
    expect(runs.misplaced.status('config REDIS_URL')).toBe('FAIL');
    // The key file read as known_hosts, and known_hosts read as the key: both refused by format.
    runs.swapped = await doctor(
      { ...base(), GANETI_SSH_KNOWN_HOSTS: sshd.clientKeyPath, GANETI_SSH_KEY_FILE: '/doctor/known_hosts' },
      { files: files() },
    );
    expect(runs.swapped.status(`ssh key /doctor/known_hosts`)).toBe('FAIL');
  });

  it('in any of these outputs', () => {
    expect(Object.keys(runs)).toEqual(['good', 'wrong', 'misplaced', 'swapped']);
    const needles: SecretNeedle[] = [
      ...Object.entries(SECRET).flatMap(([name, value]) => needlesFor(name, value)),
      ...keyNeedles('SSH key', readFileSync(sshd.clientKeyPath, 'utf8')),
    ];
    const haystacks = Object.fromEntries(Object.entries(runs).map(([name, run]) => [name, run.text]));
    expect(findSecrets(haystacks, needles)).toEqual([]);
    // The scan itself finds what it looks for.
    expect(findSecrets({ probe: `x ${SECRET.redisPassword} y` }, needles)).not.toEqual([]);
  });
});
