import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { z } from 'zod';
import { requestIdSchema } from '../../queue/payloads.js';
import { clip, context, esc, section } from '../render/blocks.js';
import { ACTION_APPROVE } from '../render/render-operation.js';
import type { ButtonArgs } from './operation-buttons.js';
import type { ViewAck } from './create-form.js';

/** The name form's callback id. */
export const CALLBACK_APPROVE_NAMED = 'approve_named';
const BLOCK = 'name';
const VALUE = 'value';

/** What the form carries to its submission: the request and the card Approve… was clicked on. */
const metadataSchema = z
  .object({
    requestId: requestIdSchema,
    channel: z.string().min(1).max(40),
    ts: z.string().max(40).nullable(),
    name: z.string().min(1).max(255),
  })
  .strict();
export type NameFormMetadata = z.infer<typeof metadataSchema>;

/** Opens the form in which an approver types the instance's name. */
export interface NameForm {
  open(triggerId: string, meta: NameFormMetadata): Promise<void>;
}

export function nameFormView(meta: NameFormMetadata): ModalView {
  const t = (text: string) => ({ type: 'plain_text' as const, text: clip(text, 150), emoji: true });
  return {
    type: 'modal',
    callback_id: CALLBACK_APPROVE_NAMED,
    title: t('Approve the removal'),
    submit: t('Remove it'),
    close: t('Not yet'),
    private_metadata: JSON.stringify(meta),
    blocks: [
      section(`:warning: This deletes \`${esc(meta.name)}\` and its disks. It cannot be undone.`),
      {
        type: 'input',
        block_id: BLOCK,
        label: t('Type the instance’s name to approve'),
        element: { type: 'plain_text_input', action_id: VALUE, placeholder: t(meta.name) },
      },
      context(`Request \`${meta.requestId}\` · its short name will do`),
    ],
  };
}

export function createNameForm(client: Pick<WebClient, 'views'>): NameForm {
  return {
    async open(triggerId, meta) {
      await client.views.open({ trigger_id: triggerId, view: nameFormView(meta) });
    },
  };
}

/** Whether what was typed is the name, or its first label (`web5` for `web5.example.org`). */
export function typedTheName(typed: string, name: string): boolean {
  const t = typed.trim().toLowerCase().replace(/\.$/, '');
  return t === name || t === name.split('.')[0];
}

/** The parts of Bolt's view_submission arguments this listener uses. */
export interface NameSubmissionArgs {
  ack: (response?: ViewAck) => Promise<void>;
  body: { user: { id: string } };
  view: {
    private_metadata?: string;
    state: { values: Record<string, Record<string, { value?: string | null }>> };
  };
}

/**
 * The name form's submission: a wrong name is shown under the field and nothing is decided; the
 * right one closes the form and approves exactly as a click on the card's Approve would, with
 * every check made again (approver, two-person rule, still pending, the card it came from).
 */
export function createNameSubmission(deps: {
  approveNamed: (args: ButtonArgs) => Promise<void>;
  logger: Logger;
}) {
  return async ({ ack, body, view }: NameSubmissionArgs): Promise<void> => {
    let meta: NameFormMetadata;
    try {
      meta = metadataSchema.parse(JSON.parse(view.private_metadata ?? ''));
    } catch {
      deps.logger.warn({ user: body.user.id }, 'a name form without its metadata');
      await ack({
        response_action: 'errors',
        errors: { [BLOCK]: 'This form is out of date; use the card again.' },
      });
      return;
    }
    const typed = view.state.values[BLOCK]?.[VALUE]?.value ?? '';
    if (!typedTheName(typed, meta.name)) {
      await ack({
        response_action: 'errors',
        errors: { [BLOCK]: `That is not ${meta.name}. Type its name exactly to approve; nothing was done.` },
      });
      return;
    }
    await deps.approveNamed({
      ack: () => ack(),
      body: {
        user: { id: body.user.id },
        channel: { id: meta.channel },
        container: { channel_id: meta.channel, ...(meta.ts ? { message_ts: meta.ts } : {}) },
      },
      action: { action_id: ACTION_APPROVE, value: meta.requestId },
    });
  };
}
