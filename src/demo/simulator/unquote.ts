import { quoteArgv } from '../../cluster/shell-quote.js';

/**
 * Splits a command string back into the argv the bot's transport quoted
 * (src/cluster/shell-quote.ts): words separated by one space, each bare (only safe characters) or
 * single-quoted with `'\''` for a quote. Anything else is refused, and so is any string that
 * quoteArgv would not have produced for the argv read from it: no shell syntax ever gets through.
 *
 * @returns the argv, or null when the string is not exactly what quoteArgv makes.
 */
export function unquoteArgv(command: string): string[] | null {
  const argv: string[] = [];
  let i = 0;
  while (i < command.length) {
    let word = '';
    let quoted = false;
    while (i < command.length && command[i] !== ' ') {
      if (command[i] === "'") {
        const close = command.indexOf("'", i + 1);
        if (close === -1) return null;
        word += command.slice(i + 1, close);
        i = close + 1;
        quoted = true;
      } else if (command.startsWith("\\'", i) && quoted) {
        word += "'";
        i += 2;
      } else {
        const start = i;
        while (i < command.length && !" '\\".includes(command[i] ?? '')) i += 1;
        if (i === start) return null;
        word += command.slice(start, i);
      }
    }
    argv.push(word);
    if (i < command.length) {
      i += 1; // the one space between words
      if (i === command.length) return null;
    }
  }
  if (argv.length === 0) return null;
  try {
    return quoteArgv(argv) === command ? argv : null;
  } catch {
    return null;
  }
}
