import type { Failure } from '../core/failure.js';
import type { MessageRef, OperationView } from './operation-types.js';

/**
 * How operations talk to people. Implemented by the Slack adapter; never throws (failures to
 * post are logged there), so a Slack outage cannot stop a running operation.
 */
export interface OperationReporter {
  /** Posts the card/progress message (ref null) or edits it; returns where it is. */
  show(view: OperationView, ref: MessageRef | null): Promise<MessageRef | null>;
  /** Ganeti's log lines, in the message's thread (skipped where there is no thread). */
  thread(ref: MessageRef, lines: string[]): Promise<void>;
  /** The final outcome, visible in the channel. */
  announce(view: OperationView, ref: MessageRef | null): Promise<void>;
  /** A message for one person only. */
  tell(
    to: { channelId: string; userId: string; responseUrl: string | null },
    failure: Failure,
  ): Promise<void>;
}
