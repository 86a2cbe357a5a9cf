import type { Server } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import { HEALTH_PATHS, type HealthHandler } from '../observability/health.js';
import { guardRequests, type ReplayGuard } from './request-guard.js';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { boltLogger } from './bolt-logger.js';
import type { SlashCommandArgs } from './listeners/ganeti-command.js';
import type { ButtonArgs } from './listeners/operation-buttons.js';
import {
  ACTION_APPROVE,
  ACTION_APPROVE_NAMED,
  ACTION_CANCEL,
  ACTION_DENY,
} from './render/render-operation.js';
import { CALLBACK_CREATE } from './forms/create-form-view.js';
import type { ViewSubmissionArgs } from './listeners/create-form.js';
import { CALLBACK_APPROVE_NAMED, type NameSubmissionArgs } from './listeners/named-approval.js';
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
  /** HTTP mode: /healthz, /readyz and /metrics on the receiver's port (Socket Mode serves them apart). */
  health?: HealthHandler;
  /** The create form submitted (src/bot/listeners/create-form.ts). */
  onCreateForm?: (args: ViewSubmissionArgs) => Promise<void>;
  /** The form in which an approver types an instance's name (src/bot/listeners/named-approval.ts). */
  onNameForm?: (args: NameSubmissionArgs) => Promise<void>;
  /** The App Home tab, published when someone opens it. */
  onHomeOpened?: (args: { event: { user: string; tab?: string } }) => Promise<void>;
}

export interface SlackApp {
  readonly app: App;
  /** Starts listening (HTTP) or connecting (Socket Mode). Returns the HTTP port, if any. */
  start(): Promise<{ port: number | null }>;
  /** Socket Mode: whether the websocket to Slack is open now; null in HTTP mode. */
  socketConnected(): boolean | null;
  stop(): Promise<void>;
}

/**
 * Options of the WebClient the bot posts with (reporters and replies, in bot and worker-only
 * processes), and the optional API base URL:
 * - HTTP 5xx, timeouts and connection errors: retried by WebClient 3 times, after 0.5, 1 and 2 s
 *   (the default policy retries 10 times over ~30 min); each attempt times out after 15 s. That
 *   includes chat.postMessage, which Slack may have posted before failing: see slack-post.ts.
 * - HTTP 429: rejected at once with its Retry-After (`rejectRateLimitedCalls`), and waited out by
 *   the caller for just that message (slack-post.ts `withRetries`). Left to WebClient, a 429
 *   pauses every call of the client until Retry-After has passed, and uses up a retry.
 */
export function webClientOptions(slack: Pick<AppConfig['slack'], 'apiUrl'>) {
  return {
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
    retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000 },
    rejectRateLimitedCalls: true,
    timeout: 15_000,
  };
}

/** The Bolt app: Socket Mode when an app token is set, HTTP (`/slack/events`) otherwise. */
export function createSlackApp(deps: SlackAppDeps): SlackApp {
  const { slack } = deps;
  const logger = boltLogger(deps.logger.child({ component: 'bolt' }));
  // Bolt's own client (auth.test, apps.connections.open) has no retry loop around it: there
  // WebClient waits out a 429 itself.
  const clientOptions = { ...webClientOptions(slack), rejectRateLimitedCalls: false };
  const health = deps.health;
  const customRoutes = health
    ? HEALTH_PATHS.map((path) => ({ path, method: ['GET', 'HEAD'], handler: health }))
    : [];
  const httpReceiver = () => {
    const receiver = new HTTPReceiver({ signingSecret: slack.signingSecret ?? '', logger, customRoutes });
    if (deps.replays)
      guardRequests(receiver, { replays: deps.replays, logger: deps.logger.child({ component: 'bolt' }) });
    return receiver;
  };
  let socketOpen = false;
  const socketReceiver = () => {
    const receiver = new SocketModeReceiver({
      appToken: slack.appToken ?? '',
      logger,
      installerOptions: { clientOptions },
    });
    receiver.client.on('connected', () => (socketOpen = true));
    receiver.client.on('disconnected', () => (socketOpen = false));
    receiver.client.on('reconnecting', () => (socketOpen = false));
    return receiver;
  };
  const socket = slack.mode === 'socket' && slack.appToken !== null;
  const app = new App({
    token: slack.botToken,
    receiver: socket ? socketReceiver() : httpReceiver(),
    ...(socket ? { socketMode: true } : {}),
    logger,
    clientOptions,
  });

  // Bolt's types want its own middleware args; ours is the subset the listener uses.
  app.command('/ganeti', (args) => deps.onCommand(args as unknown as SlashCommandArgs));
  const operationActions = [ACTION_APPROVE, ACTION_APPROVE_NAMED, ACTION_DENY, ACTION_CANCEL];
  for (const actionId of operationActions) {
    app.action(actionId, (args) => deps.onOperationButton(args as unknown as ButtonArgs));
  }
  const onIncident = deps.onIncidentButton;
  const incidentActions = [
    ACTION_INCIDENT_EVACUATE,
    ACTION_INCIDENT_ACK,
    ACTION_INCIDENT_SNOOZE,
    ACTION_INCIDENT_MASTER,
  ];
  if (onIncident) {
    for (const actionId of incidentActions) {
      app.action(actionId, (args) => onIncident(args as unknown as ButtonArgs));
    }
  }
  // Any other action id (forged or from an old message) is acked, then refused and audited by
  // the operation listener, instead of going unanswered.
  const known = [...operationActions, ...(onIncident ? incidentActions : [])];
  app.action({ type: 'block_actions', action_id: new RegExp(`^(?!(?:${known.join('|')})$)`) }, (args) =>
    deps.onOperationButton(args as unknown as ButtonArgs),
  );
  const { onCreateForm, onNameForm } = deps;
  if (onCreateForm) app.view(CALLBACK_CREATE, (args) => onCreateForm(args as unknown as ViewSubmissionArgs));
  if (onNameForm)
    app.view(CALLBACK_APPROVE_NAMED, (args) => onNameForm(args as unknown as NameSubmissionArgs));
  const onHome = deps.onHomeOpened;
  if (onHome)
    app.event('app_home_opened', (args) =>
      onHome(args as unknown as { event: { user: string; tab?: string } }),
    );
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
    socketConnected: () => (socket ? socketOpen : null),
  };
}
