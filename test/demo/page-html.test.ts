import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { blocksHtml } from '../../src/demo/page/block-kit-html.js';
import { messageHtml, type PageMessage } from '../../src/demo/page/message-html.js';
import { mrkdwnHtml } from '../../src/demo/page/mrkdwn-html.js';

/** What the bot renders, from real Ganeti output (the renderers' golden files, test/bot/render). */
const golden = (name: string) =>
  JSON.parse(readFileSync(new URL(`../bot/render/golden/${name}.json`, import.meta.url), 'utf8')) as {
    blocks: unknown[];
  };

const names = {
  user: (id: string) => (id === 'U0ALICE' ? 'alice' : id),
  channel: (id: string) => `chan-${id}`,
};
const md = (text: string) => mrkdwnHtml(text, names);

describe('mrkdwn on the demo page', () => {
  it('formats bold, italic, strike, code and code blocks as Slack does', () => {
    expect(md('*bold* _it_ ~gone~ `a*b*`')).toBe('<b>bold</b> <i>it</i> <s>gone</s> <code>a*b*</code>');
    expect(md('before\n```\nNODE  *ROLE*\n<x>\n```')).toBe('before<br><pre>NODE  *ROLE*\n&lt;x&gt;\n</pre>');
  });

  it('turns mentions, links and date tokens into names, anchors and times', () => {
    expect(md('<@U0ALICE> in <#C0OPS>')).toBe(
      '<span class="mention">@alice</span> in <span class="mention">#chan-C0OPS</span>',
    );
    expect(md('<https://example.org/a_b_c|the docs>')).toBe(
      '<a href="https://example.org/a_b_c" rel="noopener" target="_blank">the docs</a>',
    );
    expect(md('<!date^1700000000^{date_short_pretty} {time}|2023-11-14 22:13 UTC>')).toBe(
      '<time datetime="2023-11-14T22:13:20.000Z">2023-11-14 22:13 UTC</time>',
    );
    expect(md(':white_check_mark: done :not_an_emoji:')).toBe('✅ done :not_an_emoji:');
  });

  it('never lets text become markup: tags are escaped, script links stay text', () => {
    expect(md('<script>alert(1)</script>')).not.toContain('<script');
    expect(md('<javascript:alert(1)|click>')).toBe('click');
    expect(md('"quoted" & \'single\'')).toBe('&quot;quoted&quot; &amp; &#39;single&#39;');
    expect(md('<https://x.org/"onmouseover="alert(1)|x>')).toContain(
      'href="https://x.org/&quot;onmouseover=&quot;alert(1)"',
    );
  });

  it('shows text the bot escaped (&amp; &lt; &gt;) as the characters, escaped once', () => {
    expect(md('a &lt;b&gt; &amp; `x &lt; y`')).toBe('a &lt;b&gt; &amp; <code>x &lt; y</code>');
    expect(md('```\nif a &lt; b\n```')).toBe('<pre>if a &lt; b\n</pre>');
  });

  it('shows > lines as a quote', () => {
    expect(md('> quoted\nplain')).toBe('<blockquote>quoted</blockquote>plain');
  });
});

describe('Block Kit on the demo page', () => {
  it('renders the bot’s approval card with its buttons, their values and the confirm dialog', () => {
    const card = golden('operation.pending');
    const html = blocksHtml(card.blocks, names);
    const approve = /<button[^>]*data-action-id="op_approve"[^>]*>/.exec(html)?.[0] ?? '';
    expect(approve).toMatch(/data-value="req-[^"]+"/);
    const confirm = /data-action-id="op_deny"[^>]*data-confirm="([^"]+)"/.exec(html)?.[1] ?? '';
    const decoded = confirm
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
    expect(JSON.parse(decoded)).toMatchObject({ title: { text: 'Deny this request?' } });
  });

  it('renders the node table of a cluster with an unreachable node: header, code block, context', () => {
    const html = blocksHtml(golden('nodes.node3-unreachable').blocks, names);
    expect(html).toMatch(/<h3 class="bk-header">[^<]*Nodes/);
    expect(html).toMatch(/<pre>[^<]*node3/);
    expect(html).toContain('<div class="bk-context">');
  });

  it('says which blocks it cannot show instead of dropping them', () => {
    expect(blocksHtml([{ type: 'video' }, { type: 'divider' }, 'junk'], names)).toBe(
      '<div class="bk-unsupported">[unsupported block: video]</div>\n<hr class="bk-divider">\n',
    );
  });
});

describe('a message on the demo page', () => {
  const base: PageMessage = {
    ts: '1700000000.000100',
    author: 'ganeti',
    isBot: true,
    text: 'fallback',
    edited: false,
    ephemeral: false,
    replies: [],
  };

  it('marks edited and ephemeral messages, and nests thread replies', () => {
    const html = messageHtml(
      {
        ...base,
        edited: true,
        ephemeral: true,
        replies: [{ ...base, ts: '1700000000.000200', text: 'reply' }],
      },
      names,
    );
    expect(html).toMatch(/^<article class="message" data-ts="1700000000.000100" data-ephemeral="true">/);
    expect(html).toContain('(edited)');
    expect(html).toContain('Only visible to you');
    expect(html).toMatch(
      /<details class="thread" open><summary>1 reply<\/summary><article class="message" data-ts="1700000000.000200"/,
    );
  });

  it('shows the text when there are no blocks, and attachments behind their colour', () => {
    const html = messageHtml({ ...base, attachments: [{ color: 'danger"x', text: '*late*' }] }, names);
    expect(html).toContain('<div class="bk-text">fallback</div>');
    expect(html).toContain('<div class="attachment" style="border-left-color:#ddd"><b>late</b></div>');
  });
});
