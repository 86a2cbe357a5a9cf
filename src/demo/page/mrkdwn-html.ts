/**
 * Slack's mrkdwn as HTML, for the demo page. Everything is escaped first; only the markup made
 * here is HTML. What Slack documents: *bold*, _italic_, ~strike~, `code`, ```pre```, > quotes,
 * <url|label> links, <@U…> and <#C…> mentions, <!here>, <!date^…|fallback> tokens, :emoji:.
 */

/** Names for the ids in mentions. */
export interface NameLookup {
  user(id: string): string;
  channel(id: string): string;
}

const EMOJI: Record<string, string> = {
  warning: '⚠️',
  white_check_mark: '✅',
  red_circle: '🔴',
  large_yellow_circle: '🟡',
  large_green_circle: '🟢',
  black_circle: '⚫',
  x: '❌',
  information_source: 'ℹ️',
  rotating_light: '🚨',
  no_entry_sign: '🚫',
  hourglass_flowing_sand: '⏳',
  lock: '🔒',
};

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Slack's mrkdwn arrives with `&`, `<` and `>` of the text written as entities (the bot's
 * renderers escape them so): back to characters first, so that they are escaped once, not twice.
 */
const decodeEntities = (text: string): string =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

export const emojify = (escaped: string): string =>
  escaped.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => EMOJI[name] ?? whole);

/** A plain_text object's text: escaped, emoji shortcodes as the characters. */
export const plainTextHtml = (text: string): string => emojify(escapeHtml(text));

/** One `<…>` token of mrkdwn (its inside, unescaped), as HTML. */
function token(inside: string, names: NameLookup): string {
  const [target = '', label] = inside.split('|', 2) as [string, string | undefined];
  if (target.startsWith('@'))
    return `<span class="mention">@${escapeHtml(names.user(target.slice(1)))}</span>`;
  if (target.startsWith('#'))
    return `<span class="mention">#${escapeHtml(label ?? names.channel(target.slice(1)))}</span>`;
  if (target.startsWith('!date^')) {
    const seconds = Number(target.split('^')[1]);
    const iso = Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : '';
    return `<time datetime="${iso}">${escapeHtml(label ?? iso)}</time>`;
  }
  if (target.startsWith('!'))
    return `<span class="mention">@${escapeHtml(target.slice(1).split('^')[0] ?? '')}</span>`;
  if (/^(https?:|mailto:)/i.test(target)) {
    return `<a href="${escapeHtml(target)}" rel="noopener" target="_blank">${escapeHtml(label ?? target)}</a>`;
  }
  return escapeHtml(label ?? target);
}

/** Inline formatting of a stretch of text without code spans (already escaped, tokens placed). */
function inline(text: string): string {
  return text
    .replace(/(^|[\s(])\*(\S(?:[^*\n]*\S)?)\*(?=$|[\s).,:;!?])/g, '$1<b>$2</b>')
    .replace(/(^|[\s(])_(\S(?:[^_\n]*\S)?)_(?=$|[\s).,:;!?])/g, '$1<i>$2</i>')
    .replace(/(^|[\s(])~(\S(?:[^~\n]*\S)?)~(?=$|[\s).,:;!?])/g, '$1<s>$2</s>');
}

/** A line's worth of mrkdwn (no ``` blocks): `code` and <tokens> kept aside, then formatting. */
function spans(text: string, names: NameLookup): string {
  const kept: string[] = [];
  const keep = (html: string) => `\uE000${kept.push(html) - 1}\uE001`;
  const marked = text
    .replace(/`([^`\n]+)`/g, (_, code: string) => keep(`<code>${escapeHtml(decodeEntities(code))}</code>`))
    .replace(/<([^<>\n]+)>/g, (_, inside: string) => keep(token(decodeEntities(inside), names)));
  return emojify(inline(escapeHtml(decodeEntities(marked)))).replace(
    /\uE000(\d+)\uE001/g,
    (_, i: string) => kept[Number(i)] ?? '',
  );
}

/** Text outside ``` blocks: quotes and line breaks. */
function lines(text: string, names: NameLookup): string {
  const rendered: string[] = [];
  let quote: string[] = [];
  const flush = () => {
    if (quote.length > 0) rendered.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
    quote = [];
  };
  for (const line of text.split('\n')) {
    const quoted = /^> ?(.*)$/.exec(line);
    if (quoted) quote.push(spans(quoted[1] ?? '', names));
    else {
      flush();
      rendered.push(spans(line, names));
    }
  }
  flush();
  return rendered
    .join('<br>')
    .replace(/<br><blockquote>/g, '<blockquote>')
    .replace(/<\/blockquote><br>/g, '</blockquote>');
}

/** Slack mrkdwn as HTML. */
export function mrkdwnHtml(text: string, names: NameLookup): string {
  const parts = text.split(/```/);
  return parts
    .map((part, index) =>
      index % 2 === 1 && index < parts.length - 1
        ? `<pre>${escapeHtml(decodeEntities(part.replace(/^\n/, '')))}</pre>`
        : lines(index % 2 === 1 ? '```' + part : part, names),
    )
    .join('');
}
