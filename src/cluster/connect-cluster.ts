import type { Logger } from 'pino';
import type { ClusterConfig } from '../config/app-config.js';
import { createGanetiClient, type GanetiClient } from './ganeti-client.js';
import { createHostVerifier, parseKnownHosts } from './known-hosts.js';
import { createMasterShell, type MasterShell } from './master-shell.js';
import { withQueryHelper, type QueryHelperStats, type QueryingTransport } from './query-helper.js';
import { createSshTransport } from './ssh-transport.js';
import type { RemoteTransport } from './transport.js';

export interface ClusterAccess {
  client: GanetiClient;
  shell: MasterShell;
  /** The master query helper per candidate that has one (query-helper.ts). */
  queryHelpers?(): Record<string, QueryHelperStats>;
  /** The pooled SSH connection to each candidate (for /metrics). */
  ssh?(): Array<{ host: string; connected: boolean; openChannels: number; queued: number }>;
  close(): Promise<void>;
}

/** Told how long each command on a candidate took, and how it ended. */
export type ExecObserver = (argv: readonly string[], ms: number, result: 'ok' | 'failed' | 'error') => void;

/**
 * One pooled SSH connection per master candidate (opened on first use), the master
 * locator over them, and the Ganeti client on top.
 */
export function connectCluster(
  config: ClusterConfig,
  deps: { logger: Logger; onExec?: ExecObserver },
): ClusterAccess {
  const logger = deps.logger.child({ component: 'cluster', cluster: config.name });
  const entries = config.knownHosts === null ? null : parseKnownHosts(config.knownHosts);
  if (entries === null)
    logger.warn('SSH host keys are NOT verified (GANETI_SSH_INSECURE_SKIP_HOST_KEY_CHECK=true)');
  const ssh = config.hosts.map(({ host, port }) =>
    createSshTransport(
      {
        host,
        port,
        username: config.user,
        privateKey: config.privateKey,
        ...(entries ? { hostVerifier: createHostVerifier(entries, host, port) } : {}),
        commandTimeoutMs: config.commandTimeoutMs,
      },
      { logger },
    ),
  );
  const transports = ssh.map((transport) =>
    config.queryHelper ? withQueryHelper(transport, { logger }, { argv: [config.queryHelper] }) : transport,
  );
  const onExec = deps.onExec;
  const shell = createMasterShell(onExec ? transports.map((t) => timed(t, onExec)) : transports, { logger });
  return {
    client: createGanetiClient({ shell, hostKeysChecked: entries !== null }),
    shell,
    queryHelpers: () =>
      Object.fromEntries(
        transports.flatMap((t) =>
          'queryStats' in t ? [[t.label, (t as QueryingTransport).queryStats()] as const] : [],
        ),
      ),
    ssh: () =>
      ssh.map((t, i) => {
        const stats = t.stats();
        const host = config.hosts[i]?.host ?? t.label;
        return { host, connected: stats.connected, openChannels: stats.openChannels, queued: stats.queued };
      }),
    close: () => shell.close(),
  };
}

/** The transport with each exec timed; streams (the query helper's own channel) pass through. */
function timed(transport: RemoteTransport, onExec: ExecObserver): RemoteTransport {
  return {
    label: transport.label,
    async exec(argv, options) {
      const started = performance.now();
      try {
        const result = await transport.exec(argv, options);
        onExec(argv, performance.now() - started, result.code === 0 ? 'ok' : 'failed');
        return result;
      } catch (error) {
        onExec(argv, performance.now() - started, 'error');
        throw error;
      }
    },
    ...(transport.stream ? { stream: transport.stream.bind(transport) } : {}),
    close: () => transport.close(),
  };
}
