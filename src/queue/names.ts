/** Queue and job names are constants, so producers and workers cannot drift apart; a prefix separates deployments and tests. */
export const QUEUE_COMMANDS = 'commands';
export const JOB_RUN_COMMAND = 'run-command';
export const QUEUE_OPERATIONS = 'operations';
export const JOB_EXECUTE = 'execute';
export const JOB_EXPIRE = 'expire';
