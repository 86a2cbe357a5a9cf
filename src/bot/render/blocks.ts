import type {
  ActionsBlock,
  Button,
  ConfirmationDialog,
  ContextBlock,
  HeaderBlock,
  KnownBlock,
  MrkdwnElement,
  PlainTextElement,
  SectionBlock,
} from '@slack/types';
import { withoutDateTokens } from '../../core/slack-date.js';

/** Slack renders no date token in `plain_text`: each becomes its UTC fallback (./slack-date.ts). */
const plain = (text: string, max: number): PlainTextElement => ({
  type: 'plain_text',
  text: clip(withoutDateTokens(text), max),
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
): Button {
  return {
    type: 'button',
    action_id: actionId,
    text: plain(text, 75),
    value: clip(value, 2000),
    ...(options.style ? { style: options.style } : {}),
    ...(options.confirm ? { confirm: confirmDialog(options.confirm, options.style) } : {}),
  };
}

function confirmDialog(
  c: { title: string; text: string; yes: string; no: string },
  style: 'primary' | 'danger' | undefined,
): ConfirmationDialog {
  return {
    title: plain(c.title, 100),
    // The dialog shows date tokens as they are, like plain_text.
    text: { type: 'mrkdwn', text: clip(withoutDateTokens(c.text), 300) },
    confirm: plain(c.yes, 30),
    deny: plain(c.no, 30),
    ...(style === 'danger' ? { style: 'danger' as const } : {}),
  };
}

/** A message: `text` is the fallback Slack shows in notifications, always set. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Slack's Block Kit limits (the fake Slack checks them too: src/demo/slack/block-kit-limits.ts); the renderer stays inside them. */
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

/**
 * At most `max` characters, with `…` where it was cut. Never cuts inside `<…>` (a mention, a link,
 * a date token): half of one would show as raw markup, so the cut moves to before its `<`.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const kept = text.slice(0, max - 1);
  const open = kept.lastIndexOf('<');
  return `${open > kept.lastIndexOf('>') ? kept.slice(0, open) : kept}…`;
}

export const mrkdwn = (text: string): MrkdwnElement => ({
  type: 'mrkdwn',
  text: clip(text, LIMITS.sectionText),
});

export const section = (text: string): SectionBlock => ({ type: 'section', text: mrkdwn(text) });

export const header = (text: string): HeaderBlock => ({
  type: 'header',
  text: plain(text, LIMITS.header),
});

export const context = (...texts: string[]): ContextBlock => ({
  type: 'context',
  elements: texts.slice(0, LIMITS.context).map((t) => ({ type: 'mrkdwn', text: clip(t, LIMITS.fieldText) })),
});

export const fields = (pairs: Array<[string, string]>): SectionBlock => ({
  type: 'section',
  fields: pairs
    .slice(0, LIMITS.fields)
    .map(([k, v]) => ({ type: 'mrkdwn', text: clip(`*${k}*\n${v}`, LIMITS.fieldText) })),
});

/** A row of buttons; `blockId` names the row for the click handler. */
export const actions = (blockId: string, elements: Button[]): ActionsBlock => ({
  type: 'actions',
  block_id: blockId,
  elements,
});

/**
 * A preformatted (monospace) text split into as many sections as needed, each within
 * Slack's 3000 characters, cutting only at line ends.
 */
export function preformatted(lines: readonly string[]): SectionBlock[] {
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
export function fitMessage(
  text: string,
  blocks: KnownBlock[],
  omittedNote: (n: number) => string,
): SlackMessage {
  // Notifications show the fallback text as it is: no date tokens there.
  const fallback = clip(withoutDateTokens(text), LIMITS.fallbackText);
  if (blocks.length <= LIMITS.blocks) return { text: fallback, blocks };
  // The last block (who asked, for a request) stays: the cut comes before it.
  const kept = blocks.slice(0, LIMITS.blocks - 2);
  return {
    text: fallback,
    blocks: [...kept, context(omittedNote(blocks.length - kept.length - 1)), ...blocks.slice(-1)],
  };
}
