import type {
  GanetiInstance,
  GanetiNode,
  InstanceInfo,
  JobInfo,
  JobSummary,
  VerifyReport,
} from '../cluster/types.js';

/**
 * Neutral results (STYLE habit 4): commands return these plain objects; `src/bot/render/`
 * turns each kind into Block Kit. Nothing here knows about Slack.
 */
export type CommandResult =
  | HelpResult
  | StatusResult
  | NodesResult
  | InstancesResult
  | InstanceInfoResult
  | JobsResult
  | JobResult
  | VerifyResult;

export interface HelpEntry {
  name: string;
  aliases: string[];
  summary: string;
  usage: string;
  risk: 'read' | 'write' | 'destructive';
  details?: string;
}

export interface HelpResult {
  kind: 'help';
  /** One command when `help VERB` was asked, else all of them. */
  commands: HelpEntry[];
  topic: string | null;
}

export interface StatusResult {
  kind: 'status';
  master: string;
  nodes: GanetiNode[];
  instances: GanetiInstance[];
}

export interface NodesResult {
  kind: 'nodes';
  nodes: GanetiNode[];
}

export interface InstancesResult {
  kind: 'instances';
  instances: GanetiInstance[];
  /** How many there are before filtering. */
  total: number;
  filter: { pattern: string | null; node: string | null; state: string | null };
}

export interface InstanceInfoResult {
  kind: 'instance-info';
  info: InstanceInfo;
}

export interface JobsResult {
  kind: 'jobs';
  jobs: JobSummary[];
  /** How many jobs Ganeti has in its queue before limiting to the newest. */
  total: number;
}

export interface JobResult {
  kind: 'job';
  job: JobInfo;
}

export interface VerifyResult {
  kind: 'verify';
  report: VerifyReport;
  durationMs: number;
}
