import type { HelpResult } from '../../commands/results.js';
import { type Block, context, esc, header, linesWithin, section } from './blocks.js';

const RISK = {
  read: '',
  write: ' _(changes the cluster)_',
  destructive: ' _(shows the plan, runs after confirmation)_',
} as const;

export function renderHelp(result: HelpResult): { text: string; blocks: Block[] } {
  if (result.topic) {
    const c = result.commands[0];
    if (!c) return { text: 'No such command', blocks: [section('No such command.')] };
    const blocks: Block[] = [
      header(`/ganeti ${c.name}`),
      section(`\`/ganeti ${esc(c.usage)}\`\n${esc(c.summary)}${RISK[c.risk]}`),
    ];
    if (c.details) blocks.push(section(c.details));
    if (c.aliases.length) blocks.push(context(`Also: ${c.aliases.map((a) => `\`${a}\``).join(', ')}`));
    return { text: `/ganeti ${c.usage}: ${c.summary}`, blocks };
  }
  const groups: Array<[string, HelpResult['commands']]> = [
    ['*Look*', result.commands.filter((c) => c.risk === 'read')],
    ['*Change* (runs at once)', result.commands.filter((c) => c.risk === 'write')],
    [
      '*Destructive* (shows the plan, runs after confirmation)',
      result.commands.filter((c) => c.risk === 'destructive'),
    ],
  ];
  const blocks: Block[] = [header('/ganeti commands')];
  for (const [title, commands] of groups) {
    if (commands.length === 0) continue;
    blocks.push(
      section(linesWithin([title, ...commands.map((c) => `\`${esc(c.usage)}\` — ${esc(c.summary)}`)])),
    );
  }
  blocks.push(
    context(
      '`/ganeti help COMMAND` explains one. Instance and node names may be short (`inst1`) when unambiguous.',
    ),
  );
  return { text: `/ganeti commands: ${result.commands.map((c) => c.name).join(', ')}`, blocks };
}
