import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import type { ClusterAccess } from '../../../src/cluster/connect-cluster.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { startApp, type RunningApp } from '../../../src/main.js';
import { startFakeSlack, type FakeSlack, type RecordedCall } from '../../../src/demo/slack/fake-slack.js';
import {
  blockActionPayload,
  sendInteraction,
  sendSlashCommand,
  type SlackRequestResult,
} from '../../../src/demo/slack/slack-requests.js';
import { captureLogger } from '../../support/capture-logger.js';
import type { TestCluster } from './cluster-env.js';

export const SIGNING_SECRET = 'test-signing-secret';
export const ADMIN = 'U0ADMIN';
/** A second admin: approves what ADMIN asks for (two-person rule). */
export const APPROVER = 'U0APPROVER';

export interface Harness {
  /** The environment the app was configured from (for processes that must share its Redis prefix). */
  env: Record<string, string>;
  slack: FakeSlack;
  app: RunningApp;
  baseUrl: string;
  logs: ReturnType<typeof captureLogger>;
  /** Sends a signed `/ganeti TEXT`; the response_url is the fake's. */
  command(
    text: string,
    fields?: { user_id?: string; channel_id?: string },
  ): Promise<SlackRequestResult & { responseUrl: string }>;
  /** Clicks a button on an operation card (a signed block_actions request). */
  click(
    actionId: string,
    card: RecordedCall,
    userId?: string,
  ): Promise<SlackRequestResult & { responseUrl: string }>;
  /** The first answer to a request: a channel post or a response_url post to its URL. */
  answer(responseUrl: string, options?: { timeoutMs?: number; channel?: string }): Promise<RecordedCall>;
  stop(): Promise<void>;
}

let seq = 0;

/**
 * The whole bot in this process (bot and worker roles, HTTP mode) through the real config
 * loader, with the fake Slack, a real Redis and a real cluster (or an override).
 */
export async function startHarness(options: {
  cluster?: TestCluster;
  clusterOverride?: ClusterAccess;
  redisUrl?: string;
  env?: Record<string, string>;
  /** Socket Mode: the URL apps.connections.open hands out (a local ws server). */
  socketUrl?: string;
  /** Run only the Slack side here (the worker runs elsewhere, e.g. in a child process). */
  botOnly?: boolean;
  /** Run the worker role too without `cluster` (the clusters come from the YAML file in `env`). */
  workers?: boolean;
  /** Slack user groups the fake Slack knows: group id → members. */
  usergroups?: Record<string, string[]>;
}): Promise<Harness> {
  const slack = await startFakeSlack({
    ...(options.usergroups ? { usergroups: options.usergroups } : {}),
    notMemberOf: ['C0PRIVATE'],
    ...(options.socketUrl ? { socketUrl: options.socketUrl } : {}),
  });
  seq += 1;
  const env: Record<string, string> = {
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    REDIS_URL: options.redisUrl ?? inject('redisUrl'),
    GANETI_CHATOPS_QUEUE_PREFIX: `itest-${process.pid}-${seq}-${Date.now().toString(36)}`,
    ACCESS_ADMINS: `${ADMIN},${APPROVER}`,
    // Tests send many commands as one user; the limit has a test of its own.
    SLACK_COMMANDS_PER_MINUTE: '0',
    ...(options.socketUrl ? { SLACK_APP_TOKEN: 'xapp-test' } : {}),
    ...(options.cluster
      ? {
          GANETI_SSH_HOSTS: options.cluster.hosts.join(','),
          GANETI_SSH_USER: options.cluster.user,
          // The bot's own key: on the lab, restricted by the forced command (cluster-env.ts).
          GANETI_SSH_KEY_FILE: options.cluster.botKeyFile,
          GANETI_SSH_KNOWN_HOSTS: options.cluster.knownHostsFile,
        }
      : {}),
    ...options.env,
  };
  const roles = (options.cluster || options.workers) && !options.botOnly ? undefined : (['bot'] as const);
  const loaded = loadConfig(
    { env, readFile: (p) => readFileSync(p, 'utf8') },
    roles ? [...roles] : undefined,
  );
  if (!loaded.config) throw new Error(`test config refused: ${JSON.stringify(loaded.problems)}`);
  const config = loaded.config;
  if (options.clusterOverride) config.roles.add('worker');
  const logs = captureLogger('debug');
  const app = await startApp(
    config,
    logs.logger,
    options.clusterOverride ? { cluster: options.clusterOverride } : {},
  );
  const baseUrl = `http://127.0.0.1:${app.port}`;
  return {
    env,
    slack,
    app,
    baseUrl,
    logs,
    async command(text, fields = {}) {
      // Tests send one command at a time and wait for its answer: start each with a clean record.
      slack.clearCalls();
      const responseUrl = slack.newResponseUrl({ channel: fields.channel_id ?? 'C0OPS' });
      const result = await sendSlashCommand(baseUrl, SIGNING_SECRET, {
        text,
        response_url: responseUrl,
        user_id: ADMIN,
        ...fields,
      });
      return { ...result, responseUrl };
    },
    async click(actionId, card, userId = APPROVER) {
      const responseUrl = slack.newResponseUrl({ channel: String(card.body.channel) });
      const result = (card.result ?? {}) as { ts?: string };
      const requestId = cardRequestId(card);
      const payload = blockActionPayload({
        user: userId,
        channel: String(card.body.channel),
        actionId,
        value: requestId,
        messageTs: result.ts ?? '',
        responseUrl,
      });
      return { ...(await sendInteraction(baseUrl, SIGNING_SECRET, payload)), responseUrl };
    },
    answer(responseUrl, opts = {}) {
      const channel = opts.channel ?? 'C0OPS';
      const ok = (c: RecordedCall) =>
        c.status === 200 && (c.method === 'response_url' || (c.result as { ok?: boolean }).ok === true);
      const final = (c: RecordedCall) =>
        !String(c.body.text).startsWith('⏳') && c.body.delete_original !== true;
      return slack.waitFor(
        (c) =>
          ok(c) &&
          final(c) &&
          ((c.method === 'response_url' && c.url === responseUrl) ||
            ((c.method === 'chat.postMessage' || c.method === 'chat.update') && c.body.channel === channel)),
        { timeoutMs: opts.timeoutMs ?? 30_000 },
      );
    },
    async stop() {
      await app.stop();
      await slack.close();
    },
  };
}

/** The request id on an operation card (the value of its buttons). */
export function cardRequestId(card: RecordedCall): string {
  const blocks = (card.body.blocks ?? []) as Array<{ type: string; elements?: Array<{ value?: string }> }>;
  const value = blocks.find((b) => b.type === 'actions')?.elements?.[0]?.value;
  if (!value) throw new Error('that message has no operation buttons');
  return value;
}
