/**
 * Who and what is in the demo's Slack workspace: five people with different roles, three
 * channels, and the bot's access rules for them (the same settings a real deployment writes in
 * its env and YAML, docs/configuration.md).
 */
export interface DemoUser {
  id: string;
  name: string;
  /** What the page says about them in the user switcher. */
  role: string;
}

export interface DemoChannel {
  id: string;
  name: string;
  purpose: string;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { id: 'U0ALICE', name: 'alice', role: 'admin' },
  { id: 'U0BOB', name: 'bob', role: 'second admin: approves what alice asks for' },
  { id: 'U0CAROL', name: 'carol', role: 'operator' },
  { id: 'U0DAVE', name: 'dave', role: 'viewer' },
  { id: 'U0ERIN', name: 'erin', role: 'member of project web (web* instances)' },
];

export const DEMO_CHANNELS: readonly DemoChannel[] = [
  { id: 'C0OPS', name: 'ops', purpose: 'where the team runs /ganeti' },
  { id: 'C0ALERTS', name: 'alerts', purpose: 'node-loss alerts and health summaries' },
  { id: 'C0AUDIT', name: 'audit', purpose: 'the audit trail' },
];

/** The project erin belongs to: the actions she may run on web* instances. */
export const DEMO_CONFIG_YAML = `access:
  admins: [U0ALICE, U0BOB]
  operators: [U0CAROL]
  viewers: [U0DAVE]
projects:
  - name: web
    members: [U0ERIN]
    instances: { patterns: ['web*'] }
    actions: [info, start, reboot, shutdown, console]
`;

/** Settings of the bot in the demo, besides Slack, Redis and the cluster (docs/configuration.md). */
export const DEMO_SETTINGS: Readonly<Record<string, string>> = {
  ALERT_CHANNEL: 'C0ALERTS',
  AUDIT_CHANNEL: 'C0AUDIT',
  // Quick enough to watch: a node is declared down 6 s after it stops answering.
  MONITOR_POLL_SECONDS: '2',
  MONITOR_GRACE_SECONDS: '6',
  MONITOR_REMINDER_MINUTES: '60',
  GANETI_QUERY_HELPER: 'off',
  GANETI_COMMAND_TIMEOUT_SECONDS: '20',
  LOG_LEVEL: 'warn',
};

export const userName = (id: string): string => DEMO_USERS.find((u) => u.id === id)?.name ?? id;
export const channelName = (id: string): string => DEMO_CHANNELS.find((c) => c.id === id)?.name ?? id;
