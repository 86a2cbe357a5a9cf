import type { Logger } from 'pino';
import type { AuditLog } from '../../audit/audit-log.js';
import { authorizeOnCluster, grantOf, type AccessPolicy, type Grant } from '../../commands/authorize.js';
import { chooseCluster, type ClusterChoice } from '../../commands/choose-cluster.js';
import { parseCommandLine } from '../../commands/parse-command-line.js';
import type { Registry } from '../../commands/registry.js';
import type { CommandContext } from '../../commands/types.js';
import { isUserError, UserError } from '../../core/errors.js';
import { toFailure } from '../../core/failure.js';
import type { CommandQueue } from '../../queue/command-queue.js';
import { newRequestId } from '../../queue/payloads.js';
import type { SlackMessage } from '../render/blocks.js';
import { renderFailure } from '../render/render-feedback.js';
import { renderResult } from '../render/render-result.js';
import type { GroupDirectory } from '../user-groups.js';
import type { RateLimiter } from '../rate-limit.js';
import type { FormOpener } from '../forms/form-opener.js';

/** The parts of Bolt's slash-command arguments this listener uses (easy to fake in tests). */
export interface SlashCommandArgs {
  command: {
    text: string;
    user_id: string;
    user_name?: string;
    channel_id: string;
    response_url?: string;
    /** Opens a modal within 3 s of the command (`/ganeti create` alone). */
    trigger_id?: string;
  };
  ack: (response?: SlackMessage & { response_type?: 'ephemeral' | 'in_channel' }) => Promise<void>;
  respond: (
    message: SlackMessage & { response_type?: 'ephemeral' | 'in_channel'; replace_original?: boolean },
  ) => Promise<unknown>;
}

export interface GanetiCommandDeps {
  registry: Registry;
  queue: Pick<CommandQueue, 'enqueue'>;
  policy: AccessPolicy;
  /** Context for commands that run in the bot (help); they never touch the cluster. */
  botContext: Omit<CommandContext, 'progress'>;
  groups: GroupDirectory;
  audit: AuditLog;
  logger: Logger;
  now?: () => number;
  /** Per-user limit on commands (SLACK_COMMANDS_PER_MINUTE). */
  rateLimit?: RateLimiter;
  /** Opens a command's form (src/bot/forms/form-opener.ts); without it, forms are not offered. */
  forms?: FormOpener;
  /** The clusters served and the channels' defaults; absent: one cluster. */
  clusters?: ClusterChoice;
}

/** The target an audit record names: the instance, node or job the command is about. */
function targetOf(args: Record<string, unknown>): string | null {
  const t = args.instance ?? args.node ?? args.id;
  return typeof t === 'string' ? t : null;
}

/**
 * `/ganeti ...`: parse (synchronous: a bad command is answered in the ack itself), ack within
 * Slack's 3 s, then authorize (user groups may need a Slack call) and queue. Errors and
 * refusals go only to the requester; every request and refusal is audited.
 */
export function createGanetiCommandListener(deps: GanetiCommandDeps) {
  const now = deps.now ?? Date.now;
  return async ({ command, ack, respond }: SlashCommandArgs): Promise<void> => {
    const requestId = newRequestId(now());
    const log = deps.logger.child({ requestId, user: command.user_id, channel: command.channel_id });
    const meta = { userId: command.user_id, text: command.text };
    const audit = (
      event: 'requested' | 'refused',
      extra: { command?: string; target?: string | null; detail: string },
    ) =>
      deps.audit.record({
        event,
        requestId,
        user: command.user_id,
        channel: command.channel_id,
        ...(cluster ? { cluster } : {}),
        ...extra,
      });
    const tell = (error: unknown, internal: string) =>
      respond({
        response_type: 'ephemeral',
        ...renderFailure(toFailure(error, requestId, internal), meta),
      }).catch((e: unknown) => log.error({ err: e }, 'could not answer the requester'));

    let parsed;
    let cluster: string | undefined;
    let chosen: string | undefined;
    try {
      parsed = parseCommandLine(command.text, deps.registry);
      // Named in jobs, cards and records only when there is more than one.
      const choice = deps.clusters;
      chosen = choice ? chooseCluster(parsed.cluster, command.channel_id, choice) : undefined;
      if (choice && choice.names.length > 1) cluster = chosen;
    } catch (error) {
      const failure = toFailure(error, requestId, 'The bot could not read that command.');
      if (!isUserError(error)) log.error({ err: error }, 'parsing a command failed');
      else log.info({ code: error.code, text: command.text.slice(0, 200) }, 'command refused');
      await ack({ response_type: 'ephemeral', ...renderFailure(failure, null) });
      await audit('refused', { detail: `${failure.message} (${command.text.slice(0, 100)})` });
      return;
    }
    await ack();
    const { command: def, args } = parsed;
    const target = targetOf(args);
    // `/ganeti create` alone: the form opens at once (the trigger lasts 3 s), saying it is
    // loading; what follows fills it in, or puts the refusal in it.
    let viewId: string | null = null;
    if (def.form && Object.keys(args).length === 0) {
      const trigger = command.trigger_id;
      viewId =
        deps.forms && trigger
          ? await deps.forms.open(trigger).catch((error: unknown) => {
              log.warn({ err: error }, 'could not open the form');
              return null;
            })
          : null;
      if (viewId === null) {
        await tell(
          new UserError('form_unavailable', `Slack did not open the \`${def.name}\` form; nothing was run.`, {
            hint: `Try again, or type the fields: \`/ganeti ${def.usage}\``,
          }),
          'The form did not open.',
        );
        return;
      }
    }
    const shown = viewId;
    const tellInForm = (error: unknown, internal: string) =>
      shown === null ? tell(error, internal) : deps.forms?.fail(shown, toFailure(error, requestId, internal));
    const allowed = deps.rateLimit ? await deps.rateLimit.take(command.user_id) : { ok: true as const };
    if (!allowed.ok) {
      log.info({ command: def.name }, 'command refused: rate limit');
      await audit('refused', { command: def.name, target, detail: 'rate limit' });
      await tellInForm(
        new UserError('rate_limited', 'You sent too many commands in the last minute; nothing was run.', {
          hint: `Try again in ${allowed.retryInSec} s.`,
        }),
        'Rate limited.',
      );
      return;
    }

    let groups: string[];
    let grant: Grant;
    try {
      groups = await deps.groups.groupsOf(command.user_id);
      const principal = { userId: command.user_id, groups };
      const decision = authorizeOnCluster(def, principal, command.channel_id, deps.policy, chosen);
      if (!decision.allowed) throw new UserError('forbidden', decision.reason);
      grant = grantOf(decision);
    } catch (error) {
      log.info({ err: error }, 'command not authorized');
      await audit('refused', {
        command: def.name,
        target,
        detail: isUserError(error) ? error.userMessage : 'internal error',
      });
      await tellInForm(error, 'The bot could not check your access.');
      return;
    }

    if (def.runsOn === 'bot') {
      try {
        // `help` names the clusters, and the one this channel's commands go to without `--cluster`.
        const choice = deps.clusters;
        const clusters = choice
          ? { clusters: { names: choice.names, current: chooseCluster(null, command.channel_id, choice) } }
          : {};
        const result = await def.run({ ...deps.botContext, ...clusters, progress: () => undefined }, args);
        await respond({ response_type: 'ephemeral', ...renderResult(result, null) });
      } catch (error) {
        if (!isUserError(error)) log.error({ err: error }, 'bot-side command failed');
        await tellInForm(error, 'Something went wrong inside the bot.');
      }
      return;
    }

    try {
      await deps.queue.enqueue({
        requestId,
        command: def.name,
        args: args as Record<string, string | boolean>,
        text: command.text,
        userId: command.user_id,
        ...(command.user_name ? { userName: command.user_name } : {}),
        channelId: command.channel_id,
        ...(cluster ? { cluster } : {}),
        responseUrl: command.response_url ?? null,
        ...(viewId ? { viewId } : {}),
        requestedAt: now(),
        groups,
        grant,
      });
      log.info({ command: def.name }, 'queued');
      await audit('requested', { command: def.name, target, detail: command.text.slice(0, 200) });
    } catch (error) {
      if (!isUserError(error)) log.error({ err: error }, 'queueing failed');
      await tellInForm(error, 'The bot could not queue your command. Nothing was run.');
    }
  };
}
