import type { CommandResult } from '../commands/results.js';
import type { Visibility } from '../commands/types.js';
import type { Failure } from '../core/failure.js';

export type { Failure };

/** Where a request came from and where its answers go. */
export interface ReplyTarget {
  requestId: string;
  channelId: string;
  userId: string;
  responseUrl: string | null;
  /** The text after `/ganeti`. */
  text: string;
  /** A form waiting for the answer: the result or failure updates it instead of posting. */
  viewId?: string;
  /** The cluster, when the bot serves several: answers name it. */
  cluster?: string;
}

/** The answers to one request. Implemented by the Slack adapter; the worker only sees this. */
export interface Reply {
  /** Shows or updates a progress line in the channel. */
  progress(text: string): Promise<void>;
  /**
   * The outcome, visible in the channel (replaces the progress line); with visibility
   * `requester`, shown only to the requester instead (and the progress line is removed).
   */
  result(result: CommandResult, options?: { visibility?: Visibility }): Promise<void>;
  /** An error, shown only to the requester (and the progress line is removed). */
  failure(failure: Failure): Promise<void>;
  /** Nothing more to say here (another message carries on): removes the progress line. */
  done(): Promise<void>;
}

export interface ReplySink {
  open(target: ReplyTarget): Reply;
}
