import type { GanetiClient } from '../cluster/ganeti-client.js';

const refuse = (): never => {
  throw new Error(
    'this command runs in the Slack process and has no cluster access; give it runsOn: "worker"',
  );
};

/** The cluster handed to commands that run in the bot (help): any use is a programming error. */
export const unavailableCluster: GanetiClient = {
  master: refuse,
  nodes: refuse,
  instances: refuse,
  instanceInfo: refuse,
  jobs: refuse,
  job: refuse,
  verify: refuse,
  names: refuse,
  submit: refuse,
  findJobs: refuse,
  cancelJob: refuse,
  hcheck: refuse,
  hspace: refuse,
  hbalPlan: refuse,
  nodeHealth: refuse,
  instancesWithin: refuse,
  survey: refuse,
  masterFailover: refuse,
  createOptions: refuse,
};
