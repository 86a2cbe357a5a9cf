/**
 * "scale": what 200 nodes and 10,000 instances cost the bot in CPU, without Redis or SSH. The
 * `gnt-node list` / `gnt-instance list` output comes from test/support/generated-cluster.ts (the
 * fields the bot asks for, value forms of the captured lab output in test/fixtures). Measured,
 * each repetition on its own: (a) the parsers; (b) the pure part of one monitor poll, as
 * createPoller's poll() in src/monitor/poller.ts does it (parse, toInstanceModel, nextNodeModel,
 * reduceIncident, trackInstanceProblems), for a quiet poll and for the poll that declares a node
 * down; (c) renderResult for `/ganeti nodes` and `/ganeti instances`, checked against Slack's
 * limits (src/demo/slack/block-kit-limits.ts). Run: `npx tsx bench/scale.ts [--small]`.
 */
import { performance } from 'node:perf_hooks';
import { parseInstanceList } from '../src/cluster/parsers/instance-list.js';
import { parseNodeHealthList } from '../src/cluster/parsers/node-health-list.js';
import { parseNodeList } from '../src/cluster/parsers/node-list.js';
import { renderResult } from '../src/bot/render/render-result.js';
import type { SlackMessage } from '../src/bot/render/blocks.js';
import { reduceIncident } from '../src/monitor/incident-reducer.js';
import { trackInstanceProblems } from '../src/monitor/instance-problems.js';
import { nextNodeModel } from '../src/monitor/node-health.js';
import { emptyModel, toInstanceModel } from '../src/monitor/poller.js';
import type { ClusterModel, Incident, NodeModel } from '../src/monitor/types.js';
import { checkBlocks, MESSAGE_MAX_BLOCKS } from '../src/demo/slack/block-kit-limits.js';
import { generateCluster, nodeName, type GeneratedCluster } from '../test/support/generated-cluster.js';
import { distribution, runBench, smallRun, target, writeResult, type Distribution } from './lib/results.js';

const SMALL = smallRun();
const SIZE = SMALL ? { nodes: 20, instances: 500 } : { nodes: 200, instances: 10_000 };
const REPS = SMALL ? 10 : 100;
const WARMUP = SMALL ? 3 : 10;
const SEED = 1;
/** The monitor's defaults (docs/monitor.md): poll every 10 s, grace 30 s. */
const POLL_MS = 10_000;
const GRACE_MS = 30_000;
const CLUSTER = 'bench';
const DRAINED = nodeName(17, SIZE.nodes);
/** A master candidate that stops answering in the node-loss poll. */
const LOST = nodeName(7, SIZE.nodes);

const collect = (globalThis as { gc?: () => void }).gc;

/** CPU (user + system of the whole process) and wall time of each repetition, in ms. */
function measure<T>(fn: () => T): { cpu: number[]; wall: number[]; last: T } {
  let last = fn();
  for (let i = 1; i < WARMUP; i++) last = fn();
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < REPS; i++) {
    // A poll comes every 10 s, long after the last one's garbage is gone: start each repetition
    // from a collected heap (scripts/bench.sh runs this with --expose-gc), so that one
    // repetition does not pay for the major collection of the ones before.
    collect?.();
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    last = fn();
    wall.push(performance.now() - w0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { cpu, wall, last };
}

/**
 * What poll() in src/monitor/poller.ts does once both lists are back, minus Redis, the TCP probe
 * (a node that does not answer probes `silent`) and Slack.
 */
function poll(model: ClusterModel, open: Incident | null, cluster: GeneratedCluster, now: number) {
  const rows = parseNodeHealthList(cluster.nodeHealth);
  const instances = parseInstanceList(cluster.instanceList).map(toInstanceModel);
  const before: Record<string, NodeModel> = { ...model.nodes };
  const after: Record<string, NodeModel> = {};
  for (const row of rows)
    after[row.name] = nextNodeModel(
      before[row.name],
      { row, probe: row.live === 'ok' ? 'not-probed' : 'silent' },
      now,
      GRACE_MS,
      now,
    );
  const change = reduceIncident(open, {
    cluster: CLUSTER,
    now,
    before,
    after,
    instances,
    master: cluster.master,
    previousMaster: model.master,
  });
  const problems = trackInstanceProblems(model, instances, now, GRACE_MS);
  const next: ClusterModel = {
    cluster: CLUSTER,
    master: cluster.master,
    polledAt: now,
    masterLostSince: null,
    nodes: after,
    instances: Object.fromEntries(instances.map((i) => [i.name, i])),
    instanceProblems: problems.instanceProblems,
    announcedInstanceProblems: problems.announced,
  };
  return { next, change, note: problems.note };
}

/** Figures of one rendered message: within Slack's limits, its size, its largest block. */
function inspect(name: string, message: SlackMessage): Record<string, number> {
  const problems = checkBlocks(message.blocks, MESSAGE_MAX_BLOCKS);
  if (problems.length > 0) console.log(`[scale] ${name}: ${problems.join('; ')}`);
  const texts = message.blocks.map((b) => JSON.stringify(b).length);
  return {
    [`${name}: within Block Kit limits`]: problems.length === 0 && message.text.length <= 4000 ? 1 : 0,
    [`${name}: blocks`]: message.blocks.length,
    [`${name}: message bytes (JSON)`]: Buffer.byteLength(JSON.stringify(message)),
    [`${name}: largest block bytes (JSON)`]: Math.max(...texts),
  };
}

/** Table rows in the message's code sections (the column header row not counted). */
function rowsShown(message: SlackMessage): number {
  const lines = message.blocks.flatMap((b) =>
    b.type === 'section' && b.text?.text.startsWith('```') ? b.text.text.split('\n').slice(1, -1) : [],
  );
  return Math.max(0, lines.length - 1);
}

async function main(): Promise<void> {
  const healthy = generateCluster({ ...SIZE, seed: SEED, drained: [DRAINED] });
  const losing = generateCluster({ ...SIZE, seed: SEED, drained: [DRAINED], unreachable: [LOST] });
  const series: Record<string, Distribution> = {};
  const figures: Record<string, number> = {
    'input: node health list bytes': Buffer.byteLength(healthy.nodeHealth),
    'input: instance list bytes': Buffer.byteLength(healthy.instanceList),
  };
  const record = (name: string, m: { cpu: number[]; wall: number[] }) => {
    series[`${name}: CPU`] = distribution(m.cpu);
    series[`${name}: wall`] = distribution(m.wall);
  };

  // (a) Parsing: the poll's two lists, and the node list of `/ganeti nodes`.
  const parsed = measure(() => ({
    health: parseNodeHealthList(healthy.nodeHealth),
    instances: parseInstanceList(healthy.instanceList),
    nodes: parseNodeList(healthy.nodeList),
  }));
  if (parsed.last.instances.length !== SIZE.instances || parsed.last.nodes.length !== SIZE.nodes)
    throw new Error('the generated lists did not parse to the expected counts');
  record('parse: node health + instance list + node list', parsed);
  const parsers: Record<string, () => unknown> = {
    'node health list': () => parseNodeHealthList(healthy.nodeHealth),
    'instance list': () => parseInstanceList(healthy.instanceList),
    'node list': () => parseNodeList(healthy.nodeList),
  };
  for (const [name, parse] of Object.entries(parsers)) record(`parse: ${name}`, measure(parse));

  // (b) A quiet poll: same cluster as the polls before (instance problems already announced).
  const t0 = Date.UTC(2025, 0, 1);
  const first = poll(emptyModel(CLUSTER), null, healthy, t0).next;
  const settled = poll(first, null, healthy, t0 + GRACE_MS + POLL_MS).next;
  const quiet = measure(() => poll(settled, null, healthy, t0 + GRACE_MS + 2 * POLL_MS));
  if (quiet.last.change.incident || quiet.last.note) throw new Error('the quiet poll should decide nothing');
  record('whole poll (quiet)', quiet);

  // The poll that declares LOST down: it opens the incident and places LOST's instances elsewhere.
  const t1 = t0 + GRACE_MS + 3 * POLL_MS;
  const suspect = poll(settled, null, losing, t1).next;
  const loss = measure(() => poll(suspect, null, losing, t1 + GRACE_MS));
  const lostNode = loss.last.change.incident?.nodes[0];
  if (!loss.last.change.opened || lostNode?.name !== LOST)
    throw new Error('the node-loss poll opened no incident');
  record('whole poll (node declared down)', loss);
  figures['node-loss poll: primaries of the lost node'] = lostNode.primaries.length;
  figures['node-loss poll: instances placed elsewhere'] = lostNode.primaries.filter((p) => p.target).length;

  // What the Redis store does with the model every poll (monitor-store.ts): save and load JSON.
  const modelJson = JSON.stringify(quiet.last.next);
  figures['monitor model bytes (JSON)'] = Buffer.byteLength(modelJson);
  record(
    'model JSON save + load (not in the poll above)',
    measure(() => JSON.parse(JSON.stringify(quiet.last.next))),
  );

  // (c) Rendering `/ganeti nodes` and `/ganeti instances` as posted in a channel.
  const nodes = parsed.last.nodes;
  const instances = parsed.last.instances;
  const nodesMessage = measure(() =>
    renderResult({ kind: 'nodes', nodes }, { userId: 'U0ADMIN', text: 'nodes' }),
  );
  const filter = { pattern: null, node: null, state: null };
  const instancesMessage = measure(() =>
    renderResult(
      { kind: 'instances', instances, total: instances.length, filter },
      { userId: 'U0ADMIN', text: 'instances' },
    ),
  );
  record('render /ganeti nodes', nodesMessage);
  record('render /ganeti instances', instancesMessage);
  Object.assign(
    figures,
    inspect('/ganeti nodes', nodesMessage.last),
    inspect('/ganeti instances', instancesMessage.last),
  );
  const nodeRows = rowsShown(nodesMessage.last);
  const instanceRows = rowsShown(instancesMessage.last);
  const last = instancesMessage.last.blocks.at(-1);
  const note = last?.type === 'context' ? last.elements[0] : undefined;
  const cutNote = note && 'text' in note ? note.text : '';
  const asked = instancesMessage.last.blocks.some(
    (b) => b.type === 'context' && b.elements.some((e) => 'text' in e && e.text.includes('asked by')),
  );
  figures['/ganeti nodes: node rows shown'] = nodeRows;
  figures['/ganeti instances: instance rows shown'] = instanceRows;
  figures['/ganeti instances: "asked by" line kept'] = asked ? 1 : 0;
  const shown =
    instanceRows === instances.length
      ? `/ganeti instances shows all ${instances.length} rows.`
      : `/ganeti instances does not paginate: all ${instances.length} rows are formatted and split into ` +
        `~3,000-character sections; fitMessage (src/bot/render/blocks.ts) keeps the first ` +
        `${MESSAGE_MAX_BLOCKS - 1} blocks and replaces the rest with "${cutNote}": ${instanceRows} rows ` +
        `are shown${asked ? '' : ', and the "asked by" line, appended last, is cut with them'}.`;

  const cpuMedian = (name: string) => series[`${name}: CPU`]?.median ?? NaN;
  writeResult({
    name: 'scale',
    title: `Scale: ${SIZE.nodes} nodes, ${SIZE.instances.toLocaleString('en')} instances (CPU per repetition)`,
    settings: {
      ...SIZE,
      seed: SEED,
      repetitions: REPS,
      warmup: WARMUP,
      pollMs: POLL_MS,
      graceMs: GRACE_MS,
      drained: DRAINED,
      lost: LOST,
    },
    series,
    figures,
    targets: (
      [
        ['parse: node health + instance list + node list', 20],
        ['whole poll (quiet)', 50],
        ['whole poll (node declared down)', 50],
      ] as const
    ).map(([name, limit]) => target(`${name}, median CPU`, cpuMedian(name), 'max', limit, 'ms')),
    notes: [
      'Input: test/support/generated-cluster.ts (seeded; ~80% DRBD with one secondary, ~15% plain, ~5% diskless; ~90% running, ~8% ADMIN_down, ~2% ERROR_down; tags on ~30%), in the value forms of the lab captures in test/fixtures; one node drained.',
      'CPU is process.cpuUsage() user + system over the repetition, so V8 garbage collection on helper threads counts too (CPU can exceed wall).',
      `Each repetition starts from a collected heap (${collect ? 'node --expose-gc, as scripts/bench.sh runs it' : "NOT this run: no --expose-gc, so repetitions pay for earlier ones' garbage"}), as a poll every 10 s does.`,
      'Whole poll = the pure part of poll() in src/monitor/poller.ts (both parses included); the Redis load/save of the model (JSON, measured apart), the TCP probe and Slack are left out.',
      shown,
      `/ganeti nodes shows all ${nodeRows} of ${nodes.length} nodes in ${nodesMessage.last.blocks.length} blocks.`,
    ],
  });
}

runBench(main);
