import type { KnownBlock } from '@slack/types';
import type { InstanceInfoResult } from '../../commands/results.js';
import { context, esc, fields, header, section } from './blocks.js';
import { gib } from './format.js';

export function renderInstanceInfo(result: InstanceInfoResult): { text: string; blocks: KnownBlock[] } {
  const i = result.info;
  const state = i.state ? `configured ${i.state.configured}, actually ${i.state.actual}` : '?';
  const blocks: KnownBlock[] = [
    header(i.name),
    fields([
      ['State', esc(state)],
      ['Primary node', i.primaryNode ? `\`${i.primaryNode}\`` : '?'],
      [
        'Secondary nodes',
        i.secondaryNodes.length ? i.secondaryNodes.map((n) => `\`${n}\``).join(', ') : 'none',
      ],
      ['OS', esc(i.os ?? '?')],
      ['Hypervisor', esc(i.hypervisor ?? '?')],
      ['Disk template', esc(i.diskTemplate ?? '?')],
      ['Memory', gib(i.memoryMiB)],
      ['vCPUs', i.vcpus === null ? '?' : String(i.vcpus)],
    ]),
  ];
  if (i.nics.length > 0) {
    const nicLines = i.nics.map(
      (n, idx) =>
        `nic/${idx}: ${esc(n.ip ?? 'no IP')} · ${esc(n.mac ?? '?')} · ${esc(n.mode ?? '?')}${n.link ? ` link ${esc(n.link)}` : ''}`,
    );
    blocks.push(section(`*NICs*\n${nicLines.join('\n')}`));
  }
  blocks.push(
    section(
      `*Disks*\n${i.disks.length ? i.disks.map((d) => `${esc(d.name)}${d.size ? `: ${esc(d.size)}` : ''}`).join('\n') : 'none'}`,
    ),
  );
  const meta = [
    i.uuid ? `UUID ${i.uuid}` : null,
    i.createdAt ? `created ${i.createdAt}` : null,
    i.modifiedAt ? `modified ${i.modifiedAt}` : null,
  ]
    .filter((m): m is string => m !== null)
    .map(esc);
  if (meta.length) blocks.push(context(meta.join(' · ')));
  return { text: `${i.name}: ${state}, primary ${i.primaryNode ?? '?'}`, blocks };
}
