/** Queue and job names are constants, so producers and workers cannot drift apart; a prefix separates deployments and tests. */
export const QUEUE_COMMANDS = 'commands';
export const JOB_RUN_COMMAND = 'run-command';
export const QUEUE_OPERATIONS = 'operations';
export const JOB_EXECUTE = 'execute';
export const JOB_EXPIRE = 'expire';

/**
 * A cluster's queue: the default (first) cluster uses the plain name, so a one-cluster setup keeps
 * its queues; every other cluster has its own (`commands-web2`), and its own workers.
 */
export function queueName(
  base: string,
  cluster: string | undefined,
  defaultCluster: string | undefined,
): string {
  return cluster === undefined || cluster === defaultCluster ? base : `${base}-${cluster}`;
}
