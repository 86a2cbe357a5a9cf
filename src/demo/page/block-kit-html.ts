/**
 * Block Kit as HTML for the demo page: the blocks the bot sends (section, fields, header,
 * divider, context, actions, image, rich_text), read defensively (the fake Slack stores whatever
 * arrived). Buttons carry what a click needs in data- attributes; page.js posts them back.
 */
import { escapeHtml, mrkdwnHtml, plainTextHtml, type NameLookup } from './mrkdwn-html.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A text object (`mrkdwn` or `plain_text`). */
export function textHtml(text: unknown, names: NameLookup): string {
  if (!isObj(text)) return '';
  return text.type === 'mrkdwn' ? mrkdwnHtml(str(text.text), names) : plainTextHtml(str(text.text));
}

function buttonHtml(el: Obj, blockId: string): string {
  const label = plainTextHtml(str(isObj(el.text) ? el.text.text : ''));
  if (typeof el.url === 'string' && /^https?:/i.test(el.url)) {
    return `<a class="bk-button bk-link" href="${escapeHtml(el.url)}" rel="noopener" target="_blank">${label}</a>`;
  }
  const style = el.style === 'primary' ? ' bk-primary' : el.style === 'danger' ? ' bk-danger' : '';
  const data: Array<[string, string]> = [['action-id', str(el.action_id)]];
  if (blockId !== '') data.push(['block-id', blockId]);
  if (typeof el.value === 'string') data.push(['value', el.value]);
  if (isObj(el.confirm)) data.push(['confirm', JSON.stringify(el.confirm)]);
  const attrs = data.map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`).join('');
  return `<button type="button" class="bk-button${style}"${attrs}>${label}</button>`;
}

function imageHtml(el: Obj): string {
  const url = str(el.image_url);
  if (!/^https?:/i.test(url)) return '';
  return `<img class="bk-image" src="${escapeHtml(url)}" alt="${escapeHtml(str(el.alt_text))}">`;
}

function elementHtml(el: unknown, names: NameLookup, blockId: string): string {
  if (!isObj(el)) return '';
  if (el.type === 'button') return buttonHtml(el, blockId);
  if (el.type === 'image') return imageHtml(el);
  if (el.type === 'mrkdwn' || el.type === 'plain_text') return `<span>${textHtml(el, names)}</span>`;
  return `<span class="bk-unsupported">[unsupported element: ${escapeHtml(str(el.type))}]</span>`;
}

/** rich_text: its text runs, as plain text in paragraphs (the bot does not send it). */
function richTextHtml(block: Obj): string {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (!isObj(node)) return;
    if (typeof node.text === 'string') texts.push(node.text);
    for (const child of list(node.elements)) walk(child);
  };
  walk(block);
  return `<p class="bk-rich-text">${escapeHtml(texts.join('')).replace(/\n/g, '<br>')}</p>`;
}

function blockHtml(block: unknown, names: NameLookup): string {
  if (!isObj(block)) return '';
  const blockId = str(block.block_id);
  const idAttr = blockId === '' ? '' : ` data-block-id="${escapeHtml(blockId)}"`;
  switch (block.type) {
    case 'header':
      return `<h3 class="bk-header">${textHtml(block.text, names)}</h3>`;
    case 'divider':
      return '<hr class="bk-divider">';
    case 'section': {
      const text =
        block.text === undefined ? '' : `<div class="bk-text">${textHtml(block.text, names)}</div>`;
      const fields = list(block.fields);
      const grid =
        fields.length === 0
          ? ''
          : `<div class="bk-fields">${fields.map((f) => `<div>${textHtml(f, names)}</div>`).join('')}</div>`;
      const accessory = block.accessory === undefined ? '' : elementHtml(block.accessory, names, blockId);
      return `<section class="bk-section"${idAttr}><div class="bk-body">${text}${grid}</div>${accessory}</section>`;
    }
    case 'context':
      return `<div class="bk-context">${list(block.elements)
        .map((el) => elementHtml(el, names, blockId))
        .join(' ')}</div>`;
    case 'actions':
      return `<div class="bk-actions"${idAttr}>${list(block.elements)
        .map((el) => elementHtml(el, names, blockId))
        .join('')}</div>`;
    case 'image':
      return imageHtml(block);
    case 'rich_text':
      return richTextHtml(block);
    default:
      return `<div class="bk-unsupported">[unsupported block: ${escapeHtml(str(block.type))}]</div>`;
  }
}

/** The blocks of a message, in order. */
export function blocksHtml(blocks: unknown, names: NameLookup): string {
  return list(blocks)
    .map((b) => blockHtml(b, names))
    .join('\n');
}
