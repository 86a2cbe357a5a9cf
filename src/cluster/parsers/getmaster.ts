/**
 * Parses `gnt-cluster getmaster`: the master node's name on one line.
 * @throws Error when the output is empty or is not a single name.
 */
export function parseGetMaster(stdout: string): string {
  const lines = stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const [name] = lines;
  if (name === undefined || lines.length !== 1 || /\s/.test(name)) {
    throw new Error(`gnt-cluster getmaster: expected one node name, got ${JSON.stringify(stdout)}`);
  }
  return name;
}
