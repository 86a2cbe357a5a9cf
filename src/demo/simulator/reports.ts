import { ctime, dateTime } from './format.js';
import { instanceStatus, nodeDiskFree, nodeMemoryFree } from './fields.js';
import { rpcError } from './job-checks.js';
import { isSilent, nodeByName, type SimCluster, type SimInstance, type SimNode } from './model.js';

/** `gnt-instance info NAME`, laid out like test/fixtures/gnt-instance_info.inst1.txt. */
export function instanceInfo(c: SimCluster, i: SimInstance): string {
  const status = instanceStatus(c, i);
  const actual =
    status === 'ERROR_nodedown' || status === 'ERROR_nodeoffline' ? '(node down)' : i.running ? 'up' : 'down';
  const lines = [
    `- Instance name: ${i.name}`,
    `  UUID: ${i.uuid}`,
    `  Serial number: ${i.serial}`,
    `  Creation time: ${dateTime(i.ctime)}`,
    `  Modification time: ${dateTime(i.mtime)}`,
    `  State: configured to be ${i.adminUp ? 'up' : 'down'}, actual state is ${actual}`,
    '  Nodes: ',
    `    - primary: ${i.pnode}`,
    `      group: default (UUID ${c.groupUuid})`,
    i.snode === null
      ? '    - secondaries: '
      : `    - secondaries: ${i.snode} (group default, group UUID ${c.groupUuid})`,
    `  Operating system: ${i.os}`,
    '  Operating system parameters: ',
    '  Allocated network port: None',
    `  Hypervisor: ${i.hypervisor}`,
    '  Hypervisor parameters: ',
    '  Back-end parameters: ',
    '    always_failover: default (False)',
    '    auto_balance: default (True)',
    `    maxmem: ${i.memory}`,
    `    memory: default (${i.memory})`,
    `    minmem: ${i.memory}`,
    '    spindle_use: default (1)',
    `    vcpus: ${i.vcpus}`,
    '  NICs: ',
    ...i.nics.flatMap((n, k) => [
      `    - nic/${k}: `,
      `      MAC: ${n.mac}`,
      `      IP: ${n.ip}`,
      `      mode: ${n.mode}`,
      `      link: ${n.link}`,
      '      vlan: ',
      '      network: None',
      `      UUID: ${i.uuid.slice(0, 24)}${String(k).padStart(12, '0')}`,
      '      name: None',
    ]),
    `  Disk template: ${i.diskTemplate}`,
    '  Disks: ',
    ...i.disks.flatMap((size, k) => [
      `    - disk/${k}: ${i.diskTemplate}, size ${size >= 1024 ? `${(size / 1024).toFixed(1)}G` : `${size}M`}`,
      '      access mode: rw',
    ]),
  ];
  return lines.join('\n') + '\n';
}

/** The error lines `gnt-cluster verify --error-codes` prints, per step. */
function verifyErrors(c: SimCluster): {
  files: string[];
  nodes: string[];
  instances: string[];
  notes: string[];
  hooks: string[];
} {
  const silent = c.nodes.filter((n) => isSilent(n) && !n.offline);
  const others = c.nodes.filter((n) => !isSilent(n) && !n.offline);
  const files = silent.flatMap((n) => [
    `ERROR:ENODESSH:node:${n.name}:Could not verify the SSH setup of this node.`,
    `ERROR:ENODEFILECHECK:node:${n.name}:Node did not return file checksum data`,
  ]);
  const nodes = silent.flatMap((n) => [
    `ERROR:ENODERPC:node:${n.name}:while contacting node: ${rpcError(n)}`,
    ...(n.fault === 'noded-down'
      ? []
      : others.flatMap((o) => [
          `ERROR:ENODESSH:node:${o.name}:ssh communication with node '${n.name}': ssh problem: ssh: connect to host ${n.name} port 22: Connection timed out\\n`,
          `ERROR:ENODENET:node:${o.name}:tcp communication with node '${n.name}': failure using the primary interface(s)`,
        ])),
  ]);
  const instances = c.instances.flatMap((i) => {
    const node = nodeByName(c, i.pnode);
    if (node?.offline && i.adminUp)
      return [
        `ERROR:EINSTANCEBADNODE:instance:${i.name}:instance is marked as running and lives on offline node ${i.pnode}`,
      ];
    if (node && isSilent(node) && i.adminUp)
      return [
        `ERROR:EINSTANCEDOWN:instance:${i.name}:instance not running on its primary node ${i.pnode}`,
        `ERROR:ENODERPC:node:${i.pnode}:instance ${i.name}, connection to primary node failed`,
      ];
    if (i.adminUp && !i.running)
      return [`ERROR:EINSTANCEDOWN:instance:${i.name}:instance not running on its primary node ${i.pnode}`];
    return [];
  });
  const offline = c.nodes.filter((n) => n.offline).length;
  const notes = [
    ...(offline > 0 ? [`NOTICE: ${offline} offline node(s) found.`] : []),
    ...silent.map((n) => `WARNING: Communication failure to node ${n.uuid}: ${rpcError(n)}`),
  ];
  const hooks = silent.map(
    (n) => `ERROR:ENODEHOOKS:node:${n.uuid}:Communication failure in hooks execution: ${rpcError(n)}`,
  );
  return { files, nodes, instances, notes, hooks };
}

/** `gnt-cluster verify --error-codes` (test/fixtures/gnt-cluster_verify.error-codes.*.txt) and its exit status. */
export function clusterVerify(
  c: SimCluster,
  now: number,
  jobs: [number, number],
): { stdout: string; failed: boolean } {
  const at = ctime(now);
  const step = (text: string) => `${at} * ${text}`;
  const items = (xs: string[]) => xs.map((x) => `${at}   - ${x}`);
  const e = verifyErrors(c);
  const n = c.nodes.length;
  const lines = [
    `Submitted jobs ${jobs[0]}, ${jobs[1]}`,
    `Waiting for job ${jobs[0]} ...`,
    step('Verifying cluster config'),
    step('Verifying cluster certificate files'),
    step('Verifying hypervisor parameters'),
    step('Verifying all nodes belong to an existing group'),
    `Waiting for job ${jobs[1]} ...`,
    step("Verifying group 'default'"),
    step(`Gathering data (${n} nodes)`),
    step(`Gathering information about nodes (${n} nodes)`),
    step(`Gathering disk information (${n} nodes)`),
    step('Verifying configuration file consistency'),
    ...items(e.files),
    step('Verifying node status'),
    ...items(e.nodes),
    step('Verifying instance status'),
    ...items(e.instances),
    step('Verifying orphan volumes'),
    step('Verifying N+1 Memory redundancy'),
    step('Other Notes'),
    ...e.notes.map((x) => `${at}  - ${x}`),
    step('Hooks Results'),
    ...items(e.hooks),
  ];
  const failed = [...e.files, ...e.nodes, ...e.instances, ...e.hooks].length > 0;
  return { stdout: lines.join('\n') + '\n', failed };
}

/** htools cannot load a cluster with a node that answers no live data (hbal.L.node3-unreachable.stderr.txt). */
export function htoolsLoadError(c: SimCluster): string | null {
  const silent = c.nodes.find((n) => isSilent(n) && !n.offline);
  return silent
    ? `Error: failed to load data, aborting: Node '${silent.name}', error while reading attribute 'mtotal': No data for a field\n`
    : null;
}

const online = (c: SimCluster) => c.nodes.filter((n) => !n.offline);

/** A balance score in hbal's spirit: the spread of memory and disk use over the online nodes. */
export function clusterScore(c: SimCluster): number {
  const spread = (xs: number[]) => {
    const mean = xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length));
  };
  const nodes = online(c);
  const mem = nodes.map((n) => 1 - nodeMemoryFree(c, n) / n.mtotal);
  const disk = nodes.map((n) => 1 - nodeDiskFree(c, n) / n.dtotal);
  const count = nodes.map(
    (n) => c.instances.filter((i) => i.pnode === n.name).length / Math.max(1, c.instances.length),
  );
  const offlinePrimaries = c.instances.filter((i) => nodeByName(c, i.pnode)?.offline).length;
  return spread(mem) + spread(disk) + spread(count) + 2 * offlinePrimaries;
}

const IPOLICY =
  'IPolicy {iPolicyMinMaxISpecs = [MinMaxISpecs {minMaxISpecsMinSpec = ISpec {iSpecMemorySize = 128, iSpecCpuCount = 1, iSpecDiskSize = 1024, iSpecDiskCount = 1, iSpecNicCount = 1, iSpecSpindleUse = 1}, minMaxISpecsMaxSpec = ISpec {iSpecMemorySize = 32768, iSpecCpuCount = 8, iSpecDiskSize = 1048576, iSpecDiskCount = 16, iSpecNicCount = 8, iSpecSpindleUse = 12}}], iPolicyStdSpec = ISpec {iSpecMemorySize = 128, iSpecCpuCount = 1, iSpecDiskSize = 1024, iSpecDiskCount = 1, iSpecNicCount = 1, iSpecSpindleUse = 1}, iPolicyDiskTemplates = [DTDiskless,DTFile,DTPlain,DTDrbd8], iPolicyVcpuRatio = 4.0, iPolicySpindleRatio = 32.0}';

/** `hbal -L -v -C` (test/fixtures/hbal.L-dry-run-verbose.txt): the simulator plans no moves. */
export function hbalPlan(c: SimCluster): string {
  const counts = `${c.nodes.length} nodes, ${c.instances.length} instances`;
  return (
    [
      'Loaded cluster tags: ',
      `Loaded cluster ipolicy: ${IPOLICY}`,
      `Loaded ${counts}`,
      `Note: Stripping common suffix of '.${c.domain}' from names`,
      `Group size ${counts}`,
      'Selected node group: default',
      'Initial check done: 0 bad nodes, 0 bad instances.',
      `Initial score: ${clusterScore(c).toFixed(8)}`,
      'Trying to minimize the CV...',
      'No solution found',
      'Solution length=0',
      '',
      'Commands to run to reach the above solution:',
    ].join('\n') + '\n'
  );
}

/** `hcheck -L --machine-readable` (test/fixtures/hcheck.L-machine-readable.txt). */
export function hcheck(c: SimCluster): string {
  const score = clusterScore(c).toFixed(8);
  const offPri = c.instances.filter((i) => nodeByName(c, i.pnode)?.offline).length;
  const offSec = c.instances.filter((i) => i.snode !== null && nodeByName(c, i.snode)?.offline).length;
  const block = (prefix: string, withScore: boolean) => [
    `${prefix}_N1_FAIL=0`,
    `${prefix}_CONFLICT_TAGS=0`,
    `${prefix}_OFFLINE_PRI=${offPri}`,
    `${prefix}_OFFLINE_SEC=${offSec}`,
    `${prefix}_GN1_FAIL=0`,
    ...(withScore ? [`${prefix}_SCORE=${score}`] : []),
  ];
  const rebalance = offPri + offSec > 0 ? 1 : 0;
  return (
    [
      `HCHECK_GROUP_UUID_0='${c.groupUuid}'`,
      ...block('HCHECK_INIT_GROUP_0', true),
      ...block('HCHECK_INIT_CLUSTER', false),
      `HCHECK_INIT_CLUSTER_NEED_REBALANCE=${rebalance}`,
      ...block('HCHECK_FINAL_GROUP_0', true),
      ...block('HCHECK_FINAL_CLUSTER', false),
      `HCHECK_FINAL_CLUSTER_NEED_REBALANCE=${rebalance}`,
      'HCHECK_OK=1',
    ].join('\n') + '\n'
  );
}

/** `hspace -L --machine-readable`: the standard spec (128 MiB, 1 GiB, 1 CPU) allocated until memory runs out. */
export function hspace(c: SimCluster): string {
  const nodes = online(c);
  const sum = (f: (n: SimNode) => number) => nodes.reduce((a, n) => a + f(n), 0);
  const mem = sum((n) => n.mtotal);
  const dsk = sum((n) => n.dtotal);
  const cpu = sum((n) => n.cpus);
  const freeMem = sum((n) => nodeMemoryFree(c, n));
  const freeDsk = sum((n) => nodeDiskFree(c, n));
  const vcpusUsed = c.instances.reduce((a, i) => a + i.vcpus, 0);
  const byCpu = Math.max(0, cpu * 4 - vcpusUsed);
  const byMem = Math.floor(freeMem / 128);
  const byDsk = Math.floor(freeDsk / 1024);
  const fits = Math.min(byCpu, byMem, byDsk);
  const reason = fits === byCpu ? 'FAILCPU' : fits === byMem ? 'FAILMEM' : 'FAILDISK';
  const biggest = Math.max(0, ...nodes.map((n) => nodeMemoryFree(c, n)));
  const tiered = Math.min(32_768, Math.floor(biggest / 256) * 256);
  return (
    [
      `HTS_CLUSTER_MEM=${mem}`,
      `HTS_CLUSTER_DSK=${dsk}`,
      `HTS_CLUSTER_CPU=${cpu}`,
      `HTS_CLUSTER_VCPU=${cpu * 4}`,
      `HTS_CLUSTER_NODES=${nodes.length}`,
      `HTS_INI_SCORE=${clusterScore(c).toFixed(8)}`,
      `HTS_INI_INST_CNT=${c.instances.length}`,
      `HTS_INI_MEM_FREE=${freeMem}`,
      `HTS_INI_DSK_FREE=${freeDsk}`,
      'HTS_TSPEC_INI_MEM=32768',
      'HTS_TSPEC_INI_DSK=1048576',
      'HTS_TSPEC_INI_CPU=8',
      'HTS_TSPEC_INI_SPN=12',
      'HTS_TSPEC_INI_RQN=1',
      'HTS_TSPEC_INI_DISK_TEMPLATE=drbd',
      `HTS_TSPEC='${tiered > 0 ? `${tiered},1048576,8,12=1` : ''}'`,
      'HTS_SPEC_MEM=128',
      'HTS_SPEC_DSK=1024',
      'HTS_SPEC_CPU=1',
      'HTS_SPEC_SPN=1',
      'HTS_SPEC_RQN=1',
      'HTS_SPEC_DISK_TEMPLATE=drbd',
      `HTS_ALLOC_INSTANCES=${fits}`,
      `HTS_ALLOC_FAIL_REASON=${reason}`,
      'HTS_OK=1',
    ].join('\n') + '\n'
  );
}
