/**
 * Points in time in messages. In mrkdwn (blocks, and the text of a message without blocks) Slack
 * replaces `<!date^SECONDS^FORMAT|FALLBACK>` by the time in each reader's own time zone and clock
 * format; clients that cannot render it show FALLBACK, here always UTC. `plain_text` (headers,
 * button labels), confirm dialogs, code blocks and the notification text of a message with blocks
 * show no token, so those get {@link utcText} (or {@link withoutDateTokens}) instead. Durations
 * ("took 3 min") are not points in time and stay as they are.
 */

/**
 * FORMAT tokens Slack fills in, e.g. `{date_num}` 2026-12-02, `{date_short}` Dec 2, 2026,
 * `{date_short_pretty}` the same or "today"/"yesterday"/"tomorrow", `{time}` 5:12 AM or 05:12 (the
 * reader's clock setting), `{time_secs}` the same with seconds.
 */
export type SlackDateToken =
  | '{date_num}'
  | '{date}'
  | '{date_short}'
  | '{date_long}'
  | '{date_pretty}'
  | '{date_short_pretty}'
  | '{date_long_pretty}'
  | '{time}'
  | '{time_secs}';

/** Day and time: "today 5:12 AM", "Dec 2, 2026 05:12". The default. */
export const DATE_TIME = '{date_short_pretty} {time}';
/** Time of day only, for times within the hour or so of the message ("updated 5:12 AM"). */
export const TIME = '{time}';

/** A FORMAT: tokens, with spaces or words between them. */
export type SlackDateFormat = `${string}${SlackDateToken}${string}`;

/**
 * `2026-12-02 05:12 UTC` (`05:12:07` when `seconds`; without ` UTC` when `zone` is false, for a
 * table whose heading says UTC): the text for places where Slack renders no date token. An invalid
 * time gives `unknown time` rather than throwing in a renderer.
 */
export function utcText(ms: number, options: { seconds?: boolean; zone?: boolean } = {}): string {
  if (!Number.isFinite(ms)) return 'unknown time';
  const iso = new Date(ms).toISOString(); // 2026-12-02T05:12:07.123Z
  const text = `${iso.slice(0, 10)} ${iso.slice(11, options.seconds ? 19 : 16)}`;
  return options.zone === false ? text : `${text} UTC`;
}

/**
 * A date token for mrkdwn text. The time is rounded down to the second, as the fallback is, so the
 * two never name different minutes.
 */
export function slackDate(ms: number, format: SlackDateFormat = DATE_TIME): string {
  if (!Number.isFinite(ms)) return utcText(ms);
  const fallback = utcText(ms, { seconds: format.includes('{time_secs}') });
  return `<!date^${Math.floor(ms / 1000)}^${format}|${fallback}>`;
}

const TOKEN = /<!date\^-?\d+\^[^|>]*\|([^>]*)>/g;

/** Text with every date token replaced by its fallback: for `plain_text` and notification text. */
export function withoutDateTokens(text: string): string {
  return text.replace(TOKEN, '$1');
}
