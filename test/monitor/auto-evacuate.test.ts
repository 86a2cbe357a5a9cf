import { describe, expect, it } from 'vitest';
import { autoEvacuationBlocker } from '../../src/monitor/auto-evacuate.js';
import { emptyIncident } from '../../src/monitor/incident-reducer.js';
import { runFence } from '../../src/monitor/start-monitor.js';
import type { ClusterModel, Incident, IncidentNode, NodeModel } from '../../src/monitor/types.js';

const node = (name: string, extra: Partial<IncidentNode> = {}): IncidentNode => ({
  name,
  since: 0,
  cause: 'no-answer',
  wasMaster: false,
  primaries: [
    {
      name: 'inst3',
      status: 'ERROR_nodedown',
      adminState: 'up',
      memoryMiB: 256,
      diskTemplate: 'drbd',
      target: 'node1',
      stranded: null,
    },
  ],
  secondaries: [],
  capacityOk: true,
  freeMiB: 1000,
  neededMiB: 256,
  returnedAt: null,
  returnedWhileOffline: false,
  recoveredAt: null,
  ...extra,
});
const modelWith = (health: NodeModel['health']): ClusterModel =>
  ({ nodes: { node3: { health } as NodeModel } }) as unknown as ClusterModel;
const incidentWith = (...nodes: IncidentNode[]): Incident => ({
  ...emptyIncident('lab', 0, 'node-loss'),
  nodes,
});

describe('autoEvacuationBlocker: AUTO_EVACUATE runs only when every condition holds', () => {
  it('lets a single down node with room for its instances through', () => {
    expect(autoEvacuationBlocker(incidentWith(node('node3')), modelWith('down'), [])).toBeNull();
  });

  it.each([
    [
      'another node is lost too',
      incidentWith(node('node3'), node('node2')),
      modelWith('down'),
      [],
      /more than one node/,
    ],
    ['the node answers again', incidentWith(node('node3')), modelWith('returned'), [], /not down/],
    ['someone already asked', incidentWith(node('node3')), modelWith('down'), ['node3'], /already asked/],
    ['there is no room', incidentWith(node('node3', { capacityOk: false })), modelWith('down'), [], /memory/],
    [
      'nothing can move',
      incidentWith(node('node3', { primaries: [] })),
      modelWith('down'),
      [],
      /no instance/,
    ],
    [
      'the master is lost',
      { ...incidentWith(node('node3')), kind: 'master-loss' as const },
      modelWith('down'),
      [],
      /not an open node loss/,
    ],
  ])('refuses when %s', (_why, incident, model, linked, reason) => {
    expect(autoEvacuationBlocker(incident, model, linked)).toMatch(reason);
  });
});

describe('runFence: the fencing command, run without a shell', () => {
  it('counts exit 0 as fenced and names the node in the argv', async () => {
    const result = await runFence(['/bin/echo', 'fenced', '{node}'], 'node3.ganeti.test');
    expect(result).toEqual({ ok: true, detail: '/bin/echo exited 0: fenced node3.ganeti.test' });
  });

  it('counts any other exit as not fenced, and never lets the node name reach a shell', async () => {
    expect(await runFence(['/bin/false'], 'node3')).toMatchObject({
      ok: false,
      detail: '/bin/false exited 1',
    });
    const quoted = await runFence(['/bin/echo', '{node}'], '$(touch /tmp/pwned);x');
    expect(quoted.detail).toContain('$(touch /tmp/pwned);x');
  });
});
