import type { z } from 'zod';
import type { AuditQuery, AuditRecord } from '../audit/audit-log.js';
import type { GanetiClient } from '../cluster/ganeti-client.js';
import type { GanetiInstance } from '../cluster/types.js';
import type { MonitorReader } from '../monitor/types.js';
import type { Role } from './authorize.js';
import type { OperationPlan } from './operation-plan.js';
import type { CommandResult, HelpEntry } from './results.js';

/** How much a command can change: decides who may run it and whether it needs approval. */
export type Risk = 'read' | 'write' | 'destructive';

/** Who sees a command's answer: the whole channel (the default), or only the person who asked. */
export type Visibility = 'channel' | 'requester';

/** How the words after the verb map onto named arguments, before the zod schema checks them. */
export interface ParamSpec {
  /** Positional arguments in order; `optional` ones may be left out (only at the end). */
  positionals?: Array<{ name: string; optional?: boolean }>;
  /** `--name VALUE` (string) or `--name` (boolean) flags; `short` allows `-x`. */
  flags?: Record<string, { type: 'string' | 'boolean'; short?: string }>;
}

/** What a running command may use. Built by the worker (or the bot, for `runsOn: 'bot'`). */
export interface CommandContext {
  cluster: GanetiClient;
  /** Shows a progress line to the requester (throttled by the caller). */
  progress: (text: string) => void;
  /** Every command's help entry, for `help`. */
  help: readonly HelpEntry[];
  /** Injected clock (ms), for durations. */
  now: () => number;
  /** Set for a project member: only these instances may be shown. */
  scope?: (instance: GanetiInstance) => boolean;
  /** The audit trail, for `audit`. */
  audit?: AuditReader;
  /** The health monitor's incidents, for `health`; absent when the monitor is off. */
  monitor?: MonitorReader;
}

/** Reading the audit trail (implemented in src/audit). */
export interface AuditReader {
  recent(query: AuditQuery): Promise<AuditRecord[]>;
}

interface DefinitionBase<S extends z.ZodType> {
  name: string;
  aliases?: string[];
  summary: string;
  /** e.g. `instances [PATTERN] [--node NODE] [--state STATE]` */
  usage: string;
  /** Longer explanation and examples for `help VERB`. */
  details?: string;
  risk: Risk;
  /** `requester` for answers that are nobody else's business (console access). Default `channel`. */
  visibility?: Visibility;
  /** The role needed, when not the one the risk implies (e.g. `audit`: a read for admins). */
  role?: Role;
  params: ParamSpec;
  schema: S;
}

/** A command that reads and answers. */
export interface CommandDefinition<S extends z.ZodType> extends DefinitionBase<S> {
  /** `bot` for commands that need no cluster (help); they run in the Slack process. */
  runsOn?: 'bot' | 'worker';
  run: (ctx: CommandContext, args: z.output<S>) => Promise<CommandResult>;
}

/**
 * A command that changes the cluster: `plan` runs the pre-checks and says what will happen;
 * the plan is then confirmed (destructive) or run at once (write), each step exactly once.
 */
export interface OperationDefinition<S extends z.ZodType> extends DefinitionBase<S> {
  risk: 'write' | 'destructive';
  plan: (ctx: CommandContext, args: z.output<S>) => Promise<OperationPlan>;
}

/** A definition with its argument type erased, as the registry holds it. */
export interface Command {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly summary: string;
  readonly usage: string;
  readonly details: string | undefined;
  readonly risk: Risk;
  readonly visibility: Visibility;
  readonly runsOn: 'bot' | 'worker';
  readonly params: ParamSpec;
  /** Validates raw arguments (from the parser or from a dequeued job); throws UserError. */
  validate(raw: Record<string, unknown>): Record<string, unknown>;
  /** A query answers with `run`; an operation is planned with `plan`, then executed. */
  readonly kind: 'query' | 'operation';
  /** Validates `raw` again and runs (queries). */
  run(ctx: CommandContext, raw: Record<string, unknown>): Promise<CommandResult>;
  /** Validates `raw` again and plans (operations). */
  plan(ctx: CommandContext, raw: Record<string, unknown>): Promise<OperationPlan>;
}
