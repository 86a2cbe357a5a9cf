import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGroupDirectory, referencedGroups } from '../../src/bot/user-groups.js';
import type { AccessPolicy } from '../../src/commands/authorize.js';
import { startFakeSlack, type FakeSlack } from '../../src/demo/slack/fake-slack.js';

const policy: AccessPolicy = {
  admins: ['U0ADMIN', 'group:S0SRE'],
  operators: [],
  viewers: ['*'],
  projects: [
    {
      name: 'web',
      members: ['group:S0WEB'],
      instances: { tags: ['project:web'], patterns: [] },
      actions: ['reboot'],
    },
  ],
};

let slack: FakeSlack;
beforeEach(async () => {
  slack = await startFakeSlack({ usergroups: { S0SRE: ['U0BOB'], S0WEB: ['U0BOB', 'U0CAROL'] } });
});
afterEach(() => slack.close());

describe('the Slack user-group directory', () => {
  const client = () => new WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });

  it('knows the groups the policy mentions', () => {
    expect(referencedGroups(policy)).toEqual(['S0SRE', 'S0WEB']);
  });

  it('finds a user’s groups, answers from its cache, and asks Slack again when told to', async () => {
    let t = 0;
    const dir = createGroupDirectory({ client: client(), policy, ttlMs: 1000, now: () => t });
    expect(await dir.groupsOf('U0BOB')).toEqual(['S0SRE', 'S0WEB']);
    expect(await dir.groupsOf('U0CAROL')).toEqual(['S0WEB']);
    expect(slack.callsTo('usergroups.users.list')).toHaveLength(2);
    t = 500;
    await dir.groupsOf('U0DAVE');
    expect(slack.callsTo('usergroups.users.list')).toHaveLength(2);
    await dir.groupsOf('U0BOB', { fresh: true });
    expect(slack.callsTo('usergroups.users.list')).toHaveLength(4);
  });

  it('fails a fresh check clearly when Slack does not answer, but uses a cached list otherwise', async () => {
    const dir = createGroupDirectory({ client: client(), policy, ttlMs: 0 });
    await dir.groupsOf('U0BOB');
    await slack.close();
    expect(await dir.groupsOf('U0BOB')).toEqual(['S0SRE', 'S0WEB']);
    await expect(dir.groupsOf('U0BOB', { fresh: true })).rejects.toThrowError(
      /Could not check Slack user group S0SRE membership/,
    );
    slack = await startFakeSlack();
  });

  it('asks Slack nothing when the policy names no groups', async () => {
    const dir = createGroupDirectory({
      client: client(),
      policy: { admins: ['U0A'], operators: [], viewers: ['*'] },
      ttlMs: 0,
    });
    expect(await dir.groupsOf('U0A')).toEqual([]);
    expect(slack.callsTo('usergroups.users.list')).toHaveLength(0);
  });
});
