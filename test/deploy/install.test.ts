/**
 * deploy/install.sh, run for real into a scratch root (DESTDIR) from a scratch checkout, with the
 * commands that would change this machine (useradd, chown, systemctl) and `id` replaced by
 * recorders on PATH. Run twice, as after an upgrade: the second run keeps what an operator wrote.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO } from './service-files.js';

let dir: string;
let app: string;
let bin: string;
const log = () => join(dir, 'calls.log');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gc-install-'));
  app = join(dir, 'checkout');
  bin = join(dir, 'bin');
  mkdirSync(join(app, 'dist'), { recursive: true });
  cpSync(join(REPO, 'deploy'), join(app, 'deploy'), { recursive: true });
  cpSync(join(REPO, '.env.example'), join(app, '.env.example'));
  writeFileSync(join(app, 'dist/main.js'), '// built\n');
  mkdirSync(bin);
  const recorder = (name: string, body = '') =>
    writeFileSync(join(bin, name), `#!/bin/sh\necho "${name} $*" >> "${log()}"\n${body}\n`, { mode: 0o755 });
  recorder('id', 'echo 0');
  recorder('useradd', `touch "${dir}/user-exists"`);
  recorder('getent', `[ -e "${dir}/user-exists" ]`);
  recorder('chown');
  recorder('systemctl');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function install(root: string, ...args: string[]): string {
  return execFileSync('/bin/sh', [join(app, 'deploy/install.sh'), ...args], {
    encoding: 'utf8',
    env: { PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`, DESTDIR: root },
  });
}
const calls = () => (existsSync(log()) ? readFileSync(log(), 'utf8').trim().split('\n') : []);
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('deploy/install.sh', () => {
  it('creates the user, the settings directory and the units, and keeps them as they are on a second run', () => {
    const root = join(dir, 'root');
    const etc = join(root, 'etc/ganeti-chatops');
    const first = install(root, '--init', 'systemd', '--ssh-key');
    expect(first).toMatch(/created the system user ganeti-chatops/);
    expect(calls()).toContain(
      'useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin ganeti-chatops',
    );
    expect(mode(etc)).toBe('750');
    expect(readFileSync(join(etc, 'env'), 'utf8')).toBe(readFileSync(join(REPO, '.env.example'), 'utf8'));
    expect([
      mode(join(etc, 'env')),
      mode(join(etc, 'id_ed25519')),
      mode(join(etc, 'id_ed25519.pub')),
    ]).toEqual(['640', '640', '644']);
    for (const path of [etc, join(etc, 'env'), join(etc, 'id_ed25519')])
      expect(calls()).toContain(`chown root:ganeti-chatops ${path}`);
    // A checkout elsewhere than /opt/ganeti-chatops: the units name it, and this node.
    const unit = readFileSync(join(root, 'etc/systemd/system/ganeti-chatops-worker@.service'), 'utf8');
    expect(unit).toContain(
      `ExecStart=${process.execPath} ${app}/dist/main.js --settings /etc/ganeti-chatops/env --roles worker --port %i`,
    );
    expect(unit).not.toContain('/opt/ganeti-chatops');
    expect(calls().filter((c) => c.startsWith('systemctl'))).toEqual([]); // not into a DESTDIR

    writeFileSync(join(etc, 'env'), 'SLACK_BOT_TOKEN=xoxb-the-operators\n');
    const key = readFileSync(join(etc, 'id_ed25519'), 'utf8');
    chmodSync(join(etc, 'env'), 0o600);
    const second = install(root, '--init', 'systemd', '--ssh-key');
    expect(second).toMatch(/user ganeti-chatops exists/);
    expect(second).toMatch(/kept .*\/etc\/ganeti-chatops\/env/);
    expect(readFileSync(join(etc, 'env'), 'utf8')).toBe('SLACK_BOT_TOKEN=xoxb-the-operators\n');
    expect(readFileSync(join(etc, 'id_ed25519'), 'utf8')).toBe(key);
    expect(mode(join(etc, 'env'))).toBe('640'); // permissions are put right again
    expect(calls().filter((c) => c.startsWith('useradd'))).toHaveLength(1);
  });

  it('installs the OpenRC script and a conf.d file it never overwrites', () => {
    const root = join(dir, 'openrc');
    install(root, '--init', 'openrc');
    const script = join(root, 'etc/init.d/ganeti-chatops');
    expect(mode(script)).toBe('755');
    expect(readFileSync(script, 'utf8')).toContain(`: "\${chatops_dir:=${app}}"`);
    expect(readFileSync(script, 'utf8')).toContain(`: "\${chatops_node:=${process.execPath}}"`);
    expect(calls()).toContain(`chown ganeti-chatops:ganeti-chatops ${join(root, 'var/log/ganeti-chatops')}`);
    const confd = join(root, 'etc/conf.d/ganeti-chatops');
    writeFileSync(confd, 'chatops_roles=bot\n');
    expect(install(root, '--init', 'openrc')).toMatch(/kept .*\/etc\/conf.d\/ganeti-chatops/);
    expect(readFileSync(confd, 'utf8')).toBe('chatops_roles=bot\n');
  });

  it('refuses to run from a checkout that was not built', () => {
    rmSync(join(app, 'dist'), { recursive: true });
    expect(() => install(join(dir, 'root'), '--init', 'systemd')).toThrow(
      /dist\/main.js is missing: run npm ci and npm run build/,
    );
  });
});
