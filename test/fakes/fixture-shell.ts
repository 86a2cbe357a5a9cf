import type { MasterShell } from '../../src/cluster/master-shell.js';
import type { ExecOptions, ExecResult } from '../../src/cluster/transport.js';
import { readFixture } from '../support/fixtures.js';

/** What a scripted command answers: fixture names (test/fixtures) or literal text. */
export interface Scripted {
  stdout?: { fixture: string } | string;
  stderr?: { fixture: string } | string;
  code?: number;
}

const text = (v: Scripted['stdout']) =>
  v === undefined ? '' : typeof v === 'string' ? v : readFixture(v.fixture);

/**
 * A MasterShell that answers from captured real output, for unit tests of the layers above
 * the transport. The real shell over SSH is tested against sshd and the Ganeti lab.
 * Unscripted commands fail the test loudly; every call is recorded.
 */
export function fixtureShell(script: Record<string, Scripted>, master = 'node1.ganeti.test') {
  const calls: string[][] = [];
  const shell: MasterShell & { calls: string[][] } = {
    calls,
    async exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult> {
      calls.push([...argv]);
      const key = argv.join(' ');
      const answer = script[key];
      if (!answer) throw new Error(`fixtureShell: unscripted command: ${key}`);
      const stdout = text(answer.stdout);
      options?.onStdout?.(stdout);
      return { stdout, stderr: text(answer.stderr), code: answer.code ?? 0 };
    },
    execOn: (_node: string, argv: readonly string[], options?: ExecOptions) => shell.exec(argv, options),
    master: async () => master,
    survey: async () => ({
      answers: [{ label: 'fixture', self: master, says: master, error: null }],
      master,
      named: master,
      rivals: [],
    }),
    forget: () => undefined,
    close: async () => undefined,
  };
  return shell;
}
