import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTcpNodeProber } from '../../src/cluster/node-prober.js';
import { freePort } from '../support/free-port.js';

const servers: Server[] = [];
async function listen(): Promise<number> {
  const server = createServer((s) => s.end());
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

describe('createTcpNodeProber', () => {
  it('says a node answers when its noded port accepts', async () => {
    const prober = createTcpNodeProber({ ports: { noded: await listen(), ssh: await freePort() } });
    expect(await prober.probe('127.0.0.1')).toBe('answers');
  });

  it('says noded is down when sshd answers and the noded port refuses', async () => {
    const prober = createTcpNodeProber({ ports: { noded: await freePort(), ssh: await listen() } });
    expect(await prober.probe('127.0.0.1')).toBe('noded-down');
  });
  // Silence (a cut link, a powered-off node) is shown on the lab: test/integration/monitor-node-loss.test.ts.
});
