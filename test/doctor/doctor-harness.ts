import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { runDoctor, type DoctorOptions } from '../../src/doctor/doctor.js';

export interface DoctorRun {
  ok: boolean;
  /** Every line printed, summary included. */
  lines: string[];
  text: string;
  /** The first line whose check (the words after the status) starts with `what`. */
  line(what: string): string | undefined;
  /** The status of that line (`PASS`…), or undefined when there is none. */
  status(what: string): string | undefined;
}

/** Runs the doctor and keeps what it printed. Files are read from disk unless `files` has them. */
export async function doctor(
  env: Record<string, string | undefined>,
  options: Partial<Omit<DoctorOptions, 'env' | 'write'>> & { files?: Record<string, string> } = {},
): Promise<DoctorRun> {
  const chunks: string[] = [];
  const { files, ...rest } = options;
  const ok = await runDoctor({
    env,
    readFile: (path) => files?.[path] ?? readFileSync(path, 'utf8'),
    write: (text) => chunks.push(text),
    timeoutMs: 5_000,
    ...rest,
  });
  const text = chunks.join('');
  expect(text.endsWith('\n'), 'every line ends with a newline').toBe(true);
  const lines = text.split('\n').filter(Boolean);
  expect(chunks.length, 'one write per line').toBe(lines.length);
  const line = (what: string) =>
    lines.find((l) => /^(PASS|WARN|FAIL|SKIP) {2}/.test(l) && l.slice(6).startsWith(what));
  return { ok, lines, text, line, status: (what) => line(what)?.slice(0, 4) };
}

/** The check lines (without the summary) that are not PASS. */
export const notPassing = (run: DoctorRun) => run.lines.filter((l) => /^(WARN|FAIL|SKIP) {2}/.test(l));

export const ALERTS = 'C0ALERTS';
export const AUDIT = 'C0AUDIT';

/**
 * A good bot-role setup against the fake Slack (Socket Mode, both channels) and the given Redis.
 * Every test points SLACK_API_URL at the fake: nothing may reach the real Slack.
 */
export function botEnv(slackApiUrl: string, redisUrl: string): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_APP_TOKEN: 'xapp-test',
    SLACK_API_URL: slackApiUrl,
    REDIS_URL: redisUrl,
    ALERT_CHANNEL: ALERTS,
    AUDIT_CHANNEL: AUDIT,
    ACCESS_ADMINS: 'U0ADMIN',
  };
}
