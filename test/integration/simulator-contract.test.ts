import { readFileSync } from 'node:fs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argv } from '../../src/cluster/argv.js';
import { submitArgv } from '../../src/cluster/actions.js';
import { connectCluster, type ClusterAccess } from '../../src/cluster/connect-cluster.js';
import type { GanetiAction } from '../../src/cluster/actions.js';
import type { GanetiInstance } from '../../src/cluster/types.js';
import type { ClusterConfig } from '../../src/config/app-config.js';
import { createLabCluster } from '../../src/demo/simulator/create-cluster.js';
import {
  startSimulatedCluster,
  type SimulatedCluster,
} from '../../src/demo/simulator/start-simulated-cluster.js';
import { NO_CLUSTER_NOTE, testCluster } from './support/cluster-env.js';

/**
 * The simulator (src/demo/simulator/) and the real lab answer the same scenarios the same way:
 * both reached through the bot's own stack (connectCluster, SSH, the master shell), the lab with
 * the bot's restricted key. Values that legitimately differ (memory, UUIDs, times, job ids) are
 * compared by their shape: field counts, kinds of values, line layouts.
 */
const cluster = testCluster();
if (!cluster) console.warn(NO_CLUSTER_NOTE);

function labConfig(): ClusterConfig {
  if (!cluster) throw new Error('no cluster');
  return {
    name: 'lab',
    concurrency: null,
    fenceCommand: null,
    hosts: cluster.hosts.map((h) => {
      const [host, port] = h.split(':');
      return { host: host ?? h, port: port ? Number(port) : 22 };
    }),
    user: cluster.user,
    privateKey: readFileSync(cluster.botKeyFile, 'utf8'),
    keyFile: cluster.botKeyFile,
    knownHosts: readFileSync(cluster.knownHostsFile, 'utf8'),
    knownHostsFile: cluster.knownHostsFile,
    insecureSkipHostKeyCheck: false,
    commandTimeoutMs: 60_000,
    queryHelper: null,
  };
}

/** What a value is, not what it is: `int`, `flag`, `role`, `ip`, `uuid`, `names`, `empty`, `text`. */
function kind(value: string): string {
  if (value === '') return 'empty';
  if (/^\d+$/.test(value)) return 'int';
  if (/^[YN]$/.test(value)) return 'flag';
  if (/^[MCRDO]$/.test(value)) return 'role';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(value)) return 'ip';
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)) return 'uuid';
  if (/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(value)) return 'time';
  if (/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(value)) return 'mac';
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+(,[a-z0-9-]+(\.[a-z0-9-]+)+)*$/.test(value)) return 'names';
  return 'text';
}

/** Each line's field count and kinds: `name|int|int|…`. */
const lineShapes = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('|').map(kind).join('|'));

/** `key:` of each line of an info output (values left out), without the items of lists. */
const infoKeys = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.includes(':'))
    .map((l) => l.replace(/:.*$/, ':'))
    .filter((l) => !/^\s+- - |^\s+- \d/.test(l));

interface Target {
  name: string;
  access: ClusterAccess;
  exec(command: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function target(name: string, access: ClusterAccess): Target {
  return {
    name,
    access,
    exec: async (command) => {
      const r = await access.shell.exec(command, { timeoutMs: 120_000 });
      return { code: r.code, stdout: r.stdout, stderr: r.stderr };
    },
  };
}

/** A reason the lab's forced command accepts (contrib/ganeti-chatops-ssh-command REASON). */
const reasonFor = (what: string, t: Target) =>
  `ganeti-chatops req=req-${Date.now().toString(36)}-${what}${t.name === 'lab' ? 'l' : 's'} step=1 by=contract`;

/** Waits for a job's end; returns its status. */
async function settle(t: Target, id: number): Promise<string> {
  for (let i = 0; i < 240; i += 1) {
    const job = await t.access.client.job(id);
    if (job && ['success', 'error', 'canceled'].includes(job.status)) return job.status;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${t.name}: job ${id} did not end`);
}

/** Submits an action and waits for its end. */
async function change(t: Target, action: GanetiAction, what: string): Promise<number> {
  const id = await t.access.client.submit(action, reasonFor(what, t));
  await settle(t, id);
  return id;
}

/** Puts every instance back on its node of before, in its state of before. */
async function restore(t: Target, before: readonly GanetiInstance[]): Promise<void> {
  for (const was of before) {
    const now = (await t.access.client.instances()).find((i) => i.name === was.name);
    if (!now) continue;
    if (now.primaryNode !== was.primaryNode)
      await change(
        t,
        { op: 'instance-migrate', instance: was.name, target: was.primaryNode, allowFailover: true },
        'back',
      );
    if (was.adminState !== now.adminState)
      await change(
        t,
        { op: was.adminState === 'up' ? 'instance-startup' : 'instance-shutdown', instance: was.name },
        'back',
      );
  }
}

/** What a job left: its status, error, reasons and log, and the layout of `gnt-job info`. */
async function jobShape(t: Target, id: number) {
  const job = await t.access.client.job(id);
  const info = await t.exec(argv.jobInfo(id));
  const listLine =
    (await t.exec(argv.jobList())).stdout.split('\n').find((l) => l.startsWith(`${id}|`)) ?? '';
  const ops = (await t.exec(argv.jobOps())).stdout.split('\n').find((l) => l.startsWith(`${id}|`)) ?? '';
  return {
    status: job?.status,
    /** The keys of the opcode's dict in `gnt-job list -o ops`, in order. */
    opsKeys: [...ops.matchAll(/'(\w+)': /g)].map((m) => m[1]),
    errors: job?.opcodes.map((o) => o.error),
    reasons: job?.reasons.map((r) => r.replace(/req=\S+/, 'req=REQ')),
    log: job?.log.map((l) => l.message),
    keys: infoKeys(info.stdout),
    listLine: listLine.replace(/^\d+/, 'N').replace(/\[\d+, \d+\]/g, 'TS'),
  };
}

describe.runIf(cluster)('the simulator answers like the real lab (same scenarios, same shapes)', () => {
  let sim: SimulatedCluster;
  const targets: Target[] = [];
  let home = 'node2.ganeti.test';
  let initial: GanetiInstance[] = [];
  const logger = pino({ level: 'silent' });

  beforeAll(async () => {
    sim = await startSimulatedCluster({ cluster: createLabCluster(), speed: 1, delayScale: 0 });
    targets.push(target('simulator', connectCluster(sim.config, { logger })));
    targets.push(target('lab', connectCluster(labConfig(), { logger })));
    const lab = targets[1];
    initial = (await lab?.access.client.instances()) ?? [];
    home = initial.find((i) => i.name === 'inst2.ganeti.test')?.primaryNode ?? home;
    // The simulated instances start where the lab's are.
    for (const i of sim.simulator.cluster.instances) {
      const real = initial.find((r) => r.name === i.name);
      if (real) i.pnode = real.primaryNode;
    }
  });
  afterAll(async () => {
    // Leave the lab as found: every instance on its node and in its state of before.
    const lab = targets[1];
    if (lab) await restore(lab, initial);
    for (const t of targets) await t.access.close();
    await sim?.close();
  });

  /** Runs the scenario on both and expects the same answer. */
  async function same<T>(scenario: (t: Target) => Promise<T>): Promise<T> {
    const [ours, theirs] = await Promise.all(targets.map(scenario));
    expect(ours).toEqual(theirs);
    return theirs as T;
  }

  it('the same master and the same node names and roles', async () => {
    await same(async (t) => (await t.exec(argv.getMaster())).stdout);
    await same(async (t) =>
      (await t.access.client.nodes()).map((n) => [n.name, n.role, n.offline, n.drained]),
    );
    await same(async (t) => await t.access.client.names({ maxAgeMs: 0 }));
  });

  it('gnt-node list and gnt-instance list lines of the same shape, for every field list the bot asks', async () => {
    for (const command of [
      argv.nodeList(),
      argv.nodeHealth(),
      argv.nodeUuids(),
      argv.instanceList(),
      argv.instanceFacts('inst1.ganeti.test'),
    ])
      await same(async (t) => {
        const r = await t.exec(command);
        return { code: r.code, stderr: r.stderr, lines: lineShapes(r.stdout) };
      });
  });

  it('the same error texts and exit statuses for what does not exist', async () => {
    for (const command of [
      argv.instanceInfo('nosuch.ganeti.test'),
      argv.instanceFacts('nosuch.ganeti.test'),
      argv.jobInfo(999_999),
      argv.jobCancel(999_999),
    ])
      await same(async (t) => t.exec(command));
  });

  it('gnt-instance info, htools and verify in the same layout', async () => {
    await same(async (t) => infoKeys((await t.exec(argv.instanceInfo('inst1.ganeti.test'))).stdout));
    await same(async (t) => {
      const r = await t.exec(argv.hcheck());
      return { code: r.code, keys: r.stdout.split('\n').map((l) => l.split('=')[0]) };
    });
    await same(async (t) => {
      const r = await t.exec(argv.hbalPlan());
      return { code: r.code, lines: r.stdout.split('\n').map((l) => l.replace(/[:\d].*$/, '')) };
    });
    await same(async (t) => {
      const r = await t.exec(argv.verify());
      const steps = r.stdout
        .split('\n')
        .map((l) => l.replace(/^\w{3} \w{3} [ \d]\d [\d:]{8} \d{4} /, '').replace(/\d+/g, 'N'));
      return { code: r.code, steps };
    });
  });

  it('a failover job: submitted with its reason, found by it, the same gnt-job info layout and log, the instance moved', async () => {
    const away = home === 'node3.ganeti.test' ? 'node2.ganeti.test' : 'node3.ganeti.test';
    const stamp = Date.now().toString(36);
    await same(async (t) => {
      const reason = `ganeti-chatops req=req-${stamp}-${t.name === 'lab' ? 'lab' : 'sim'} step=1 by=U1 approved-by=U2`;
      const submitted = await t.exec(
        submitArgv({ op: 'instance-failover', instance: 'inst2.ganeti.test', target: away }, reason),
      );
      const id = Number(/^JobID: (\d+)$/m.exec(submitted.stderr)?.[1]);
      for (let i = 0; i < 120; i += 1) {
        const job = await t.access.client.job(id);
        if (job?.status === 'success' || job?.status === 'error') break;
        await new Promise((r) => setTimeout(r, 500));
      }
      const info = await t.exec(argv.jobInfo(id));
      const job = await t.access.client.job(id);
      const found = await t.access.client.findJobs(
        `req=req-${stamp}-${t.name === 'lab' ? 'lab' : 'sim'} step=1 `,
      );
      const listLine =
        (await t.exec(argv.jobList())).stdout.split('\n').find((l) => l.startsWith(`${id}|`)) ?? '';
      const placed = (await t.access.client.instances()).find(
        (i) => i.name === 'inst2.ganeti.test',
      )?.primaryNode;
      return {
        submitted: {
          code: submitted.code,
          stdout: submitted.stdout,
          stderr: submitted.stderr.replace(/\d+/, 'N'),
        },
        status: job?.status,
        reasons: job?.reasons.map((r) => r.replace(/-(lab|sim) /, '-TARGET ')),
        log: job?.log.map((l) => l.message),
        keys: infoKeys(info.stdout),
        found: found.map((f) => f.id === id && f.status),
        listLine: listLine.replace(/^\d+/, 'N').replace(/\[\d+, \d+\]/g, 'TS'),
        placed,
      };
    });
  });

  it('a migration there and back: the same log, layout and placement', async () => {
    await same(async (t) => {
      const inst1 = (await t.access.client.instances()).find((i) => i.name === 'inst1.ganeti.test');
      const from = inst1?.primaryNode ?? 'node1.ganeti.test';
      const to = from === 'node2.ganeti.test' ? 'node3.ganeti.test' : 'node2.ganeti.test';
      const action = {
        op: 'instance-migrate' as const,
        instance: 'inst1.ganeti.test',
        target: to,
        allowFailover: false,
      };
      const there = await change(t, action, 'mig');
      const placed = (await t.access.client.instances()).find((i) => i.name === 'inst1.ganeti.test');
      const back = await change(t, { ...action, target: from }, 'migb');
      const home1 = (await t.access.client.instances()).find((i) => i.name === 'inst1.ganeti.test');
      return {
        there: await jobShape(t, there),
        back: (await jobShape(t, back)).status,
        placed: [placed?.primaryNode, placed?.status],
        home: [home1?.primaryNode, home1?.status],
      };
    });
  });

  it('startup and shutdown of the stopped instance: job ids on stdout, the state each time', async () => {
    await same(async (t) => {
      const reason = reasonFor('up', t);
      const up = await t.exec(submitArgv({ op: 'instance-startup', instance: 'inst4.ganeti.test' }, reason));
      const upId = Number(/^(\d+): /.exec(up.stdout)?.[1]);
      await settle(t, upId);
      const running = (await t.access.client.instances()).find((i) => i.name === 'inst4.ganeti.test')?.status;
      const downId = await change(t, { op: 'instance-shutdown', instance: 'inst4.ganeti.test' }, 'down');
      const stopped = (await t.access.client.instances()).find((i) => i.name === 'inst4.ganeti.test')?.status;
      return {
        up: { code: up.code, stdout: up.stdout.replace(/^\d+/, 'N'), stderr: up.stderr },
        upJob: await jobShape(t, upId),
        downJob: await jobShape(t, downId),
        states: [running, stopped],
      };
    });
  });

  it('a job that fails its prerequisites: the same error in gnt-job info', async () => {
    await same(async (t) => {
      const id = await change(
        t,
        { op: 'instance-failover', instance: 'inst1.ganeti.test', target: 'nosuchnode.ganeti.test' },
        'bad',
      );
      const cancel = await t.exec(argv.jobCancel(id));
      return {
        job: await jobShape(t, id),
        cancel: { ...cancel, stdout: cancel.stdout.replace(/\d+/g, 'N') },
      };
    });
  });

  it('changes asked for an instance that does not exist: the same answer at submission and in the job', async () => {
    for (const action of [
      { op: 'instance-startup', instance: 'nosuch.ganeti.test' },
      { op: 'instance-failover', instance: 'nosuch.ganeti.test', target: null },
    ] satisfies GanetiAction[])
      await same(async (t) => {
        const r = await t.exec(submitArgv(action, reasonFor('no', t)));
        const id = Number(/^JobID: (\d+)$/m.exec(r.stderr)?.[1] ?? /^(\d+): /m.exec(r.stdout)?.[1]);
        const job = Number.isInteger(id) && id > 0 ? (await settle(t, id), await jobShape(t, id)) : null;
        const digits = (text: string) => text.replace(/\d+/g, 'N');
        return { code: r.code, stdout: digits(r.stdout), stderr: digits(r.stderr), job };
      });
  });

  it('a soft reboot: the same job layout, the instance still running', async () => {
    await same(async (t) => {
      const id = await change(t, { op: 'instance-reboot', instance: 'inst1.ganeti.test', hard: false }, 'rb');
      const inst1 = (await t.access.client.instances()).find((i) => i.name === 'inst1.ganeti.test');
      return { job: await jobShape(t, id), state: [inst1?.primaryNode, inst1?.status] };
    });
  });
});
