import type { Role } from './config/app-config.js';

/** What the command line asks for: `ganeti-chatops [doctor] [--roles R] [--settings F] [--port N]`. */
export interface CliArgs {
  command: 'run' | 'doctor' | 'demo' | 'help' | 'version';
  /** `--roles bot,worker`; overrides GANETI_CHATOPS_ROLES. */
  roles?: Role[];
  /**
   * `--settings PATH`: read instead of `.env` in the working directory. (Not `--env-file`: Node 20
   * looks for a file named by `--env-file` even after the script's name, and exits if it is missing.)
   */
  envFile?: string;
  /** `--port N`: overrides PORT (several processes on one host). */
  port?: number;
}

export const USAGE = `usage: ganeti-chatops [doctor|demo] [--roles bot|worker|bot,worker] [--settings PATH] [--port N]

  (no command)  run the bot: the Slack side (bot), the cluster side (worker), or both
  doctor        check the configuration, Redis, Slack and SSH to the cluster; exit 1 on a failure
  demo          run the bot on a simulated cluster with a Slack-like page on 127.0.0.1 (--port,
                default 3000); nothing to configure
  --roles       which roles this process runs (default GANETI_CHATOPS_ROLES, else both)
  --settings    settings file of KEY=VALUE lines, read without a shell (default ./.env if present);
                values already in the environment win
  --port        HTTP port for /slack/events, /healthz, /readyz and /metrics (default PORT, 3000)
  --help, --version
`;

const ROLES: readonly Role[] = ['bot', 'worker'];

/** Parses argv (without node and the script); an unknown word or a misspelt role is an error. */
export function parseCliArgs(argv: readonly string[]): CliArgs | { error: string } {
  const out: CliArgs = { command: 'run' };
  const words = [...argv];
  while (words.length > 0) {
    const word = words.shift() as string;
    const eq = word.indexOf('=');
    const [flag, inline] =
      word.startsWith('--') && eq > 0 ? [word.slice(0, eq), word.slice(eq + 1)] : [word, undefined];
    const value = (): string | { error: string } => {
      const v = inline ?? words.shift();
      return v === undefined || v === '' ? { error: `${flag} needs a value` } : v;
    };
    switch (flag) {
      case '--roles': {
        const v = value();
        if (typeof v !== 'string') return v;
        const roles = v.split(',').map((r) => r.trim());
        const wrong = roles.filter((r) => !ROLES.includes(r as Role));
        if (wrong.length > 0 || roles.length === 0)
          return { error: `--roles: "${wrong.join(',') || v}" is not a role; use bot, worker or bot,worker` };
        out.roles = [...new Set(roles as Role[])];
        break;
      }
      case '--settings': {
        const v = value();
        if (typeof v !== 'string') return v;
        out.envFile = v;
        break;
      }
      case '--port': {
        const v = value();
        if (typeof v !== 'string') return v;
        if (!/^\d{1,5}$/.test(v) || Number(v) > 65535)
          return { error: `--port: "${v}" is not a port number` };
        out.port = Number(v);
        break;
      }
      case '--help':
      case '-h':
        return { command: 'help' };
      case '--version':
        return { command: 'version' };
      case 'doctor':
      case 'demo':
        if (out.command !== 'run') return { error: `"${word}": one command at a time` };
        out.command = flag === 'demo' ? 'demo' : 'doctor';
        break;
      default:
        return { error: `"${word}" is not an option or a command (ganeti-chatops --help lists them)` };
    }
  }
  return out;
}
