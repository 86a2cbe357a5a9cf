/** Minimal Block Kit types: only what we send. */
export interface TextObject {
  type: 'mrkdwn' | 'plain_text';
  text: string;
  emoji?: boolean;
}
export type Block =
  | { type: 'section'; text?: TextObject; fields?: TextObject[]; block_id?: string }
  | { type: 'header'; text: TextObject }
  | { type: 'context'; elements: TextObject[] }
  | { type: 'divider' }
  | { type: 'actions'; block_id?: string; elements: ButtonElement[] };

/** A button, optionally behind Slack's own confirm dialog. */
export interface ButtonElement {
  type: 'button';
  action_id: string;
  text: TextObject;
  value: string;
  style?: 'primary' | 'danger';
  confirm?: {
    title: TextObject;
    text: TextObject;
    confirm: TextObject;
    deny: TextObject;
    style?: 'primary' | 'danger';
  };
}

const plain = (text: string, max: number): TextObject => ({
  type: 'plain_text',
  text: clip(text, max),
  emoji: true,
});

/** A button within Slack's limits (text 75, value 2000; confirm title 100, text 300). */
export function button(
  actionId: string,
  text: string,
  value: string,
  options: {
    style?: 'primary' | 'danger';
    confirm?: { title: string; text: string; yes: string; no: string };
  } = {},
): ButtonElement {
  return {
    type: 'button',
    action_id: actionId,
    text: plain(text, 75),
    value: clip(value, 2000),
    ...(options.style ? { style: options.style } : {}),
    ...(options.confirm
      ? {
          confirm: {
            title: plain(options.confirm.title, 100),
            text: { type: 'mrkdwn', text: clip(options.confirm.text, 300) },
            confirm: plain(options.confirm.yes, 30),
            deny: plain(options.confirm.no, 30),
            ...(options.style === 'danger' ? { style: 'danger' as const } : {}),
          },
        }
      : {}),
  };
}

/** A message: `text` is the fallback Slack shows in notifications, always set. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** Slack's Block Kit limits (the fake Slack checks them too: test/fakes/block-kit-limits.ts); the renderer stays inside them. */
export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  header: 150,
  fields: 10,
  fieldText: 2000,
  context: 10,
  fallbackText: 4000,
};

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export const mrkdwn = (text: string): TextObject => ({
  type: 'mrkdwn',
  text: clip(text, LIMITS.sectionText),
});

export const section = (text: string): Block => ({ type: 'section', text: mrkdwn(text) });

export const header = (text: string): Block => ({
  type: 'header',
  text: { type: 'plain_text', text: clip(text, LIMITS.header), emoji: true },
});

export const context = (...texts: string[]): Block => ({
  type: 'context',
  elements: texts.slice(0, LIMITS.context).map((t) => ({ type: 'mrkdwn', text: clip(t, LIMITS.fieldText) })),
});

export const fields = (pairs: Array<[string, string]>): Block => ({
  type: 'section',
  fields: pairs
    .slice(0, LIMITS.fields)
    .map(([k, v]) => ({ type: 'mrkdwn', text: clip(`*${k}*\n${v}`, LIMITS.fieldText) })),
});

/**
 * A preformatted (monospace) text split into as many sections as needed, each within
 * Slack's 3000 characters, cutting only at line ends.
 */
export function preformatted(lines: readonly string[]): Block[] {
  const budget = LIMITS.sectionText - 8; // the ``` fences and newlines
  const chunks: string[][] = [[]];
  let size = 0;
  for (const raw of lines) {
    const line = clip(esc(raw), budget);
    const current = chunks[chunks.length - 1] ?? [];
    if (size + line.length + 1 > budget && current.length > 0) {
      chunks.push([line]);
      size = line.length + 1;
    } else {
      current.push(line);
      size += line.length + 1;
    }
  }
  return chunks.filter((c) => c.length > 0).map((c) => section('```\n' + c.join('\n') + '\n```'));
}

/**
 * As many whole lines as fit in one section (with room for the "…and N more" line), and that
 * line when some were left out.
 */
export function linesWithin(lines: readonly string[], budget: number = LIMITS.sectionText): string {
  const kept: string[] = [];
  let size = 0;
  for (const line of lines) {
    if (size + line.length + 1 > budget - 40) break;
    kept.push(line);
    size += line.length + 1;
  }
  const more = lines.length - kept.length;
  return kept.join('\n') + (more > 0 ? `\n…and ${more} more` : '');
}

/** Pads columns to equal width for a monospace table. */
export function table(headerRow: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  const widths = headerRow.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: readonly string[]) =>
    r
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [fmt(headerRow), ...rows.map(fmt)];
}

/**
 * Keeps a message within 50 blocks: extra blocks before the last are replaced by one line saying
 * how many were left out. Every renderer's output passes through here.
 */
export function fitMessage(text: string, blocks: Block[], omittedNote: (n: number) => string): SlackMessage {
  const fallback = clip(text, LIMITS.fallbackText);
  if (blocks.length <= LIMITS.blocks) return { text: fallback, blocks };
  // The last block (who asked, for a request) stays: the cut comes before it.
  const last = blocks[blocks.length - 1] as Block;
  const kept = blocks.slice(0, LIMITS.blocks - 2);
  return { text: fallback, blocks: [...kept, context(omittedNote(blocks.length - kept.length - 1)), last] };
}
