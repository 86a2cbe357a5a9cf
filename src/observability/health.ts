import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { AppMetrics } from './metrics.js';

/** One thing the process needs to do its work; `run` throws (or times out) with the reason. */
export interface ReadinessCheck {
  name: string;
  run(): Promise<void>;
}

export type HealthHandler = (req: IncomingMessage, res: ServerResponse) => void;

export const HEALTH_PATHS = ['/healthz', '/readyz', '/metrics'] as const;

/**
 * `/healthz`: the process is alive and its event loop answers (no dependency is asked, so a Redis
 * outage does not get the bot restarted). `/readyz`: every check passes within `timeoutMs`, else
 * 503 with each failing check's reason. `/metrics`: Prometheus text.
 */
export function createHealthHandler(deps: {
  metrics: AppMetrics;
  checks: ReadinessCheck[];
  logger: Logger;
  timeoutMs?: number;
}): HealthHandler {
  const timeoutMs = deps.timeoutMs ?? 3_000;
  const send = (res: ServerResponse, status: number, type: string, body: string) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  const json = (res: ServerResponse, status: number, body: unknown) =>
    send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(body)}\n`);

  async function readiness() {
    const results = await Promise.all(
      deps.checks.map(async (check) => {
        try {
          await withTimeout(check.run(), timeoutMs, `no answer within ${timeoutMs / 1000} s`);
          return [check.name, 'ok'] as const;
        } catch (error) {
          return [check.name, error instanceof Error ? error.message : String(error)] as const;
        }
      }),
    );
    return { ready: results.every(([, r]) => r === 'ok'), checks: Object.fromEntries(results) };
  }

  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'GET only' });
    if (path === '/healthz') return json(res, 200, { alive: true });
    if (path === '/readyz') {
      readiness().then(
        (r) => {
          if (!r.ready) deps.logger.warn({ checks: r.checks }, 'not ready');
          json(res, r.ready ? 200 : 503, r);
        },
        (error: unknown) => json(res, 500, { ready: false, error: String(error) }),
      );
      return;
    }
    if (path === '/metrics') {
      deps.metrics.text().then(
        (text) => send(res, 200, deps.metrics.contentType, text),
        (error: unknown) => {
          deps.logger.warn({ err: error }, 'could not collect the metrics');
          send(res, 500, 'text/plain; charset=utf-8', 'could not collect the metrics; see the log\n');
        },
      );
      return;
    }
    json(res, 404, { error: `no such path; try ${HEALTH_PATHS.join(', ')}` });
  };
}

/** The health endpoints on a server of their own (Socket Mode, or a worker-only process). */
export async function startHealthServer(
  port: number,
  handler: HealthHandler,
): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
