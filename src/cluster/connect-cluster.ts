import type { Logger } from 'pino';
import type { ClusterConfig } from '../config/app-config.js';
import { createGanetiClient, type GanetiClient } from './ganeti-client.js';
import { createHostVerifier, parseKnownHosts } from './known-hosts.js';
import { createMasterShell, type MasterShell } from './master-shell.js';
import { withQueryHelper, type QueryHelperStats, type QueryingTransport } from './query-helper.js';
import { createSshTransport } from './ssh-transport.js';

export interface ClusterAccess {
  client: GanetiClient;
  shell: MasterShell;
  /** The master query helper per candidate that has one (query-helper.ts). */
  queryHelpers?(): Record<string, QueryHelperStats>;
  close(): Promise<void>;
}

/**
 * One pooled SSH connection per master candidate (opened on first use), the master
 * locator over them, and the Ganeti client on top.
 */
export function connectCluster(config: ClusterConfig, deps: { logger: Logger }): ClusterAccess {
  const logger = deps.logger.child({ component: 'cluster', cluster: config.name });
  const entries = config.knownHosts === null ? null : parseKnownHosts(config.knownHosts);
  if (entries === null)
    logger.warn('SSH host keys are NOT verified (GANETI_SSH_INSECURE_SKIP_HOST_KEY_CHECK=true)');
  const transports = config.hosts.map(({ host, port }) => {
    const transport = createSshTransport(
      {
        host,
        port,
        username: config.user,
        privateKey: config.privateKey,
        ...(entries ? { hostVerifier: createHostVerifier(entries, host, port) } : {}),
        commandTimeoutMs: config.commandTimeoutMs,
      },
      { logger },
    );
    return config.queryHelper
      ? withQueryHelper(transport, { logger }, { argv: [config.queryHelper] })
      : transport;
  });
  const shell = createMasterShell(transports, { logger });
  return {
    client: createGanetiClient({ shell, hostKeysChecked: entries !== null }),
    shell,
    queryHelpers: () =>
      Object.fromEntries(
        transports.flatMap((t) =>
          'queryStats' in t ? [[t.label, (t as QueryingTransport).queryStats()] as const] : [],
        ),
      ),
    close: () => shell.close(),
  };
}
