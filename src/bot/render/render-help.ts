import type { KnownBlock } from '@slack/types';
import type { HelpResult, ParamHelp } from '../../commands/results.js';
import { context, esc, header, linesWithin, section } from './blocks.js';

const RISK = {
  read: '',
  write: ' _(changes the cluster)_',
  destructive: ' _(shows the plan, runs once approved)_',
} as const;

function paramLine(p: ParamHelp): string {
  const forms = p.forms.map((f) => `\`${esc(f)}\``).join(', ');
  return `${forms} — ${esc(p.description)}`;
}

function clustersLine(clusters: NonNullable<HelpResult['clusters']>): string {
  const names = clusters.names.map((n) =>
    n === clusters.current ? `\`${esc(n)}\` (this channel's default)` : `\`${esc(n)}\``,
  );
  return `*Clusters*: ${names.join(', ')}. Add \`--cluster NAME\` to any command to use another.`;
}

export function renderHelp(result: HelpResult): { text: string; blocks: KnownBlock[] } {
  if (result.topic) {
    const c = result.commands[0];
    if (!c) return { text: 'No such command', blocks: [section('No such command.')] };
    const blocks: KnownBlock[] = [
      header(`/ganeti ${c.name}`),
      section(`\`/ganeti ${esc(c.usage)}\`\n${esc(c.summary)}${RISK[c.risk]}`),
    ];
    if (c.details) blocks.push(section(c.details));
    // The same texts as docs/commands.md (src/docs/render-commands-doc.ts), from the same entry.
    if (c.params.length > 0)
      blocks.push(section(linesWithin(['*Arguments and options*', ...c.params.map(paramLine)])));
    blocks.push(
      section(
        linesWithin(['*Examples*', ...c.examples.map((e) => `\`/ganeti ${esc(e.line)}\` — ${esc(e.what)}`)]),
      ),
    );
    if (c.aliases.length) blocks.push(context(`Also: ${c.aliases.map((a) => `\`${a}\``).join(', ')}`));
    return { text: `/ganeti ${c.usage}: ${c.summary}`, blocks };
  }
  const groups: Array<[string, HelpResult['commands']]> = [
    ['*Look*', result.commands.filter((c) => c.risk === 'read')],
    ['*Change* (runs at once)', result.commands.filter((c) => c.risk === 'write')],
    // `destructive` is the risk that asks for approval; creating an instance is one of them.
    [
      '*Needs approval* (shows the plan, runs once approved)',
      result.commands.filter((c) => c.risk === 'destructive'),
    ],
  ];
  const blocks: KnownBlock[] = [header('/ganeti commands')];
  for (const [title, commands] of groups) {
    if (commands.length === 0) continue;
    blocks.push(
      section(linesWithin([title, ...commands.map((c) => `\`${esc(c.usage)}\` — ${esc(c.summary)}`)])),
    );
  }
  if (result.clusters) blocks.push(section(clustersLine(result.clusters)));
  blocks.push(
    context(
      '`/ganeti help COMMAND` explains one. Instance and node names may be short (`inst1`) when unambiguous.',
    ),
  );
  return { text: `/ganeti commands: ${result.commands.map((c) => c.name).join(', ')}`, blocks };
}
