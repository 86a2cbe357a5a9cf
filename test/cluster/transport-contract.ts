/**
 * The RemoteTransport contract (like bullmq's adapter conformance suite): every
 * implementation — the ssh2 transport, fakes, a future local one — must pass it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RemoteTransport } from '../../src/cluster/transport.js';

export interface TransportUnderTest {
  transport: RemoteTransport;
  cleanup(): Promise<void>;
}

/** Arguments that would do harm or get mangled if they ever reached a shell unquoted. */
export const HOSTILE_ARGS = [
  'inst1; reboot',
  '$(id)',
  '`id`',
  'a\'b"c',
  '*',
  'x > /tmp/pwned',
  '~',
  '\\',
  'héllo wörld ✓ 日本語 🚀',
  '',
  '  padded  ',
];

/** Registers the contract suite for one implementation; `makeTransport` runs once, before the tests. */
export function describeTransportContract(
  name: string,
  makeTransport: () => Promise<TransportUnderTest>,
): void {
  describe(`${name} meets the RemoteTransport contract`, () => {
    let subject: TransportUnderTest;
    const run: RemoteTransport['exec'] = (argv, options) => subject.transport.exec(argv, options);

    beforeAll(async () => {
      subject = await makeTransport();
    });
    afterAll(async () => {
      await subject?.cleanup();
    });

    it('has a label for logs', () => {
      expect(subject.transport.label).toMatch(/\S/);
    });

    it('delivers every argv element intact, shell metacharacters and all', async () => {
      const result = await run(['printf', '%s\\n', ...HOSTILE_ARGS]);
      expect(result).toEqual({ stdout: HOSTILE_ARGS.map((arg) => `${arg}\n`).join(''), stderr: '', code: 0 });
    });

    it('keeps a newline inside one argument', async () => {
      const result = await run(['printf', '[%s]', 'line1\nline2']);
      expect(result.stdout).toBe('[line1\nline2]');
    });

    it('returns a non-zero exit code and stderr instead of throwing', async () => {
      const result = await run(['sh', '-c', 'echo out; echo err >&2; exit 3']);
      expect(result).toEqual({ stdout: 'out\n', stderr: 'err\n', code: 3 });
    });

    it('reports a command ended by a signal with code null', async () => {
      const result = await run(['sh', '-c', 'kill -9 $$']);
      expect(result.code).toBeNull();
    });

    it('streams stdout through onStdout before the command ends', async () => {
      const chunks: string[] = [];
      let finished = false;
      let sawFirstLineEarly = false;
      const result = await run(['sh', '-c', 'echo one; sleep 0.3; echo two'], {
        onStdout: (chunk) => {
          chunks.push(chunk);
          if (chunk.includes('one') && !finished) sawFirstLineEarly = true;
        },
      }).finally(() => (finished = true));
      expect(sawFirstLineEarly).toBe(true);
      expect(chunks.join('')).toBe('one\ntwo\n');
      expect(result.stdout).toBe('one\ntwo\n');
    });

    it('decodes multi-byte UTF-8 split across chunks', async () => {
      // ~600 KB of 2-, 3- and 4-byte characters: chunk boundaries will fall inside characters.
      const script = "i=0; while [ $i -lt 20000 ]; do printf 'é✓🚀日本語'; i=$((i+1)); done";
      const streamed: string[] = [];
      const result = await run(['sh', '-c', script], { onStdout: (chunk) => streamed.push(chunk) });
      const expected = 'é✓🚀日本語'.repeat(20000);
      expect(result.stdout.length).toBe(expected.length);
      expect(result.stdout === expected).toBe(true);
      expect(streamed.join('') === expected).toBe(true);
    });

    it('runs 20 concurrent execs and returns each its own output', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) => run(['sh', '-c', `sleep 0.1; echo ${index}`])),
      );
      expect(results.map((result) => result.stdout)).toEqual(
        Array.from({ length: 20 }, (_, index) => `${index}\n`),
      );
      expect(results.every((result) => result.code === 0)).toBe(true);
    });
  });
}
