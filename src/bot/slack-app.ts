import type { Server } from 'node:http';
import { App, HTTPReceiver } from '@slack/bolt';
import { guardRequests, type ReplayGuard } from './request-guard.js';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { boltLogger } from './bolt-logger.js';
import type { SlashCommandArgs } from './listeners/ganeti-command.js';
import type { ButtonArgs } from './listeners/operation-buttons.js';
import { ACTION_APPROVE, ACTION_CANCEL, ACTION_DENY } from './render/render-operation.js';
import {
  ACTION_INCIDENT_ACK,
  ACTION_INCIDENT_EVACUATE,
  ACTION_INCIDENT_MASTER,
  ACTION_INCIDENT_SNOOZE,
} from './render/render-incident.js';

export interface SlackAppDeps {
  slack: AppConfig['slack'];
  logger: Logger;
  /** The `/ganeti` listener. */
  onCommand: (args: SlashCommandArgs) => Promise<void>;
  /** Approve/Deny/Cancel on operation cards. */
  onOperationButton: (args: ButtonArgs) => Promise<void>;
  /** HTTP mode: refuses replayed requests (across processes, through Redis). */
  replays?: ReplayGuard;
  /** The buttons of incident messages (absent when the monitor is off). */
  onIncidentButton?: (args: ButtonArgs) => Promise<void>;
}

export interface SlackApp {
  readonly app: App;
  /** Starts listening (HTTP) or connecting (Socket Mode). Returns the HTTP port, if any. */
  start(): Promise<{ port: number | null }>;
  stop(): Promise<void>;
}

/**
 * WebClient options shared by the bot and worker-only processes: a bounded retry policy (the
 * default waits up to ~30 min, NOTES.md) and the optional API base URL.
 */
export function webClientOptions(slack: AppConfig['slack']) {
  return {
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
    retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000 },
    timeout: 15_000,
  };
}

/** The Bolt app: Socket Mode when an app token is set, HTTP (`/slack/events`) otherwise. */
export function createSlackApp(deps: SlackAppDeps): SlackApp {
  const { slack } = deps;
  const logger = boltLogger(deps.logger.child({ component: 'bolt' }));
  const clientOptions = webClientOptions(slack);
  const httpReceiver = () => {
    const receiver = new HTTPReceiver({ signingSecret: slack.signingSecret ?? '', logger });
    if (deps.replays)
      guardRequests(receiver, { replays: deps.replays, logger: deps.logger.child({ component: 'bolt' }) });
    return receiver;
  };
  const app =
    slack.mode === 'socket' && slack.appToken
      ? new App({
          token: slack.botToken,
          appToken: slack.appToken,
          socketMode: true,
          logger,
          clientOptions,
          installerOptions: { clientOptions },
        })
      : new App({ token: slack.botToken, receiver: httpReceiver(), logger, clientOptions });

  // Bolt's types want its own middleware args; ours is the subset the listener uses.
  app.command('/ganeti', (args) => deps.onCommand(args as unknown as SlashCommandArgs));
  for (const actionId of [ACTION_APPROVE, ACTION_DENY, ACTION_CANCEL]) {
    app.action(actionId, (args) => deps.onOperationButton(args as unknown as ButtonArgs));
  }
  const onIncident = deps.onIncidentButton;
  if (onIncident) {
    for (const actionId of [
      ACTION_INCIDENT_EVACUATE,
      ACTION_INCIDENT_ACK,
      ACTION_INCIDENT_SNOOZE,
      ACTION_INCIDENT_MASTER,
    ]) {
      app.action(actionId, (args) => onIncident(args as unknown as ButtonArgs));
    }
  }
  app.error(async (error) => {
    deps.logger.error({ err: error }, 'unhandled error in a Slack listener');
  });

  return {
    app,
    async start() {
      if (slack.mode === 'socket') {
        await app.start();
        return { port: null };
      }
      const server = (await app.start(slack.port)) as Server;
      const address = server.address();
      return { port: typeof address === 'object' && address ? address.port : slack.port };
    },
    async stop() {
      await app.stop();
    },
  };
}
