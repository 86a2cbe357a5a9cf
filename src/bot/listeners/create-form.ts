import type { ModalView } from '@slack/types';
import type { Logger } from 'pino';
import { z } from 'zod';
import { CLUSTER_NAME } from '../../core/cluster-name.js';
import type { AuditLog } from '../../audit/audit-log.js';
import { authorizeOnCluster, grantOf, type AccessPolicy } from '../../commands/authorize.js';
import { checkNewInstance, type NewInstanceInput } from '../../commands/new-instance.js';
import type { Registry } from '../../commands/registry.js';
import { isUserError } from '../../core/errors.js';
import type { CommandQueue } from '../../queue/command-queue.js';
import { newRequestId } from '../../queue/payloads.js';
import { createScope, CREATE_COMMAND } from '../../queue/project-scope.js';
import { quoteArgv } from '../../cluster/shell-quote.js';
import {
  errorsForBlocks,
  formFailureView,
  readCreateForm,
  submittedView,
  type CreateFormMetadata,
  type SubmittedState,
} from '../forms/create-form-view.js';
import type { RateLimiter } from '../rate-limit.js';
import type { GroupDirectory } from '../user-groups.js';

/** A view_submission's answer: close or replace the form, or show errors under its fields. */
export type ViewAck =
  | { response_action: 'errors'; errors: Record<string, string> }
  | { response_action: 'update'; view: ModalView };

/** The parts of Bolt's view_submission arguments this listener uses. */
export interface ViewSubmissionArgs {
  ack: (response?: ViewAck) => Promise<void>;
  body: { user: { id: string; name?: string } };
  view: {
    id: string;
    private_metadata?: string;
    state: SubmittedState;
    blocks: ReadonlyArray<{ block_id?: string }>;
  };
}

export interface CreateFormDeps {
  registry: Registry;
  queue: Pick<CommandQueue, 'enqueue'>;
  policy: AccessPolicy;
  groups: GroupDirectory;
  audit: AuditLog;
  logger: Logger;
  /** Updates the form after its answer (a queueing that failed). */
  updateView: (viewId: string, view: ModalView) => Promise<void>;
  rateLimit?: RateLimiter;
  now?: () => number;
}

const nodeFacts = z.object({
  name: z.string(),
  memoryFreeMiB: z.number().nullable(),
  diskFreeMiB: z.number().nullable(),
  problem: z.string().nullable(),
});
/** The form's metadata comes back from Slack as we wrote it; its shape is checked all the same. */
const metadataSchema: z.ZodType<CreateFormMetadata> = z.object({
  channel: z.string().regex(/^[CDG][A-Z0-9]{1,30}$/),
  target: z.string().regex(CLUSTER_NAME).optional(),
  cluster: z.string(),
  facts: z
    .object({
      instances: z.array(z.string()),
      nodes: z.array(nodeFacts),
      oses: z.array(z.string()),
      templates: z.array(z.string()),
      networks: z.array(z.string()),
      nicMode: z.string().nullable(),
    })
    .nullable(),
  project: z
    .object({ name: z.string(), tags: z.array(z.string()), patterns: z.array(z.string()) })
    .nullable(),
});

/** The form's fields as the create command's arguments (`--node P:S` from the two nodes). */
export function formArgs(name: string, input: NewInstanceInput): Record<string, string> {
  const node = input.primary && (input.secondary ? `${input.primary}:${input.secondary}` : input.primary);
  const { os, template, memory, vcpus, disk, network, ip, tags } = input;
  const args: Record<string, string> = { instance: name };
  for (const [key, value] of Object.entries({ os, template, memory, vcpus, disk, network, ip, node, tags }))
    if (value) args[key] = value;
  return args;
}

/** The command line the form stands for: what audit records and the card show. */
export function formCommandLine(args: Record<string, string>): string {
  const { instance, ...flags } = args;
  return quoteArgv(['create', instance ?? '', ...Object.entries(flags).flatMap(([k, v]) => [`--${k}`, v])]);
}

/**
 * The create form's submission. Slack wants an answer within 3 s, so it is checked against the
 * facts read when the form opened (private_metadata): errors appear under their fields and
 * nothing is queued. A valid one is queued as `/ganeti create NAME …` would be, and the worker
 * checks it again against the cluster before its approval card is posted. Access is checked
 * again too: the form may have been open for a while.
 */
export function createCreateFormListener(deps: CreateFormDeps) {
  const now = deps.now ?? Date.now;
  const def = deps.registry.find(CREATE_COMMAND);
  return async ({ ack, body, view }: ViewSubmissionArgs): Promise<void> => {
    const user = body.user.id;
    const requestId = newRequestId(now());
    const log = deps.logger.child({ requestId, user, view: view.id });
    const refuse = (message: string) =>
      ack({ response_action: 'errors', errors: errorsForBlocks({ name: message }, view.blocks) });
    const parsedMeta = (() => {
      try {
        return metadataSchema.safeParse(JSON.parse(view.private_metadata ?? ''));
      } catch {
        return null;
      }
    })();
    if (!def || !parsedMeta?.success) {
      log.warn('a create form without its metadata');
      return refuse('This form is out of date; close it and type /ganeti create again.');
    }
    const meta = parsedMeta.data;
    const input = readCreateForm(view.state);
    const audit = (event: 'requested' | 'refused', detail: string) =>
      deps.audit.record({
        event,
        requestId,
        user,
        channel: meta.channel,
        ...(meta.target ? { cluster: meta.target } : {}),
        command: CREATE_COMMAND,
        target: input.name || null,
        detail,
      });

    let groups: string[];
    let decision;
    try {
      groups = await deps.groups.groupsOf(user);
      decision = authorizeOnCluster(def, { userId: user, groups }, meta.channel, deps.policy, meta.target);
    } catch (error) {
      log.warn({ err: error }, 'could not check access for a create form');
      return refuse('The bot could not check your access just now; submit again in a minute.');
    }
    if (!decision.allowed) {
      await refuse(decision.reason);
      await audit('refused', decision.reason);
      return;
    }
    const grant = grantOf(decision);
    let name: string;
    try {
      const scope = createScope(grant, deps.policy);
      // Facts too big for the form: only the shapes here; the worker checks against the cluster.
      const outcome = meta.facts
        ? checkNewInstance(input, meta.facts, scope)
        : { ok: true as const, name: String(def.validate({ instance: input.name }).instance) };
      if (!outcome.ok) {
        log.info({ fields: Object.keys(outcome.errors) }, 'create form refused');
        return ack({ response_action: 'errors', errors: errorsForBlocks(outcome.errors, view.blocks) });
      }
      name = outcome.name;
      def.validate(formArgs(name, input));
    } catch (error) {
      return refuse(isUserError(error) ? error.userMessage : 'The form could not be checked.');
    }
    const allowed = deps.rateLimit ? await deps.rateLimit.take(user) : { ok: true as const };
    if (!allowed.ok)
      return refuse(
        `You sent too many commands in the last minute; submit again in ${allowed.retryInSec} s.`,
      );

    const args = formArgs(name, input);
    const line = formCommandLine(args);
    await ack({ response_action: 'update', view: submittedView(name, meta.channel) });
    try {
      await deps.queue.enqueue({
        requestId,
        command: CREATE_COMMAND,
        args,
        text: line.slice(0, 1000),
        userId: user,
        ...(body.user.name ? { userName: body.user.name } : {}),
        channelId: meta.channel,
        ...(meta.target ? { cluster: meta.target } : {}),
        responseUrl: null,
        requestedAt: now(),
        groups,
        grant,
      });
      log.info('create form queued');
      await audit('requested', line.slice(0, 200));
    } catch (error) {
      log.error({ err: error }, 'could not queue a create form');
      const message = isUserError(error)
        ? error.userMessage
        : 'The bot could not queue your request. Nothing was run.';
      await deps
        .updateView(view.id, formFailureView(message, 'Open the form again in a minute.'))
        .catch(() => undefined);
    }
  };
}
