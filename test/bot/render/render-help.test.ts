import { describe, expect, it } from 'vitest';
import { renderResult } from '../../../src/bot/render/render-result.js';
import { allCommands } from '../../../src/commands/all-commands.js';
import { createRegistry } from '../../../src/commands/registry.js';
import { checkBlocks, MESSAGE_MAX_BLOCKS } from '../../../src/demo/slack/block-kit-limits.js';

const registry = createRegistry(allCommands);
const meta = { userId: 'U0ALICE', text: 'help evacuate' };

function helpFor(name: string) {
  const entry = registry.help.find((h) => h.name === name);
  if (!entry) throw new Error(`no help entry for ${name}`);
  const message = renderResult({ kind: 'help', commands: [entry], topic: entry.name }, meta);
  expect(checkBlocks(message.blocks, MESSAGE_MAX_BLOCKS)).toEqual([]);
  return { entry, message, text: JSON.stringify(message.blocks) };
}

describe('/ganeti help COMMAND', () => {
  it('shows the arguments, options and examples of evacuate', async () => {
    await expect(JSON.stringify(helpFor('evacuate').message, null, 2)).toMatchFileSnapshot(
      './golden/help.evacuate.json',
    );
  });

  it.each(allCommands.map((c) => c.name))(
    'shows %s with the same texts as docs/commands.md, within Slack’s limits',
    (name) => {
      const { entry, text } = helpFor(name);
      // docs/commands.md is rendered from these same entries (src/docs/render-commands-doc.ts).
      for (const piece of [
        entry.details,
        ...entry.params.map((p) => p.description),
        ...entry.examples.map((e) => e.what),
      ])
        expect(text).toContain(JSON.stringify(piece).slice(1, -1));
    },
  );
});

describe('/ganeti help', () => {
  const all = { kind: 'help' as const, commands: [...registry.help], topic: null };

  it('names the clusters and the channel’s default when the bot serves several', () => {
    const text = JSON.stringify(
      renderResult({ ...all, clusters: { names: ['main', 'proj'], current: 'proj' } }, meta),
    );
    expect(text).toContain("*Clusters*: `main`, `proj` (this channel's default). Add `--cluster NAME`");
  });

  it('says nothing of clusters when it serves one', () => {
    expect(JSON.stringify(renderResult(all, meta))).not.toContain('Clusters');
  });

  it('lists the commands that wait for approval under their own heading, create among them', () => {
    const text = JSON.stringify(renderResult(all, meta));
    expect(text).toMatch(/Needs approval\* \(shows the plan, runs once approved\)[^"]*`create \[NAME\]/);
  });
});
