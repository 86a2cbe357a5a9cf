import { describe, expect, it } from 'vitest';
import { clickedInHome, replyTo, type ButtonArgs } from '../../../src/bot/listeners/operation-buttons.js';
import { homeActionPayload } from '../../../src/demo/slack/slack-requests.js';

const HOME = { id: 'V0HOME1', type: 'home', blocks: [] };
/** A Home click exactly as Slack sends it (the fake's shape, checked against Slack's docs). */
const slackHomeClick = () =>
  homeActionPayload({
    user: 'U0BOB',
    view: HOME,
    actionId: 'op_deny',
    value: 'req-a1-b2',
  }) as unknown as ButtonArgs['body'];

describe('a click in the App Home', () => {
  it('is recognised by its container and view, and answered in the person’s DM with the app', () => {
    const body = slackHomeClick();
    expect(clickedInHome(body)).toBe(true);
    expect(replyTo(body)).toEqual({ channelId: 'U0BOB', userId: 'U0BOB', responseUrl: null });
  });

  it.each([
    ['a modal’s view', (b: ButtonArgs['body']) => ({ ...b, view: { ...b.view, type: 'modal' } })],
    [
      'a container naming another view',
      (b: ButtonArgs['body']) => ({ ...b, container: { ...b.container, view_id: 'V0OTHER' } }),
    ],
    [
      'a container that also names a channel',
      (b: ButtonArgs['body']) => ({ ...b, container: { ...b.container, channel_id: 'C0OPS' } }),
    ],
    ['a channel beside the view', (b: ButtonArgs['body']) => ({ ...b, channel: { id: 'C0OPS' } })],
    [
      'a message beside the view',
      (b: ButtonArgs['body']) => ({ ...b, message: { ts: '1700000000.000100' } }),
    ],
    [
      'a message container',
      (b: ButtonArgs['body']) => ({ ...b, container: { type: 'message', view_id: 'V0HOME1' } }),
    ],
  ])('is not one when the payload has %s (then it must come from the card)', (_what, tamper) => {
    const body = tamper(slackHomeClick());
    expect(clickedInHome(body)).toBe(false);
  });

  it('answers a click on a message where it came from, as before', () => {
    const body: ButtonArgs['body'] = {
      user: { id: 'U0BOB' },
      channel: { id: 'C0OPS' },
      container: { type: 'message', channel_id: 'C0OPS', message_ts: '1700000000.000100' },
      response_url: 'https://hooks.example/r',
    };
    expect(replyTo(body)).toEqual({
      channelId: 'C0OPS',
      userId: 'U0BOB',
      responseUrl: 'https://hooks.example/r',
    });
  });
});
