import type { Env, FileConfig } from './schema.js';

/** Keys of a mapping with fixed keys (not a `Record<string, …>`, whose keys are data). */
type KeysOf<T> = string extends keyof T ? never : keyof T & string;

type Nested<V, Path extends string> = V extends readonly (infer Item)[]
  ? Item extends object
    ? FileKeyPath<Item, `${Path}[].`>
    : never
  : V extends object
    ? KeysOf<V> extends never
      ? never
      : FileKeyPath<V, `${Path}.`>
    : never;

/** Every key of the YAML file as docs/configuration.md names it: `cluster.hosts`, `projects[].name`. */
export type FileKeyPath<T = FileConfig, Prefix extends string = ''> = {
  [K in KeysOf<T>]-?: `${Prefix}${K}` | Nested<NonNullable<T[K]>, `${Prefix}${K}`>;
}[KeysOf<T>];

export interface FileKeyDoc {
  description: string;
  /** The variable this key replaces when both are set (load-config.ts: the file wins). */
  replaces?: keyof Env;
}

const members = 'Slack user ids, `group:S…` (a user group) or `*`.';

/** Every key of `fileSchema`; the type makes a key without a description a compile error. */
export const fileDescriptions: Readonly<Record<FileKeyPath, FileKeyDoc>> = {
  cluster: { description: 'The cluster the worker logs in to.' },
  'cluster.name': { description: 'Display name of the cluster in messages. Default: `ganeti`.' },
  'cluster.hosts': {
    description: 'The master candidates, `host` or `host:port`.',
    replaces: 'GANETI_SSH_HOSTS',
  },
  'cluster.user': { description: 'Remote user.', replaces: 'GANETI_SSH_USER' },
  'cluster.keyFile': { description: 'Private key file.', replaces: 'GANETI_SSH_KEY_FILE' },
  'cluster.knownHosts': { description: 'OpenSSH known_hosts file.', replaces: 'GANETI_SSH_KNOWN_HOSTS' },
  'cluster.fenceCommand': {
    description: 'The fencing command as an argv list (no shell); `{node}` is replaced by the node’s name.',
    replaces: 'FENCE_COMMAND',
  },
  clusters: {
    description:
      'Several clusters served by one bot (instead of `cluster` and GANETI_SSH_HOSTS): each has its own queues and ' +
      'worker concurrency. The first is the default; `--cluster NAME` picks another for one command.',
  },
  'clusters[].name': {
    description: 'Its name in messages and after `--cluster`: lower-case letters, digits and `-`.',
  },
  'clusters[].hosts': { description: 'Its master candidates, `host` or `host:port`.' },
  'clusters[].user': { description: 'Remote user. Default: GANETI_SSH_USER.' },
  'clusters[].keyFile': { description: 'Private key file for it.' },
  'clusters[].knownHosts': { description: 'OpenSSH known_hosts file with its master candidates’ keys.' },
  'clusters[].fenceCommand': {
    description: 'Its fencing command as an argv list; `{node}` is replaced. Default: FENCE_COMMAND.',
  },
  'clusters[].channels': {
    description: 'Channels (ids) whose commands go to this cluster unless `--cluster` says otherwise.',
  },
  'clusters[].concurrency': {
    description: 'Commands and operations one worker runs at once on it. Default: WORKER_CONCURRENCY.',
  },
  access: { description: 'Who may do what (the rules: src/commands/authorize.ts).' },
  'access.admins': { description: `Admins: ${members}`, replaces: 'ACCESS_ADMINS' },
  'access.operators': { description: `Operators: ${members}`, replaces: 'ACCESS_OPERATORS' },
  'access.viewers': { description: `Viewers: ${members}`, replaces: 'ACCESS_VIEWERS' },
  'access.channels': {
    description:
      'Command name → the only channels (ids) where it may be used, e.g. `{ evacuate: [C012OPS] }`.',
  },
  'access.approvers': {
    description: `Who may approve destructive requests: ${members} Default: the admins.`,
  },
  'access.selfApprove': {
    description:
      'Commands whose requester may approve their own request (the two-person rule is off for them).',
  },
  projects: {
    description:
      'Projects hosted on the cluster: their members get the listed actions on the instances the project ' +
      'owns, and nothing else.',
  },
  'projects[].name': { description: 'The project’s name, shown in refusals.' },
  'projects[].members': { description: `Its people: ${members}` },
  'projects[].instances': {
    description: 'The instances it owns, by Ganeti tag or by name glob; at least one tag or pattern.',
  },
  'projects[].instances.tags': { description: 'Ganeti tags, e.g. `project:web`.' },
  'projects[].instances.patterns': { description: 'Name globs, e.g. `www*` (short names match too).' },
  'projects[].actions': {
    description:
      'Commands members may run on those instances, e.g. `info`, `start`, `reboot`, `shutdown`, `console` ' +
      '(docs/commands.md says which commands a project can be given).',
  },
  'projects[].clusters': {
    description:
      'The clusters (their `name`s) its instances live on; its members get nothing on the others, whatever ' +
      'their instances are named or tagged there. Default: every cluster.',
  },
};

/** A whole file, shown in the docs; test/docs checks that `fileSchema` accepts it. */
export const fileExample = `cluster:
  name: prod
  hosts: [node1.example.org, node2.example.org]
  user: root
  keyFile: /etc/ganeti-chatops/id_ed25519
  knownHosts: /etc/ganeti-chatops/known_hosts
access:
  admins: [U012ADMIN, group:S0SRE]
  operators: [U034OPS]
  viewers: ['*']
  channels: { evacuate: [C012OPS], rebalance: [C012OPS] }
  approvers: [group:S0SRE]
  selfApprove: []
projects:
  - name: web
    members: [group:S0WEBTEAM]
    instances: { tags: ['project:web'], patterns: ['www*'] }
    actions: [info, start, reboot, shutdown, console]
`;
