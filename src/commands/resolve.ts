import type { GanetiClient } from '../cluster/ganeti-client.js';
import { resolveName } from './names.js';

async function resolve(cluster: GanetiClient, input: string, kind: 'instance' | 'node'): Promise<string> {
  const pick = (n: { nodes: string[]; instances: string[] }) => (kind === 'node' ? n.nodes : n.instances);
  try {
    return resolveName(input, pick(await cluster.names()), kind);
  } catch {
    // The cached names may predate a new instance: look once more, fresh, before refusing.
    return resolveName(input, pick(await cluster.names({ maxAgeMs: 0 })), kind);
  }
}

/** The full instance name for what the user typed (`inst1` → `inst1.example.org`). */
export const resolveInstance = (cluster: GanetiClient, input: string) => resolve(cluster, input, 'instance');
export const resolveNode = (cluster: GanetiClient, input: string) => resolve(cluster, input, 'node');
