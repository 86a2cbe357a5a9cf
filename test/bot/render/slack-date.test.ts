import { describe, expect, it } from 'vitest';
import { button, clip, context, fitMessage, header, section } from '../../../src/bot/render/blocks.js';
import { slackDate, TIME, utcText, withoutDateTokens } from '../../../src/core/slack-date.js';

/** 2026-12-02 05:12:07.999 UTC. */
const AT = Date.UTC(2026, 11, 2, 5, 12, 7, 999);
const SECONDS = 1796188327;

describe('slackDate', () => {
  it('gives Slack a date token, day and time by default, with UTC as the fallback text', () => {
    expect(slackDate(AT)).toBe(`<!date^${SECONDS}^{date_short_pretty} {time}|2026-12-02 05:12 UTC>`);
  });

  it('takes other formats; the fallback shows seconds only when the token does', () => {
    expect(slackDate(AT, TIME)).toBe(`<!date^${SECONDS}^{time}|2026-12-02 05:12 UTC>`);
    expect(slackDate(AT, '{date_num} {time_secs}')).toBe(
      `<!date^${SECONDS}^{date_num} {time_secs}|2026-12-02 05:12:07 UTC>`,
    );
  });

  it('rounds milliseconds down to the second, as the fallback does', () => {
    expect(slackDate(AT)).toContain(`^${SECONDS}^`);
    expect(slackDate(SECONDS * 1000)).toBe(slackDate(AT));
    expect(slackDate(SECONDS * 1000 - 1)).toContain(`^${SECONDS - 1}^`);
    // 05:12:59.999 is still 05:12 in both the token and the fallback.
    expect(slackDate(Date.UTC(2026, 11, 2, 5, 12, 59, 999))).toBe(
      `<!date^${SECONDS + 52}^{date_short_pretty} {time}|2026-12-02 05:12 UTC>`,
    );
  });

  it('says "unknown time" for a time that is not a number instead of throwing', () => {
    expect(slackDate(Number.NaN)).toBe('unknown time');
    expect(utcText(Number.POSITIVE_INFINITY)).toBe('unknown time');
  });
});

describe('utcText', () => {
  it('is ISO-like UTC, to the minute unless seconds are asked for', () => {
    expect(utcText(AT)).toBe('2026-12-02 05:12 UTC');
    expect(utcText(AT, { seconds: true })).toBe('2026-12-02 05:12:07 UTC');
    expect(utcText(AT, { seconds: true, zone: false })).toBe('2026-12-02 05:12:07');
  });
});

describe('withoutDateTokens', () => {
  it('replaces each token by its fallback and leaves other markup alone', () => {
    const text = `down since ${slackDate(AT)}, updated ${slackDate(AT + 60_000, TIME)} by <@U0BOB>`;
    expect(withoutDateTokens(text)).toBe(
      'down since 2026-12-02 05:12 UTC, updated 2026-12-02 05:13 UTC by <@U0BOB>',
    );
  });
});

describe('date tokens where Slack does not render them', () => {
  const token = slackDate(AT);

  it('a header (plain_text) keeps plain UTC', () => {
    expect(header(`Down since ${token}`).text).toEqual({
      type: 'plain_text',
      text: 'Down since 2026-12-02 05:12 UTC',
      emoji: true,
    });
  });

  it('a button label and its confirm dialog keep plain UTC', () => {
    const b = button('act', `Snooze until ${token}`, 'v', {
      confirm: { title: `Snooze until ${token}?`, text: `Until ${token}.`, yes: 'Yes', no: 'No' },
    });
    expect(b.text.text).toBe('Snooze until 2026-12-02 05:12 UTC');
    expect(b.confirm?.title?.text).toBe('Snooze until 2026-12-02 05:12 UTC?');
    expect(b.confirm?.text.text).toBe('Until 2026-12-02 05:12 UTC.');
  });

  it('the notification text keeps plain UTC while the blocks keep the token', () => {
    const message = fitMessage(`Down since ${token}`, [section(`Down since ${token}`)], (n) => `${n}`);
    expect(message.text).toBe('Down since 2026-12-02 05:12 UTC');
    expect(JSON.stringify(message.blocks)).toContain(token);
  });
});

describe('clip', () => {
  it('never cuts through a date token (or a mention): the cut moves before it', () => {
    const text = `${'x'.repeat(50)} since ${slackDate(AT)}`;
    const cut = clip(text, 70);
    expect(cut).toBe(`${'x'.repeat(50)} since …`);
    expect(clip(`${'y'.repeat(8)} <@U0BOB>`, 15)).toBe(`${'y'.repeat(8)} …`);
  });

  it('cuts as before where no markup is open', () => {
    const text = `${slackDate(AT)} and then some more text`;
    expect(clip(text, 80)).toBe(`${text.slice(0, 79)}…`);
    expect(clip(text, 80)).toContain(slackDate(AT));
    expect(clip('abcdef', 4)).toBe('abc…');
  });

  it('keeps a context element within its 2000 characters with the token whole', () => {
    const long = `${'z'.repeat(1950)} ${slackDate(AT)}`;
    const [element] = context(long).elements;
    const text = element && 'text' in element ? element.text : '';
    expect(text.length).toBeLessThanOrEqual(2000);
    expect(text.endsWith('z …')).toBe(true);
  });
});
