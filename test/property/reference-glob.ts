/**
 * The reference for glob matching in the property tests: `*` any run of characters (none
 * included), `?` exactly one (a UTF-16 code unit, as in src/core/glob.ts), anything else
 * literal. Dynamic programming, one pattern character at a time: `row[i]` says whether the first
 * i characters of the text match the pattern so far. Obviously right, and quadratic at worst.
 */
export function referenceMatch(text: string, pattern: string): boolean {
  let row = [true, ...Array.from({ length: text.length }, () => false)];
  for (let j = 0; j < pattern.length; j += 1) {
    const p = pattern[j];
    const next = [row[0] === true && p === '*'];
    for (let i = 1; i <= text.length; i += 1) {
      next.push(
        p === '*'
          ? row[i] === true || next[i - 1] === true
          : row[i - 1] === true && (p === '?' || p === text[i - 1]),
      );
    }
    row = next;
  }
  return row[text.length] === true;
}
