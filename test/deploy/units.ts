/** The systemd units of deploy/systemd, the worker as its template. */
export const UNITS = [
  'ganeti-chatops.service',
  'ganeti-chatops-bot.service',
  'ganeti-chatops-worker@.service',
];

/** SHUTDOWN_TIMEOUT_SECONDS by default (.env.example): the stop timeouts must leave room above it. */
export const SHUTDOWN_TIMEOUT_MS = 30_000;
