import { z } from 'zod';
import type { OperationPlan } from '../commands/operation-plan.js';

/** Where a message lives: a channel message we can edit, or a response_url (5 uses, 30 min). */
export type MessageRef = { channel: string; ts: string; thread?: string } | { responseUrl: string };

/** A Slack message timestamp, e.g. 1733080000.000100. */
export const slackTsSchema = z.string().regex(/^\d{6,12}\.\d{1,8}$/, 'not a Slack message timestamp');

export const messageRefSchema: z.ZodType<MessageRef> = z.union([
  z.object({ channel: z.string().min(1), ts: z.string().min(1), thread: slackTsSchema.optional() }).strict(),
  z.object({ responseUrl: z.url() }).strict(),
]);

/**
 * A changing request's life: pending (waiting for confirmation) → approved → running → done,
 * or pending → denied | expired | cancelled. Moves are atomic (request-store.ts).
 */
export const REQUEST_STATES = [
  'pending',
  'approved',
  'running',
  'done',
  'denied',
  'expired',
  'cancelled',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** One step's progress; kept in the BullMQ job so a restarted worker resumes, never resubmits. */
export const STEP_STATUSES = [
  'pending',
  /** Submission started; if the worker died here, the job is found again by its reason. */
  'submitting',
  'submitted',
  'success',
  'error',
  'canceled',
  /** Ganeti refused it before queueing a job: nothing ran. */
  'refused',
  /** The bot cannot tell whether Ganeti got it; it does nothing more and says so. */
  'unknown',
] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const FINAL_STEP_STATUSES: ReadonlySet<StepStatus> = new Set([
  'success',
  'error',
  'canceled',
  'refused',
  'unknown',
]);

export interface StepState {
  status: StepStatus;
  jobId: number | null;
  submittingAt: number | null;
  startedAt: number | null;
  endedAt: number | null;
  error: string | null;
  /** Log lines already posted to the thread, so a resumed worker does not repeat them. */
  logSeen: number;
}

export const stepStateSchema: z.ZodType<StepState> = z.object({
  status: z.enum(STEP_STATUSES),
  jobId: z.number().int().positive().nullable(),
  submittingAt: z.number().nullable(),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  error: z.string().nullable(),
  logSeen: z.number().int().min(0),
});

export const newStepState = (): StepState => ({
  status: 'pending',
  jobId: null,
  submittingAt: null,
  startedAt: null,
  endedAt: null,
  error: null,
  logSeen: 0,
});

/** A request for a changing command, with its plan, as stored while it waits and runs. */
export interface OperationRequest {
  requestId: string;
  command: string;
  text: string;
  risk: 'write' | 'destructive';
  userId: string;
  channelId: string;
  responseUrl: string | null;
  plan: OperationPlan;
  createdAt: number;
  /** When a pending request expires (ms); null for requests that need no confirmation. */
  expiresAt: number | null;
  /** Who approves: another approver (two-person rule) or the requester themselves. */
  approval: 'two-person' | 'self';
  /** Post the card in this thread (an incident's message) instead of the channel itself. */
  threadTs?: string;
  /** The cluster it changes, when the bot serves several (absent: the default one). */
  cluster?: string;
}

/** The neutral picture of an operation that the Slack side renders (card, progress, outcome). */
export interface OperationView {
  request: OperationRequest;
  state: RequestState;
  decidedBy: string | null;
  steps: Array<{ key: string; label: string } & StepState>;
  /** Overall result once done. */
  outcome: 'success' | 'failed' | 'partial' | 'unknown' | null;
  durationMs: number | null;
}
