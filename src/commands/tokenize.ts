import { UserError } from '../core/errors.js';

/** Longest command line we accept; Slack allows far more, nobody types it. */
export const MAX_COMMAND_LENGTH = 1000;

const SMART_QUOTES: Record<string, string> = { '\u201c': '"', '\u201d': '"', '\u2018': "'", '\u2019': "'" };

/**
 * Undoes what Slack does to slash-command text: HTML-escapes `&`, `<`, `>`, wraps links
 * (`<http://inst1.example.org|inst1.example.org>`) and mentions (`<@U123|alice>`).
 * Links become their label; mentions become the bare id, so `--user @alice` works.
 */
export function unescapeSlackText(text: string): string {
  return text
    .replace(/<(@[UW][A-Z0-9]+)(?:\|[^>]*)?>/g, '$1')
    .replace(/<#([CG][A-Z0-9]+)(?:\|[^>]*)?>/g, '#$1')
    .replace(/<(?:https?|mailto):[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<(?:https?:\/\/|mailto:)([^|>]*)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * Splits `/ganeti VERB ARGS --flags` into tokens, honouring "double" and 'single' quotes
 * (including the curly quotes Slack clients like to insert). No token ever reaches a shell:
 * this only decides where arguments start and end.
 */
export function tokenize(raw: string): string[] {
  if (raw.length > MAX_COMMAND_LENGTH) {
    throw new UserError(
      'too_long',
      `That command is ${raw.length} characters long; the limit is ${MAX_COMMAND_LENGTH}.`,
      { hint: 'Type `/ganeti help` to see what the commands look like.' },
    );
  }
  const text = unescapeSlackText(raw).replace(/[\u201c\u201d\u2018\u2019]/g, (q) => SMART_QUOTES[q] ?? q);
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let quote: '"' | "'" | null = null;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inToken = true;
    } else if (/\s/.test(ch)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
    } else {
      current += ch;
      inToken = true;
    }
  }
  if (quote) {
    throw new UserError('unterminated_quote', `A ${quote} quote is opened but never closed.`, {
      hint: 'Close the quote, or leave quotes out: names never need them.',
    });
  }
  if (inToken) tokens.push(current);
  return tokens;
}
