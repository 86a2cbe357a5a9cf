import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { NodeHealthState } from '../monitor/types.js';

/** What /metrics reads at scrape time; each source is optional (a role may not have it). */
export interface MetricSources {
  /** Job counts per BullMQ queue and state (waiting, active, delayed, failed…). */
  queues?: () => Promise<Record<string, Record<string, number>>>;
  /** The SSH connection to each master candidate. */
  ssh?: () => Array<{ host: string; connected: boolean; openChannels: number; queued: number }>;
  /** The health monitor's view: each node's state and the open incidents, per cluster. */
  monitor?: () => Promise<{ cluster: string; nodes: Record<string, string>; openIncidents: number } | null>;
  /** Requests waiting for an approver. */
  approvalsPending?: () => Promise<number>;
}

/** The node states the monitor knows (NodeHealthState); each is a 0/1 series per node. */
const NODE_STATES: readonly NodeHealthState[] = ['healthy', 'suspect', 'down', 'returned', 'offline-known'];

const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
const EXEC_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120];

/**
 * The Prometheus metrics of one process, in a registry of its own (so that several apps in one
 * test process do not collide). Event-driven series are counted where things happen; the gauges
 * read their sources when scraped, so an idle bot does no work for them.
 */
export function createMetrics(initial: MetricSources = {}) {
  /** Filled in as the parts of the process start; a source not set gives no series. */
  const sources: MetricSources = { ...initial };
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ganeti_chatops_' });
  const registers = [registry];

  const commands = new Counter({
    name: 'ganeti_chatops_commands_total',
    help: 'Slash commands run by the worker, by command and outcome (ok, planned, failed).',
    labelNames: ['command', 'outcome'] as const,
    registers,
  });
  const commandSeconds = new Histogram({
    name: 'ganeti_chatops_command_duration_seconds',
    help: 'Time a worker spent on a slash command, from dequeue to the answer.',
    labelNames: ['command'] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const operations = new Counter({
    name: 'ganeti_chatops_operations_total',
    help: 'Approved operations that ended, by command and outcome (success, failed, partial, unknown).',
    labelNames: ['command', 'outcome'] as const,
    registers,
  });
  const operationSeconds = new Histogram({
    name: 'ganeti_chatops_operation_duration_seconds',
    help: 'Time an operation ran on a worker (a resumed one: since it was resumed).',
    labelNames: ['command'] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const auditEvents = new Counter({
    name: 'ganeti_chatops_audit_events_total',
    help: 'Audit records written, by event (requested, refused, approved, denied, submitted…).',
    labelNames: ['event'] as const,
    registers,
  });
  const ganetiJobs = new Counter({
    name: 'ganeti_chatops_ganeti_jobs_submitted_total',
    help: 'Ganeti jobs the bot submitted, by command.',
    labelNames: ['command'] as const,
    registers,
  });
  const sshExec = new Histogram({
    name: 'ganeti_chatops_ssh_exec_seconds',
    help: 'Time of a command on the master (over SSH or through the query helper), by command and result.',
    labelNames: ['command', 'result'] as const,
    buckets: EXEC_BUCKETS,
    registers,
  });
  const slackErrors = new Counter({
    name: 'ganeti_chatops_slack_api_errors_total',
    help: 'Slack Web API calls that failed, by method and Slack error code.',
    labelNames: ['method', 'error'] as const,
    registers,
  });
  const slackRateLimited = new Counter({
    name: 'ganeti_chatops_slack_rate_limited_total',
    help: 'Slack answers of 429 (rate limited), by method.',
    labelNames: ['method'] as const,
    registers,
  });
  const sourceErrors = new Counter({
    name: 'ganeti_chatops_metrics_source_errors_total',
    help: 'Scrapes where a gauge could not be read (Redis not connected yet, or down); the gauge is left out.',
    labelNames: ['source'] as const,
    registers,
  });
  /** A gauge's source, read for one scrape; a failure leaves the gauge out instead of failing the scrape. */
  const read = async <T>(source: string, get: (() => Promise<T>) | undefined): Promise<T | undefined> => {
    if (!get) return undefined;
    try {
      return await get();
    } catch {
      sourceErrors.inc({ source });
      return undefined;
    }
  };
  const slackRateLimitWait = new Counter({
    name: 'ganeti_chatops_slack_rate_limit_wait_seconds_total',
    help: 'Seconds spent waiting out Slack Retry-After answers.',
    registers,
  });

  {
    new Gauge({
      name: 'ganeti_chatops_queue_jobs',
      help: 'Jobs in each BullMQ queue, by state.',
      labelNames: ['queue', 'state'] as const,
      registers,
      async collect() {
        this.reset();
        for (const [queue, counts] of Object.entries((await read('queues', sources.queues)) ?? {}))
          for (const [state, n] of Object.entries(counts)) this.set({ queue, state }, n);
      },
    });
  }
  {
    new Gauge({
      name: 'ganeti_chatops_ssh_connected',
      help: '1 when the pooled SSH connection to a master candidate is up.',
      labelNames: ['host'] as const,
      registers,
      collect() {
        this.reset();
        for (const s of sources.ssh?.() ?? []) this.set({ host: s.host }, s.connected ? 1 : 0);
      },
    });
    new Gauge({
      name: 'ganeti_chatops_ssh_channels',
      help: 'SSH channels per master candidate: open now, and commands queued for a free one.',
      labelNames: ['host', 'state'] as const,
      registers,
      collect() {
        this.reset();
        for (const s of sources.ssh?.() ?? []) {
          this.set({ host: s.host, state: 'open' }, s.openChannels);
          this.set({ host: s.host, state: 'queued' }, s.queued);
        }
      },
    });
  }
  {
    // Both gauges come from one read of the monitor's model per scrape.
    type View = Awaited<ReturnType<NonNullable<MetricSources['monitor']>>>;
    let pending: Promise<View> | null = null;
    const once = () =>
      (pending ??= read('monitor', sources.monitor)
        .then((view) => view ?? null)
        .finally(() => {
          pending = null;
        }));
    new Gauge({
      name: 'ganeti_chatops_node_state',
      help: "1 for each node's current state as the health monitor sees it (healthy, suspect, down, returned, offline-known).",
      labelNames: ['cluster', 'node', 'state'] as const,
      registers,
      async collect() {
        this.reset();
        const view = await once();
        if (!view) return;
        for (const [node, state] of Object.entries(view.nodes))
          for (const s of NODE_STATES)
            this.set({ cluster: view.cluster, node, state: s }, s === state ? 1 : 0);
      },
    });
    new Gauge({
      name: 'ganeti_chatops_incidents_open',
      help: 'Open incidents (node or master loss) per cluster.',
      labelNames: ['cluster'] as const,
      registers,
      async collect() {
        this.reset();
        const view = await once();
        if (view) this.set({ cluster: view.cluster }, view.openIncidents);
      },
    });
  }
  {
    new Gauge({
      name: 'ganeti_chatops_approvals_pending',
      help: 'Requests waiting for an approver.',
      registers,
      async collect() {
        // Not reset: when Redis cannot be read it keeps the last value it had.
        const pending = await read('approvals', sources.approvalsPending);
        if (pending !== undefined) this.set(pending);
      },
    });
  }

  return {
    registry,
    sources,
    contentType: registry.contentType,
    /** The text Prometheus scrapes. */
    text: () => registry.metrics(),
    commandDone(command: string, outcome: string, seconds: number) {
      commands.inc({ command, outcome });
      commandSeconds.observe({ command }, seconds);
    },
    operationDone(command: string, outcome: string, seconds: number) {
      operations.inc({ command, outcome });
      operationSeconds.observe({ command }, seconds);
    },
    auditEvent(event: string, command: string | null) {
      auditEvents.inc({ event });
      if (event === 'submitted') ganetiJobs.inc({ command: command ?? 'unknown' });
    },
    exec(command: string, result: 'ok' | 'failed' | 'error', seconds: number) {
      sshExec.observe({ command, result }, seconds);
    },
    slackError(method: string, error: string) {
      slackErrors.inc({ method, error });
    },
    slackRateLimited(method: string, waitSeconds: number) {
      slackRateLimited.inc({ method });
      slackRateLimitWait.inc(waitSeconds);
    },
  };
}

export type AppMetrics = ReturnType<typeof createMetrics>;
