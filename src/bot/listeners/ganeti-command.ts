import type { Logger } from 'pino';
import { authorize, type AccessPolicy } from '../../commands/authorize.js';
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

/** The parts of Bolt's slash-command arguments this listener uses (easy to fake in tests). */
export interface SlashCommandArgs {
  command: { text: string; user_id: string; user_name?: string; channel_id: string; response_url?: string };
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
  logger: Logger;
  now?: () => number;
}

/**
 * `/ganeti ...`: parse and authorize (synchronous, fast), ack within Slack's 3 s with
 * nothing or with the error, then queue. Errors go only to the requester.
 */
export function createGanetiCommandListener(deps: GanetiCommandDeps) {
  const now = deps.now ?? Date.now;
  return async ({ command, ack, respond }: SlashCommandArgs): Promise<void> => {
    const requestId = newRequestId(now());
    const log = deps.logger.child({ requestId, user: command.user_id, channel: command.channel_id });
    const meta = { userId: command.user_id, text: command.text };
    let parsed;
    try {
      parsed = parseCommandLine(command.text, deps.registry);
      const decision = authorize(parsed.command, command.user_id, deps.policy);
      if (!decision.allowed) throw new UserError('forbidden', decision.reason);
    } catch (error) {
      const failure = toFailure(error, requestId, 'The bot could not read that command.');
      if (!isUserError(error)) log.error({ err: error }, 'parsing a command failed');
      else log.info({ code: error.code, text: command.text.slice(0, 200) }, 'command refused');
      await ack({ response_type: 'ephemeral', ...renderFailure(failure, null) });
      return;
    }
    const { command: def, args } = parsed;

    if (def.runsOn === 'bot') {
      await ack();
      try {
        const result = await def.run({ ...deps.botContext, progress: () => undefined }, args);
        await respond({ response_type: 'ephemeral', ...renderResult(result, null) });
      } catch (error) {
        const failure = toFailure(error, requestId, 'Something went wrong inside the bot.');
        if (!isUserError(error)) log.error({ err: error }, 'bot-side command failed');
        await respond({ response_type: 'ephemeral', ...renderFailure(failure, meta) });
      }
      return;
    }

    await ack();
    try {
      await deps.queue.enqueue({
        requestId,
        command: def.name,
        args: args as Record<string, string | boolean>,
        text: command.text,
        userId: command.user_id,
        ...(command.user_name ? { userName: command.user_name } : {}),
        channelId: command.channel_id,
        responseUrl: command.response_url ?? null,
        requestedAt: now(),
      });
      log.info({ command: def.name }, 'queued');
    } catch (error) {
      if (!isUserError(error)) log.error({ err: error }, 'queueing failed');
      const failure = toFailure(error, requestId, 'The bot could not queue your command. Nothing was run.');
      await respond({ response_type: 'ephemeral', ...renderFailure(failure, meta) }).catch((e: unknown) =>
        log.error({ err: e }, 'could not tell the user that queueing failed'),
      );
    }
  };
}
