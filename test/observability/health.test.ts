import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createHealthHandler,
  startHealthServer,
  type ReadinessCheck,
} from '../../src/observability/health.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createLogger } from '../../src/core/logger.js';

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(checks: ReadinessCheck[], metrics = createMetrics()) {
  const handler = createHealthHandler({ metrics, checks, logger: createLogger('silent'), timeoutMs: 200 });
  const server = await startHealthServer(0, handler);
  servers.push(server);
  return (path: string) => fetch(`http://127.0.0.1:${server.port}${path}`);
}

describe('the health endpoints', () => {
  it('say alive without asking any dependency', async () => {
    let asked = 0;
    const get = await serve([{ name: 'redis', run: async () => void (asked += 1) }]);
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ alive: true });
    expect(asked).toBe(0);
  });

  it('are ready only when every check passes, and name the reason of each that does not', async () => {
    const get = await serve([
      { name: 'redis', run: async () => undefined },
      { name: 'cluster', run: () => Promise.reject(new Error('no master candidate answered')) },
      { name: 'slack', run: () => new Promise(() => undefined) },
    ]);
    const res = await get('/readyz');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      ready: false,
      checks: { redis: 'ok', cluster: 'no master candidate answered', slack: 'no answer within 0.2 s' },
    });
  });

  it('answer 200 when ready', async () => {
    const get = await serve([{ name: 'redis', run: async () => undefined }]);
    const res = await get('/readyz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ready: true, checks: { redis: 'ok' } });
  });

  it('serve the metrics in Prometheus text format, gauges read at scrape time', async () => {
    const metrics = createMetrics();
    let pending = 2;
    metrics.sources.approvalsPending = async () => pending;
    metrics.commandDone('nodes', 'ok', 0.3);
    metrics.auditEvent('submitted', 'failover');
    metrics.slackRateLimited('chat.postMessage', 3);
    const get = await serve([], metrics);
    const first = await (await get('/metrics')).text();
    expect(first).toContain('ganeti_chatops_commands_total{command="nodes",outcome="ok"} 1');
    expect(first).toContain('ganeti_chatops_ganeti_jobs_submitted_total{command="failover"} 1');
    expect(first).toContain('ganeti_chatops_slack_rate_limit_wait_seconds_total 3');
    expect(first).toContain('ganeti_chatops_approvals_pending 2');
    expect(first).toContain('ganeti_chatops_process_resident_memory_bytes');
    pending = 0;
    expect(await (await get('/metrics')).text()).toContain('ganeti_chatops_approvals_pending 0');
  });

  it('serve the rest of the metrics when a gauge cannot be read, and count that', async () => {
    const metrics = createMetrics();
    metrics.sources.approvalsPending = () => Promise.reject(new Error("Stream isn't writeable"));
    metrics.commandDone('nodes', 'ok', 0.3);
    const get = await serve([], metrics);
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('ganeti_chatops_commands_total{command="nodes",outcome="ok"} 1');
    // Counted while that scrape was collected: it shows from the next one.
    expect(await (await get('/metrics')).text()).toContain(
      'ganeti_chatops_metrics_source_errors_total{source="approvals"} 1',
    );
  });

  it('answer other paths with 404 and the paths there are', async () => {
    const get = await serve([]);
    const res = await get('/health');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('/healthz, /readyz, /metrics');
  });
});

describe('docs/observability.md', () => {
  it('lists every metric the bot exports', async () => {
    const doc = readFileSync('docs/observability.md', 'utf8');
    const names = (await createMetrics().registry.getMetricsAsJSON())
      .map((m) => m.name)
      .filter((n) => !/^ganeti_chatops_(process|nodejs)_/.test(n));
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((n) => !doc.includes(`\`${n}\``))).toEqual([]);
  });
});
