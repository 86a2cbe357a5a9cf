import type { Logger } from 'pino';
import type { AuditLog } from '../../audit/audit-log.js';
import { mayApprove, type AccessPolicy } from '../../commands/authorize.js';
import { isUserError } from '../../core/errors.js';
import type { OperationQueue } from '../../queue/operation-queue.js';
import type { OperationReporter } from '../../queue/operation-port.js';
import { buildView } from '../../queue/operation-view.js';
import { requestIdSchema } from '../../queue/payloads.js';
import type { RequestState } from '../../queue/operation-types.js';
import type { RequestStore, StoredRequest } from '../../queue/request-store.js';
import {
  ACTION_APPROVE,
  ACTION_APPROVE_NAMED,
  ACTION_CANCEL,
  ACTION_DENY,
} from '../render/render-operation.js';
import type { NameForm } from './named-approval.js';
import type { GroupDirectory } from '../user-groups.js';

/** The parts of Bolt's block_actions arguments this listener uses. */
export interface ButtonArgs {
  ack: () => Promise<void>;
  body: {
    user: { id: string };
    channel?: { id: string };
    response_url?: string;
    /** Opens a modal within 3 s of the click (approving by typing a name). */
    trigger_id?: string;
    /** The message the button is on (Slack sends it with every click on a message), or the view. */
    container?: { type?: string; message_ts?: string; channel_id?: string; view_id?: string };
    message?: { ts?: string };
    /** The view the button is in, for a click in a modal or the App Home. */
    view?: { id?: string; type?: string };
  };
  action: { action_id: string; value?: string };
}

/**
 * The channel and message a click came from, as its payload says. A payload that names two
 * different channels (or messages) names none: it matches no card.
 */
export function clickedOn(body: ButtonArgs['body']): { channel: string; ts: string | null } {
  const one = (a: string | undefined, b: string | undefined) => (a && b && a !== b ? '' : (a ?? b));
  return {
    channel: one(body.container?.channel_id, body.channel?.id) ?? '',
    ts: one(body.container?.message_ts, body.message?.ts) ?? null,
  };
}

/**
 * A click in the clicker's own App Home: Slack shows each person only their own Home, and sends
 * the click with that view (container and view agree, and no channel or message is named).
 */
export function clickedInHome(body: ButtonArgs['body']): boolean {
  const c = body.container;
  return (
    c?.type === 'view' &&
    body.view?.type === 'home' &&
    c.view_id !== undefined &&
    c.view_id === body.view.id &&
    c.channel_id === undefined &&
    body.channel === undefined &&
    body.message === undefined
  );
}

/** Where a refusal goes: the channel of the click, or the person's DM with the app (a Home click). */
export function replyTo(body: ButtonArgs['body']): {
  channelId: string;
  userId: string;
  responseUrl: string | null;
} {
  const user = body.user.id;
  return clickedInHome(body)
    ? { channelId: user, userId: user, responseUrl: null }
    : { channelId: body.channel?.id ?? '', userId: user, responseUrl: body.response_url ?? null };
}

const OPERATION_ACTIONS: readonly string[] = [
  ACTION_APPROVE,
  ACTION_APPROVE_NAMED,
  ACTION_DENY,
  ACTION_CANCEL,
];

export interface OperationButtonDeps {
  store: RequestStore;
  queue: Pick<OperationQueue, 'execute'>;
  reporter: OperationReporter;
  policy: AccessPolicy;
  groups: GroupDirectory;
  audit: AuditLog;
  logger: Logger;
  now?: () => number;
  /** Opens the form in which an approver types the instance's name (`plan.confirmName`). */
  nameForm?: NameForm;
}

/** How a decision reached the handler: a click, or the name form submitted with the right name. */
interface Via {
  nameTyped: boolean;
}

/**
 * Approve, Deny and Cancel on an operation card. Only an approver may approve or deny, by
 * default not the requester (two-person rule; `selfApprove` lifts it per command), with group
 * membership looked up afresh at every click. The requester may cancel while it is pending.
 * Every change of state is one atomic move in Redis: of two clicks at once, exactly one wins,
 * and exactly one execution starts. A refused click leaves the card as it is.
 *
 * A click counts only on the request's own card: its value names the request, and the message it
 * came from must be that request's card (same channel, and same message where the card has a ts).
 * Slack never changes a button's value, so any other combination is a forged or confused payload.
 * Every refusal is audited (`refused`, with the reason) and told to the clicker alone.
 */
export function createOperationButtons(deps: OperationButtonDeps) {
  const now = deps.now ?? Date.now;
  /** Redraws a request's card from its stored state. */
  const refreshCard = async (requestId: string) => {
    const fresh = await deps.store.get(requestId);
    if (fresh) await deps.reporter.show(buildView(fresh, {}, now(), null), fresh.card);
  };

  const handle = async ({ body, action }: ButtonArgs, via: Via): Promise<void> => {
    const clicker = body.user.id;
    const to = replyTo(body);
    const from = clickedOn(body);
    const inHome = clickedInHome(body);
    let base: {
      requestId: string | null;
      user: string;
      channel: string | null;
      command: string | null;
      cluster?: string;
    } = {
      requestId: null,
      user: clicker,
      channel: from.channel || null,
      command: null,
    };
    const refuse = async (message: string, hint?: string) => {
      await deps.audit.record({ event: 'refused', ...base, detail: `${action.action_id}: ${message}` });
      await deps.reporter.tell(to, { code: 'refused', message, ...(hint ? { hint } : {}) });
    };
    if (!OPERATION_ACTIONS.includes(action.action_id)) return refuse('Unknown button; nothing was done.');
    const parsedId = requestIdSchema.safeParse(action.value);
    if (!parsedId.success) return refuse('That button does not belong to a request this bot knows.');
    const requestId = parsedId.data;
    const log = deps.logger.child({ requestId, clicker, action: action.action_id });
    const stored = await deps.store.get(requestId);
    base = {
      requestId,
      user: clicker,
      channel: stored?.request.channelId ?? base.channel,
      command: stored?.request.command ?? null,
      ...(stored?.request.cluster ? { cluster: stored.request.cluster } : {}),
    };
    if (!stored) return refuse('This request is no longer known (requests are kept for 30 days).');
    const { request } = stored;
    const card = stored.card;
    const cardChannel = card && 'channel' in card ? card.channel : request.channelId;
    const cardTs = card && 'ts' in card ? card.ts : null;
    if (!inHome && (from.channel !== cardChannel || (cardTs !== null && from.ts !== cardTs))) {
      log.warn({ from }, 'refused a click that did not come from the request’s card');
      return refuse(
        `This button is not on the card of request \`${requestId}\`; nothing was done.`,
        'Use the buttons on the request’s own card.',
      );
    }
    const audited = (event: 'approved' | 'denied' | 'cancelled' | 'expired') =>
      deps.audit.record({
        event,
        ...base,
        target: request.plan.summary,
        approver: event === 'approved' ? clicker : null,
        ...(event === 'approved' && request.plan.attestation
          ? { detail: `attested: ${request.plan.attestation}` }
          : {}),
      });
    const already = (state: RequestState | null, s: StoredRequest) =>
      `This request is already ${state ?? 'gone'}${state === s.state && s.decidedBy ? ` (by <@${s.decidedBy}>)` : ''}; it runs only once.`;

    if (action.action_id === ACTION_CANCEL) {
      if (clicker !== request.userId)
        return refuse(`Only <@${request.userId}>, who asked, can cancel this request.`);
      const moved = await deps.store.transition(requestId, ['pending'], 'cancelled', clicker);
      if (!moved.ok) return refuse(already(moved.state, stored));
      log.info('request cancelled');
      await audited('cancelled');
      return refreshCard(requestId);
    }
    if (action.action_id === ACTION_APPROVE_NAMED) {
      // The form opens first (the trigger lasts 3 s); every check is made again on submission.
      if (stored.state !== 'pending') return refuse(already(stored.state, stored));
      const name = request.plan.confirmName;
      if (!name || !deps.nameForm || !body.trigger_id)
        return refuse('This request has no name to type; nothing was done.');
      // The card's own place, also for a click in the Home: the submission is checked against it.
      await deps.nameForm.open(body.trigger_id, { requestId, channel: cardChannel, ts: cardTs, name });
      log.info('name form opened');
      return;
    }
    if (action.action_id === ACTION_APPROVE && request.plan.confirmName && !via.nameTyped)
      return refuse(
        `Approving this request takes typing \`${request.plan.confirmName}\`; nothing was done.`,
        'Click “Approve…” on the card and type the name.',
      );
    let groups: string[];
    try {
      groups = await deps.groups.groupsOf(clicker, { fresh: true });
    } catch (error) {
      return refuse(
        isUserError(error) ? error.userMessage : 'Could not check your Slack user groups.',
        'Try again in a minute.',
      );
    }
    const may = mayApprove(request.command, { userId: clicker, groups }, request.userId, deps.policy);
    if (!may.allowed) return refuse(may.reason, 'The card stays as it is for an approver.');
    if (request.expiresAt !== null && now() > request.expiresAt) {
      const expired = await deps.store.transition(requestId, ['pending'], 'expired');
      if (expired.ok) {
        await audited('expired');
        await refreshCard(requestId);
      }
      return refuse('This request has expired; nothing was run.', 'Ask again if it is still needed.');
    }

    if (action.action_id === ACTION_DENY) {
      const moved = await deps.store.transition(requestId, ['pending'], 'denied', clicker);
      if (!moved.ok) return refuse(already(moved.state, stored));
      log.info('request denied');
      await audited('denied');
      return refreshCard(requestId);
    }

    const moved = await deps.store.transition(requestId, ['pending'], 'approved', clicker);
    if (!moved.ok) return refuse(already(moved.state, stored));
    log.info('request approved');
    await audited('approved');
    // Show "starting" before queueing, so the worker's own updates always come after ours.
    await refreshCard(requestId);
    try {
      await deps.queue.execute(requestId, request.cluster);
    } catch (error) {
      // The approval stands: the queueing may still land, and if it does not, the worker's sweep
      // (src/queue/approval-sweeper.ts) queues it. Putting it back to pending could not undo a
      // queueing that did land, and would tell the approver "nothing was run" wrongly.
      log.error({ err: error }, 'could not queue an approved request; the sweep will');
      await deps.reporter.tell(to, {
        code: 'unavailable',
        message:
          'Approved. The bot’s job queue (Redis) was too slow to take the operation just now; the bot queues it by itself as soon as Redis answers, and it runs once.',
        hint: 'No need to approve again: the card shows when it starts.',
      });
    }
  };

  const guarded = async (args: ButtonArgs, via: Via): Promise<void> => {
    await args.ack();
    try {
      await handle(args, via);
    } catch (error) {
      // Redis down or slow: the click must not vanish. Down: nothing was decided (every move is
      // one atomic step). Slow: a move sent may still land, so the bot cannot say which.
      deps.logger.error({ err: error, action: args.action.action_id }, 'a button click failed');
      const slow = error instanceof Error && /timed out/i.test(error.message);
      await deps.reporter.tell(
        replyTo(args.body),
        isUserError(error)
          ? { code: 'unavailable', message: error.userMessage }
          : slow
            ? {
                code: 'unavailable',
                message:
                  'The bot’s job queue (Redis) did not answer in time, so the bot cannot tell whether your click counted.',
                hint: 'Look at the card in a minute: it shows what was decided, and an approval that counted runs once by itself.',
              }
            : {
                code: 'unavailable',
                message:
                  'The bot could not record your click: its job queue (Redis) is not answering. Nothing was decided.',
                hint: 'Click again in a minute; the card stays as it is.',
              },
      );
    }
  };
  return Object.assign((args: ButtonArgs) => guarded(args, { nameTyped: false }), {
    /** The name form was submitted with the right name: decide as its Approve click. */
    approveNamed: (args: ButtonArgs) => guarded(args, { nameTyped: true }),
  });
}
