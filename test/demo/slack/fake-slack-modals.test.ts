import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../../src/demo/slack/fake-slack.js';
import { viewSubmissionPayload } from '../../../src/demo/slack/slack-requests.js';
import { createTestLogger } from '../../fakes/test-logger.js';

const t = (text: string) => ({ type: 'plain_text' as const, text });
const textInput = (blockId: string) => ({
  type: 'input' as const,
  block_id: blockId,
  label: t(blockId),
  element: { type: 'plain_text_input' as const, action_id: 'value' },
});
const selectInput = (blockId: string, values: string[]) => ({
  type: 'input' as const,
  block_id: blockId,
  label: t(blockId),
  element: {
    type: 'static_select' as const,
    action_id: 'value',
    options: values.map((v) => ({ text: t(v), value: v })),
  },
});
const form = (extra: Record<string, unknown> = {}) => ({
  type: 'modal' as const,
  title: t('Create an instance'),
  submit: t('Request'),
  callback_id: 'create_instance',
  blocks: [textInput('name'), selectInput('os', ['noop', 'debootstrap'])],
  ...extra,
});

let fake: FakeSlack | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** A fake and a real WebClient pointed at it, retrying nothing. */
async function setup() {
  fake = await startFakeSlack();
  const client = new WebClient('xoxb-test', {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logger: createTestLogger(),
  });
  return { fake, client };
}

/** The error data of a call the fake refuses. */
const refusal = (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (e: unknown) => (e as { data?: unknown }).data,
  );

describe('fake Slack modals', () => {
  it('keeps an opened modal under its view id', async () => {
    const { fake, client } = await setup();
    const opened = await client.views.open({ trigger_id: '1.2.abc', view: form() });
    const id = opened.view?.id ?? '';
    expect(id).toMatch(/^V\d{8}$/);
    expect(fake.modal(id)).toMatchObject({ id, type: 'modal', title: t('Create an instance') });
    expect(fake.modals().map((m) => m.id)).toEqual([id]);
  });

  it('replaces a modal on views.update, keeping its id', async () => {
    const { fake, client } = await setup();
    const opened = await client.views.open({ trigger_id: '1.2.abc', view: form() });
    const id = opened.view?.id ?? '';
    const done = { type: 'modal' as const, title: t('Create an instance'), blocks: [] };
    const updated = await client.views.update({ view_id: id, view: done });
    expect(updated.view?.id).toBe(id);
    expect(fake.modal(id)).toMatchObject({ id, blocks: [] });
    expect(fake.modal(id)).not.toHaveProperty('submit');
    expect(fake.modals()).toHaveLength(1);
  });

  it('gives each modal opened its own id, in the order they were opened', async () => {
    const { fake, client } = await setup();
    const a = await client.views.open({ trigger_id: '1.2.a', view: form() });
    const b = await client.views.open({ trigger_id: '1.2.b', view: form() });
    expect(a.view?.id).not.toBe(b.view?.id);
    expect(fake.modals().map((m) => m.id)).toEqual([a.view?.id, b.view?.id]);
  });

  it('answers not_found to views.update of a view it never opened', async () => {
    const { fake, client } = await setup();
    expect(await refusal(client.views.update({ view_id: 'V99999999', view: form() }))).toMatchObject({
      error: 'not_found',
    });
    expect(fake.modals()).toEqual([]);
  });

  it('answers invalid_arguments to views.open without a trigger', async () => {
    const { client } = await setup();
    expect(await refusal(client.views.open({ trigger_id: '', view: form() }))).toMatchObject({
      error: 'invalid_arguments',
    });
  });

  it.each([
    [
      'a 25-character title',
      form({ title: t('x'.repeat(25)) }),
      'must be less than 25 characters [json-pointer:/view/title/text]',
    ],
    [
      'inputs but no submit button',
      form({ submit: undefined }),
      'must provide submit when the view has input blocks [json-pointer:/view/submit]',
    ],
    [
      'private_metadata over 3000 characters',
      form({ private_metadata: 'm'.repeat(3001) }),
      'must be less than 3001 characters [json-pointer:/view/private_metadata]',
    ],
    [
      'a select with 101 options',
      form({
        blocks: [
          selectInput(
            'os',
            Array.from({ length: 101 }, (_, i) => `os${i}`),
          ),
        ],
      }),
      'must be less than 101 items [json-pointer:/view/blocks/0/element/options]',
    ],
    [
      'a select without options',
      form({ blocks: [selectInput('os', [])] }),
      'must provide at least 1 items [json-pointer:/view/blocks/0/element/options]',
    ],
  ])('answers invalid_blocks to a modal with %s, and keeps nothing', async (_what, view, message) => {
    const { fake, client } = await setup();
    expect(await refusal(client.views.open({ trigger_id: '1.2.abc', view }))).toMatchObject({
      error: 'invalid_blocks',
      errors: [message],
      response_metadata: { messages: [`[ERROR] ${message}`] },
    });
    expect(fake.modals()).toEqual([]);
  });

  it('keeps the modal as it was when an update breaks a limit', async () => {
    const { fake, client } = await setup();
    const opened = await client.views.open({ trigger_id: '1.2.abc', view: form() });
    const id = opened.view?.id ?? '';
    expect(
      await refusal(client.views.update({ view_id: id, view: form({ title: t('x'.repeat(25)) }) })),
    ).toMatchObject({ error: 'invalid_blocks' });
    expect(fake.modal(id)?.title).toEqual(t('Create an instance'));
  });

  it('accepts a modal of 100 options and a 3000-character metadata', async () => {
    const { client } = await setup();
    const view = form({
      private_metadata: 'm'.repeat(3000),
      blocks: [
        selectInput(
          'os',
          Array.from({ length: 100 }, (_, i) => `os${i}`),
        ),
      ],
    });
    expect((await client.views.open({ trigger_id: '1.2.abc', view })).ok).toBe(true);
  });
});

describe('viewSubmissionPayload', () => {
  it('fills state.values from the answers: text as value, a pick as selected_option', async () => {
    const { fake, client } = await setup();
    const opened = await client.views.open({
      trigger_id: '1.2.abc',
      view: form({
        blocks: [
          textInput('name'),
          textInput('memory'),
          selectInput('os', ['noop']),
          selectInput('network', ['lab-net1']),
        ],
      }),
    });
    const view = fake.modal(opened.view?.id ?? '') ?? {};
    const payload = viewSubmissionPayload({
      user: 'U0OPER',
      view,
      answers: { name: 'web5', os: { selected: 'noop' } },
    });
    expect(payload).toMatchObject({ type: 'view_submission', user: { id: 'U0OPER' } });
    expect((payload.view as { id?: string }).id).toBe(opened.view?.id);
    expect((payload.view as { state: unknown }).state).toEqual({
      values: {
        name: { value: { type: 'plain_text_input', value: 'web5' } },
        memory: { value: { type: 'plain_text_input', value: null } },
        os: {
          value: { type: 'static_select', selected_option: { text: t('noop'), value: 'noop' } },
        },
        network: { value: { type: 'static_select', selected_option: null } },
      },
    });
  });
});
