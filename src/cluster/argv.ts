import { NETWORK_LIST_FIELDS } from './parsers/network-list.js';
import { INSTANCE_FACTS_FIELDS } from './parsers/instance-facts.js';
import { INSTANCE_LIST_FIELDS } from './parsers/instance-list.js';
import { JOB_LIST_FIELDS } from './parsers/job-list.js';
import { JOB_OPS_FIELDS } from './parsers/job-ops.js';
import { NODE_HEALTH_FIELDS } from './parsers/node-health-list.js';
import { NODE_LIST_FIELDS } from './parsers/node-list.js';
import { NODE_UUID_FIELDS } from './parsers/node-uuids.js';

/**
 * Pure argv builders: every gnt-* command the bot runs is spelled here, with
 * explicit fields and a separator the parsers know. Names are validated before they get
 * here; `--` still ends the options so a name can never be read as one.
 */
const listArgs = (fields: readonly string[]) => ['--no-headers', '--separator=|', '-o', fields.join(',')];

export const argv = {
  getMaster: (): string[] => ['gnt-cluster', 'getmaster'],
  /** The long-lived read-only query helper (contrib/ganeti-chatops-query, src/cluster/query-helper.ts). */
  queryHelper: (): string[] => ['ganeti-chatops-query'],
  /** The host's own name, to tell which candidate is the master. */
  hostName: (): string[] => ['uname', '-n'],
  nodeList: (): string[] => ['gnt-node', 'list', ...listArgs(NODE_LIST_FIELDS)],
  /** The monitor's poll: configuration fields plus the live ones that show a silent node. */
  nodeHealth: (): string[] => ['gnt-node', 'list', ...listArgs(NODE_HEALTH_FIELDS)],
  /**
   * Makes the node this runs on the master. Not a job: it runs for tens of seconds and prints
   * what it could not do on the old master. `--no-voting` only for two-node clusters.
   */
  masterFailover: (noVoting: boolean): string[] =>
    noVoting
      ? ['gnt-cluster', 'master-failover', '--no-voting', '--yes-do-it']
      : ['gnt-cluster', 'master-failover'],
  nodeUuids: (): string[] => ['gnt-node', 'list', ...listArgs(NODE_UUID_FIELDS)],
  /** Configuration-only fields: answered from the master's config without asking the nodes. */
  nodeNames: (): string[] => ['gnt-node', 'list', '--no-headers', '-o', 'name'],
  instanceNames: (): string[] => ['gnt-instance', 'list', '--no-headers', '-o', 'name'],
  instanceList: (): string[] => ['gnt-instance', 'list', ...listArgs(INSTANCE_LIST_FIELDS)],
  instanceInfo: (name: string): string[] => ['gnt-instance', 'info', '--', name],
  /** What `/ganeti info` shows, as a list query: no Ganeti job, unlike `gnt-instance info`. */
  instanceFacts: (name: string): string[] => [
    'gnt-instance',
    'list',
    ...listArgs(INSTANCE_FACTS_FIELDS),
    '--',
    name,
  ],
  jobList: (): string[] => ['gnt-job', 'list', ...listArgs(JOB_LIST_FIELDS)],
  jobInfo: (id: number): string[] => ['gnt-job', 'info', '--', String(id)],
  verify: (): string[] => ['gnt-cluster', 'verify', '--error-codes'],
  /** Every job with its opcodes (reason trail included), to find a job by its request. */
  jobOps: (): string[] => ['gnt-job', 'list', ...listArgs(JOB_OPS_FIELDS)],
  jobCancel: (id: number): string[] => ['gnt-job', 'cancel', '--', String(id)],
  /**
   * htools read the cluster through the master's luxi socket (-L). Without -X none of them
   * changes anything: hbal only prints its plan. -v makes hbal say which name suffix it strips.
   */
  hcheck: (): string[] => ['hcheck', '-L', '--machine-readable'],
  hspace: (): string[] => ['hspace', '-L', '--machine-readable'],
  hbalPlan: (): string[] => ['hbal', '-L', '-v', '-C'],
  /** What `/ganeti create` offers: the OS definitions, the cluster's settings, its networks. */
  osList: (): string[] => ['gnt-os', 'list', '--no-headers'],
  clusterInfo: (): string[] => ['gnt-cluster', 'info'],
  networkList: (): string[] => ['gnt-network', 'list', ...listArgs(NETWORK_LIST_FIELDS)],
} as const;
