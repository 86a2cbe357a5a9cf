import type { KnownBlock } from '@slack/types';
import type { StatusResult } from '../../commands/results.js';
import { stateMatches } from '../../commands/instance-filter.js';
import { fields, header, linesWithin, section } from './blocks.js';
import { plural } from './format.js';
import { nodeProblems, nodeState } from './render-nodes.js';

export function renderStatus(result: StatusResult): { text: string; blocks: KnownBlock[] } {
  const { nodes, instances } = result;
  const count = (state: string) => nodes.filter((n) => nodeState(n) === state).length;
  const running = instances.filter((i) => stateMatches(i.status, 'running')).length;
  const stopped = instances.filter((i) => stateMatches(i.status, 'stopped')).length;
  const errored = instances.filter((i) => stateMatches(i.status, 'error'));
  const nodeLine = [
    `${count('ok')} up`,
    count('UNREACHABLE') ? `*${count('UNREACHABLE')} unreachable*` : null,
    count('OFFLINE') ? `${count('OFFLINE')} offline` : null,
    count('drained') ? `${count('drained')} drained` : null,
  ]
    .filter(Boolean)
    .join(', ');
  const instLine = [
    `${running} running`,
    `${stopped} stopped`,
    errored.length ? `*${errored.length} in error*` : null,
  ]
    .filter(Boolean)
    .join(', ');
  const healthy =
    nodes.every((n) => nodeState(n) === 'ok' || nodeState(n) === 'drained') && errored.length === 0;
  const blocks: KnownBlock[] = [
    header(`${healthy ? '✅' : '⚠️'} Cluster status`),
    fields([
      ['Master', `\`${result.master}\``],
      [plural(nodes.length, 'node'), nodeLine],
      [plural(instances.length, 'instance'), instLine],
    ]),
  ];
  const problems = [
    ...nodeProblems(nodes),
    ...errored.map((i) => `:red_circle: \`${i.name}\` is \`${i.status}\` (primary \`${i.primaryNode}\`)`),
  ];
  if (problems.length > 0) blocks.push(section(linesWithin(problems)));
  if (result.hostKeysChecked === false)
    blocks.push(
      section(
        '⚠️ *SSH host keys are not checked* (`GANETI_SSH_INSECURE_SKIP_HOST_KEY_CHECK=true`): anyone who can intercept the connection to the master can run commands as the bot. Set `GANETI_SSH_KNOWN_HOSTS` instead.',
      ),
    );
  const text = `Cluster: master ${result.master}; nodes ${nodeLine.replace(/\*/g, '')}; instances ${instLine.replace(/\*/g, '')}`;
  return { text, blocks };
}
