/**
 * The load generator, in a process of its own (as Slack's requests come from elsewhere): reads a
 * plan as JSON on stdin, sends each request as Slack does (a signed form post on a new HTTP
 * connection, signed just before it leaves) and writes what it saw as JSON on stdout. Plain
 * node:http: undici's fetch needed 1.4 s of this process's own time to get 1,000 requests on the
 * wire, node:http 0.6 s (measured against a server that answers at once).
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';

export interface LoadPlan {
  baseUrl: string;
  secret: string;
  /** Raw form bodies, sent in this order. */
  bodies: string[];
  /** Requests per second; 0 sends them all at once. */
  rate: number;
}

export interface LoadSample {
  /** Epoch ms (fractional) when the request was handed to the socket, and when the 200 came. */
  sentAt: number;
  ackAt: number;
  status: number;
}

const nowMs = () => performance.timeOrigin + performance.now();

function send(url: URL, secret: string, body: string, agent: http.Agent): Promise<LoadSample> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return new Promise((resolve) => {
    const sentAt = nowMs();
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: '/slack/events',
        method: 'POST',
        agent,
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': Buffer.byteLength(body),
          'X-Slack-Request-Timestamp': String(timestamp),
          'X-Slack-Signature': signature,
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ sentAt, ackAt: nowMs(), status: response.statusCode ?? 0 }));
      },
    );
    request.on('error', () => resolve({ sentAt, ackAt: nowMs(), status: 0 }));
    request.end(body);
  });
}

async function main(): Promise<void> {
  let input = '';
  for await (const chunk of process.stdin) input += String(chunk);
  const plan = JSON.parse(input) as LoadPlan;
  const url = new URL(plan.baseUrl);
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const started = nowMs();
  const pending = plan.bodies.map(async (body, i) => {
    if (plan.rate > 0) {
      const due = started + (i * 1000) / plan.rate;
      const wait = due - nowMs();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    return send(url, plan.secret, body, agent);
  });
  process.stdout.write(JSON.stringify(await Promise.all(pending)));
}

// Only ever run as a program (slack-load.ts imports its types alone).
void main();
