import type { Logger } from 'pino';
import { authorize, type AccessPolicy } from '../../commands/authorize.js';
import type { Registry } from '../../commands/registry.js';
import { isUserError } from '../../core/errors.js';
import type { OperationQueue } from '../../queue/operation-queue.js';
import type { OperationReporter } from '../../queue/operation-port.js';
import { buildView } from '../../queue/operation-view.js';
import { requestIdSchema } from '../../queue/payloads.js';
import type { RequestStore } from '../../queue/request-store.js';

/** The parts of Bolt's block_actions arguments this listener uses. */
export interface ButtonArgs {
  ack: () => Promise<void>;
  body: { user: { id: string }; channel?: { id: string }; response_url?: string };
  action: { action_id: string; value?: string };
}

export interface OperationButtonDeps {
  store: RequestStore;
  queue: Pick<OperationQueue, 'execute'>;
  reporter: OperationReporter;
  registry: Registry;
  policy: AccessPolicy;
  logger: Logger;
  now?: () => number;
}

/**
 * Confirm and Cancel on an operation card. Until two-person approval exists, only the requester
 * confirms (re-authorized at the click: roles may have changed). Every state change is one
 * atomic move in Redis, so two clicks at once start exactly one execution.
 */
export function createOperationButtons(deps: OperationButtonDeps) {
  const now = deps.now ?? Date.now;
  /** Redraws a request's card from its stored state. */
  const refreshCard = async (requestId: string) => {
    const fresh = await deps.store.get(requestId);
    if (fresh) await deps.reporter.show(buildView(fresh, {}, now(), null), fresh.card);
  };

  return async ({ ack, body, action }: ButtonArgs): Promise<void> => {
    await ack();
    const clicker = body.user.id;
    const to = { channelId: body.channel?.id ?? '', userId: clicker, responseUrl: body.response_url ?? null };
    const say = (message: string, hint?: string) =>
      deps.reporter.tell(to, { code: 'refused', message, ...(hint ? { hint } : {}) });
    const parsedId = requestIdSchema.safeParse(action.value);
    if (!parsedId.success) return say('That button does not belong to a request this bot knows.');
    const requestId = parsedId.data;
    const log = deps.logger.child({ requestId, clicker, action: action.action_id });
    const stored = await deps.store.get(requestId);
    if (!stored) return say('This request is no longer known (requests are kept for 30 days).');
    const { request } = stored;

    if (action.action_id === 'op_cancel') {
      if (clicker !== request.userId)
        return say(`Only <@${request.userId}>, who asked, can cancel this request.`);
      const moved = await deps.store.transition(requestId, ['pending'], 'cancelled', clicker);
      if (!moved.ok) return say(`This request is already ${moved.state ?? 'gone'}; nothing to cancel.`);
      log.info('request cancelled');
      return refreshCard(requestId);
    }

    // Confirm.
    if (clicker !== request.userId) {
      return say(
        `Only <@${request.userId}>, who asked, can confirm this request.`,
        'Ask them to confirm it, or make your own request.',
      );
    }
    const command = deps.registry.find(request.command);
    const decision = command ? authorize(command, clicker, deps.policy) : null;
    if (!decision?.allowed)
      return say(decision?.reason ?? `The command \`${request.command}\` no longer exists.`);
    if (request.expiresAt !== null && now() > request.expiresAt) {
      const expired = await deps.store.transition(requestId, ['pending'], 'expired');
      if (expired.ok) await refreshCard(requestId);
      return say('This request has expired; nothing was run.', 'Ask again if it is still needed.');
    }
    const moved = await deps.store.transition(requestId, ['pending'], 'approved', clicker);
    if (!moved.ok) {
      const who = stored.decidedBy ? ` by <@${stored.decidedBy}>` : '';
      return say(
        `This request is already ${moved.state ?? 'gone'}${moved.state === stored.state ? who : ''}; it runs only once.`,
      );
    }
    log.info('request confirmed');
    // Show "starting" before queueing, so the worker's own updates always come after ours.
    await refreshCard(requestId);
    try {
      await deps.queue.execute(requestId);
    } catch (error) {
      // Not queued: put it back so it can be confirmed again.
      await deps.store.transition(requestId, ['approved'], 'pending');
      await refreshCard(requestId);
      log.error({ err: error }, 'could not queue a confirmed request');
      return say(
        isUserError(error) ? error.userMessage : 'The bot could not queue the operation. Nothing was run.',
        'Press Confirm again in a minute.',
      );
    }
  };
}
