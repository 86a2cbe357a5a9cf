/**
 * A cluster's name in the bot (config `clusters[].name`, `--cluster NAME`): lower-case letters,
 * digits and `-`, so that it can be part of its queues' names.
 */
export const CLUSTER_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
