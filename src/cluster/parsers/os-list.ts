/**
 * Parses `gnt-os list --no-headers`: one OS name a line (`noop`, `debootstrap+default`), in
 * Ganeti's order. Blank lines are dropped; no output means no OS is installed.
 */
export function parseOsList(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
