import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeSlack, RecordedCall } from '../../../src/demo/slack/fake-slack.js';
import { blockActionPayload, sendInteraction } from '../../../src/demo/slack/slack-requests.js';
import { SIGNING_SECRET, type Harness } from './harness.js';

/**
 * The Ganeti lab's fault injection (`fault.sh`, from GANETI_TEST_LAB_DIR that scripts/test.sh
 * exports): tests that cut links or power nodes off need the lab, not just any cluster.
 */
const labDir = process.env.GANETI_TEST_LAB_DIR ?? null;
export const labAvailable = labDir !== null && existsSync(join(labDir, 'fault.sh'));
if (!labAvailable && process.env.GANETI_TEST_REQUIRE_CLUSTER === '1') {
  // CI (.ci/run) always has the lab: a fault test must never skip there.
  throw new Error('GANETI_TEST_REQUIRE_CLUSTER=1 but GANETI_TEST_LAB_DIR is not the Ganeti lab (fault.sh)');
}

export function fault(
  action: 'link-down' | 'link-up' | 'power-off' | 'power-on' | 'stop-noded' | 'start-noded',
  node: number,
): void {
  execFileSync(join(labDir ?? '', 'fault.sh'), [action, String(node)], { stdio: 'ignore', timeout: 120_000 });
}

/** Installs contrib/ganeti-chatops-ssh-command for the bot's key on the lab nodes. */
const FORCED_COMMAND_SCRIPT = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../scripts/lab-forced-command.sh',
);

/** Rebuilds the lab from scratch (about a minute): after tests that leave it changed for good. */
export function freshLab(): void {
  execFileSync(join(labDir ?? '', 'up.sh'), ['--fresh'], { stdio: 'ignore', timeout: 600_000 });
  // The rebuild removed every node's state, the bot's restricted key and its forced command with
  // it: put them back when the bot logs in through them (scripts/test.sh).
  if (process.env.GANETI_TEST_BOT_SSH_KEY_FILE) {
    execFileSync(FORCED_COMMAND_SCRIPT, ['install'], {
      env: { ...process.env, GANETI_LAB_DIR: labDir ?? '' },
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 120_000,
    });
  }
}

/** A top-level message of the monitor in `channel` (not a thread reply). */
export const isAlert = (channel: string) => (c: RecordedCall) =>
  c.method === 'chat.postMessage' &&
  c.body.channel === channel &&
  c.body.thread_ts === undefined &&
  c.status === 200;

/** Every blocks' text of a recorded message, for matching. */
export const textOf = (c: RecordedCall) => `${String(c.body.text)} ${JSON.stringify(c.body.blocks ?? '')}`;

/** The value of an incident button (`INCIDENT|NODE`) in a recorded message. */
export function buttonValue(message: RecordedCall, actionId: string, node?: string): string {
  const blocks = (message.body.blocks ?? []) as Array<{
    type: string;
    elements?: Array<{ action_id?: string; value?: string }>;
  }>;
  const found = blocks
    .flatMap((b) => b.elements ?? [])
    .find((e) => e.action_id === actionId && (!node || e.value?.endsWith(`|${node}`)));
  if (!found?.value)
    throw new Error(`no ${actionId} button in that message: ${textOf(message).slice(0, 400)}`);
  return found.value;
}

/** Clicks a button of a message the bot posted (a signed block_actions request). */
export async function clickButton(
  h: Harness,
  message: RecordedCall,
  actionId: string,
  value: string,
  user: string,
) {
  const channel = String(message.body.channel);
  const responseUrl = h.slack.newResponseUrl({ channel });
  const ts = (message.result as { ts?: string }).ts ?? '';
  const payload = blockActionPayload({ user, channel, actionId, value, messageTs: ts, responseUrl });
  return sendInteraction(h.baseUrl, SIGNING_SECRET, payload);
}

/** The replies in a message's thread, oldest first. */
export function threadOf(slack: FakeSlack, message: RecordedCall): RecordedCall[] {
  const ts = (message.result as { ts?: string }).ts;
  return slack.calls.filter((c) => c.method === 'chat.postMessage' && c.body.thread_ts === ts);
}

/** The newest version of a message: its last chat.update, or the post itself. */
export function latest(slack: FakeSlack, message: RecordedCall): RecordedCall {
  const ts = (message.result as { ts?: string }).ts;
  return slack.calls.filter((c) => c.method === 'chat.update' && c.body.ts === ts).at(-1) ?? message;
}

/** Waits until `probe` returns something, polling every 250 ms. */
export async function eventually<T>(
  what: string,
  probe: () => T | null | Promise<T | null>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Runs a command inside lab node N (`in-node.sh`): the tests' own hands on a node. Asynchronous,
 * so a bot running in the test's process goes on meanwhile (its timers, keep-alives, locks).
 */
export async function inNode(node: number, argv: string[], timeoutMs = 180_000): Promise<string> {
  const { stdout } = await promisify(execFile)(join(labDir ?? '', 'in-node.sh'), [String(node), ...argv], {
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return stdout;
}

/** The network namespace of lab node N (its holder process's), as /proc shows it. */
function nodeNetns(node: number): string {
  const stateDir = process.env.LAB_DIR ?? '/var/lib/ganeti-lab';
  const holder = readFileSync(join(stateDir, `node${node}`, 'holder.pid'), 'utf8').trim();
  return readlinkSync(`/proc/${holder}/ns/net`);
}

/**
 * Stops the real sshd of lab node N, its listener and every session (so a command in flight
 * loses its connection): the sshd processes in that node's network namespace, by pid, as the
 * lab's own scripts find them. Returns how many were ended.
 */
export function stopSshd(node: number): number {
  const netns = nodeNetns(node);
  let ended = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readlinkSync(`/proc/${pid}/ns/net`) !== netns) continue;
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'sshd') continue;
      process.kill(Number(pid), 'SIGKILL');
      ended += 1;
    } catch {
      // gone meanwhile
    }
  }
  return ended;
}

/** Starts lab node N's sshd again, as the lab does at boot. */
export async function startSshd(node: number): Promise<void> {
  await inNode(node, ['/usr/sbin/sshd']);
}
