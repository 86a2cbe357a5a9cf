/** One message of the demo page's channel view as HTML (src/demo/page-view.ts builds them). */
import { blocksHtml } from './block-kit-html.js';
import { escapeHtml, mrkdwnHtml, type NameLookup } from './mrkdwn-html.js';

export interface PageMessage {
  ts: string;
  /** Who posted it: "ganeti" for the bot, else the person's name. */
  author: string;
  isBot: boolean;
  text?: string;
  blocks?: unknown;
  /** Legacy attachments: their blocks or text, behind a coloured bar. */
  attachments?: unknown;
  edited: boolean;
  /** Only the viewer sees it. */
  ephemeral: boolean;
  /** When it was posted (ms). */
  postedAt?: number;
  /** Thread replies, oldest first. */
  replies: PageMessage[];
}

const hasBlocks = (blocks: unknown): boolean => Array.isArray(blocks) && blocks.length > 0;

function attachmentsHtml(attachments: unknown, names: NameLookup): string {
  if (!Array.isArray(attachments)) return '';
  return attachments
    .map((a: unknown) => {
      if (typeof a !== 'object' || a === null) return '';
      const { color, blocks, text } = a as { color?: unknown; blocks?: unknown; text?: unknown };
      const bar =
        typeof color === 'string' && /^#?[0-9a-f]{3,8}$/i.test(color) ? color.replace(/^#?/, '#') : '#ddd';
      const body = hasBlocks(blocks)
        ? blocksHtml(blocks, names)
        : mrkdwnHtml(typeof text === 'string' ? text : '', names);
      return `<div class="attachment" style="border-left-color:${bar}">${body}</div>`;
    })
    .join('');
}

function timeHtml(ms: number | undefined): string {
  if (ms === undefined) return '';
  const iso = new Date(ms).toISOString();
  return ` <time datetime="${iso}">${iso.slice(11, 16)} UTC</time>`;
}

export function messageHtml(m: PageMessage, names: NameLookup): string {
  const meta =
    `<header><span class="author${m.isBot ? ' bot' : ''}">${escapeHtml(m.author)}</span>` +
    `${m.isBot ? ' <span class="app-badge">APP</span>' : ''}${timeHtml(m.postedAt)}` +
    `${m.edited ? ' <span class="edited">(edited)</span>' : ''}` +
    `${m.ephemeral ? ' <span class="only-you">Only visible to you</span>' : ''}</header>`;
  const body = hasBlocks(m.blocks)
    ? blocksHtml(m.blocks, names)
    : `<div class="bk-text">${mrkdwnHtml(m.text ?? '', names)}</div>`;
  const thread =
    m.replies.length === 0
      ? ''
      : `<details class="thread" open><summary>${m.replies.length} ${m.replies.length === 1 ? 'reply' : 'replies'}</summary>` +
        `${m.replies.map((r) => messageHtml(r, names)).join('\n')}</details>`;
  return (
    `<article class="message" data-ts="${escapeHtml(m.ts)}" data-ephemeral="${String(m.ephemeral)}">` +
    `${meta}${body}${attachmentsHtml(m.attachments, names)}${thread}</article>`
  );
}
