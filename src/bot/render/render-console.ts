import type { KnownBlock } from '@slack/types';
import type { ConsoleResult } from '../../commands/results.js';
import { context, esc, header, preformatted, section } from './blocks.js';

export function renderConsole(result: ConsoleResult): { text: string; blocks: KnownBlock[] } {
  const a = result.access;
  const name = esc(result.instance);
  const blocks: KnownBlock[] = [header(`Console of ${result.instance}`)];
  let text: string;
  if (a.kind === 'gnt-console') {
    text = `Console of ${result.instance}: ${a.command}`;
    blocks.push(section(`Its ${esc(a.what)}, through Ganeti on the master:`), ...preformatted([a.command]));
  } else if (a.kind === 'unavailable') {
    text = `No console for ${result.instance}: ${a.reason}`;
    blocks.push(section(`:no_entry_sign: No console for \`${name}\`. ${a.reason}`));
  } else {
    const what =
      a.kind === 'vnc' ? `VNC display${a.display === null ? '' : ` :${a.display}`}` : 'SPICE display';
    text = `Console of ${result.instance}: ${what} on ${a.node}; ${a.tunnel}`;
    blocks.push(
      section(
        `${what} on \`${esc(a.node)}\` (listening on \`${esc(a.listensOn)}\`). Open the tunnel, then the viewer:`,
      ),
      ...preformatted([a.tunnel, a.viewer]),
    );
    if (a.note) blocks.push(context(esc(a.note)));
  }
  const facts = [
    result.hypervisor ? `hypervisor \`${esc(result.hypervisor)}\`` : null,
    result.primaryNode ? `primary \`${esc(result.primaryNode)}\`` : null,
    result.actualState && result.actualState !== 'up'
      ? `:warning: it is not running (actual state: ${esc(result.actualState)})`
      : null,
  ].filter((f): f is string => f !== null);
  if (facts.length) blocks.push(context(facts.join(' · ')));
  return { text, blocks };
}
