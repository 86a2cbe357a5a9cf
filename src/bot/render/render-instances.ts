import type { KnownBlock } from '@slack/types';
import type { GanetiInstance } from '../../cluster/types.js';
import type { InstancesResult } from '../../commands/results.js';
import { context, header, preformatted, section, table } from './blocks.js';
import { gib, shortener } from './format.js';

export function instanceTable(instances: readonly GanetiInstance[]): string[] {
  const short = shortener(instances.flatMap((i) => [i.primaryNode, ...i.secondaryNodes]));
  const shortInst = shortener(instances.map((i) => i.name));
  return table(
    ['INSTANCE', 'STATUS', 'PRIMARY', 'SECONDARY', 'MEM', 'CPU'],
    instances.map((i) => [
      shortInst(i.name),
      i.status,
      short(i.primaryNode),
      i.secondaryNodes.map(short).join(',') || '-',
      gib(i.memoryMiB),
      i.vcpus === null ? '?' : String(i.vcpus),
    ]),
  );
}

function describeFilter(f: InstancesResult['filter']): string {
  const parts = [
    f.pattern ? `matching \`${f.pattern}\`` : null,
    f.node ? `on \`${f.node}\`` : null,
    f.state ? `in state \`${f.state}\`` : null,
  ].filter((p): p is string => p !== null);
  return parts.join(', ');
}

/**
 * Rows one answer shows. A whole table of a big cluster (10,000 rows: 126 blocks of ~3,000
 * characters, bench/scale.ts) is more than Slack shows in a message and more than anyone reads:
 * past this, the answer says how many more there are and how to narrow the list.
 */
export const MAX_INSTANCE_ROWS = 200;

export function renderInstances(result: InstancesResult): { text: string; blocks: KnownBlock[] } {
  const filterText = describeFilter(result.filter);
  const count = filterText ? `${result.instances.length} of ${result.total}` : String(result.total);
  const title = `Instances (${count})`;
  const blocks: KnownBlock[] = [header(title)];
  if (result.instances.length === 0) {
    blocks.push(section(filterText ? `No instance ${filterText}.` : 'The cluster has no instances.'));
  } else {
    const shown = result.instances.slice(0, MAX_INSTANCE_ROWS);
    blocks.push(...preformatted(instanceTable(shown)));
    const more = result.instances.length - shown.length;
    if (more > 0)
      blocks.push(
        section(
          `…and ${more} more. Narrow the list with a pattern (\`/ganeti instances web*\`), \`--node NODE\` or \`--state STATE\`.`,
        ),
      );
  }
  if (filterText) blocks.push(context(`Showing instances ${filterText}.`));
  return { text: `${title}${filterText ? ` ${filterText}` : ''}`, blocks };
}
