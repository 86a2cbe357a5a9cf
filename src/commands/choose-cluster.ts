import { UserError } from '../core/errors.js';
import { didYouMean } from './suggest.js';

/** Which clusters the bot serves and where each channel's commands go (config `routing`). */
export interface ClusterChoice {
  /** Every cluster's name; the first is the default. */
  names: readonly string[];
  /** Channel id → its default cluster. */
  channels: Readonly<Record<string, string>>;
}

/**
 * The cluster a command is for: `--cluster NAME`, else the channel's default, else the first
 * cluster. A name the bot does not serve is refused, with the names it does.
 */
export function chooseCluster(flag: string | null, channel: string, choice: ClusterChoice): string {
  if (flag !== null) {
    if (choice.names.includes(flag)) return flag;
    throw new UserError(
      'unknown_cluster',
      `\`${flag}\` is not a cluster of this bot.${didYouMean(flag, choice.names)} It serves ${choice.names.map((n) => `\`${n}\``).join(', ')}.`,
      { hint: 'Nothing was run. Pick one with `--cluster NAME`.' },
    );
  }
  return choice.channels[channel] ?? choice.names[0] ?? 'ganeti';
}
