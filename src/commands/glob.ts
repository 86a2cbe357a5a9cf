/** The regex source for a shell-style glob: `*` any run of characters, `?` one; the rest literal. */
export function globSource(pattern: string): string {
  return pattern
    .replace(/[.+^${}()|[\]\\-]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
}
