import type { z } from 'zod';
import type { AuditQuery, AuditRecord } from '../audit/audit-log.js';
import type { GanetiClient } from '../cluster/ganeti-client.js';
import type { GanetiInstance } from '../cluster/types.js';
import type { MonitorReader } from '../monitor/types.js';
import type { Role } from './authorize.js';
import type { CreateScope } from './new-instance.js';
import type { OperationPlan } from './operation-plan.js';
import type { CommandResult, HelpEntry } from './results.js';

/** How much a command can change: decides who may run it and whether it needs approval. */
export type Risk = 'read' | 'write' | 'destructive';

/** Who sees a command's answer: the whole channel (the default), or only the person who asked. */
export type Visibility = 'channel' | 'requester';

/**
 * A positional argument. `placeholder` is its word in `usage` (default: the name upper-cased);
 * `description` is what help and docs/commands.md say about it.
 */
export interface PositionalSpec {
  name: string;
  optional?: boolean;
  placeholder?: string;
  description: string;
}

/** A `--name` flag; `short` allows `-x`. A string flag's `value` is its placeholder in `usage`. */
export type FlagSpec =
  | { type: 'boolean'; short?: string; description: string }
  | { type: 'string'; short?: string; value: string; description: string };

/** How the words after the verb map onto named arguments, before the zod schema checks them. */
export interface ParamSpec {
  /** Positional arguments in order; `optional` ones may be left out (only at the end). */
  positionals?: PositionalSpec[];
  /** `--name VALUE` (string) or `--name` (boolean) flags. */
  flags?: Record<string, FlagSpec>;
}

/**
 * Where docs/commands.md lists a command: reads; changes that run at once; changes with
 * approval; node roles (drain, offline, …); recovering from a lost node or master.
 */
export type CommandGroup = 'read' | 'change' | 'approval' | 'node-role' | 'node-loss';

/** A worked example for help and docs/commands.md; test/docs checks that `line` parses. */
export interface CommandExample {
  /** What follows `/ganeti `, e.g. `instances web* --state stopped`. */
  line: string;
  /** What it does, in a few words. */
  what: string;
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
  /** Set for a project member creating an instance: the project it is made for. */
  createScope?: CreateScope;
  /** The clusters the bot serves and the one this command is for (bot-side commands, for `help`). */
  clusters?: { names: readonly string[]; current: string };
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
  /** What it does, at more length than `summary`: for `help VERB` and docs/commands.md. */
  details: string;
  /** At least one; each must parse (test/docs/command-definitions.test.ts). */
  examples: readonly [CommandExample, ...CommandExample[]];
  group: CommandGroup;
  risk: Risk;
  /**
   * `requester` for answers that are nobody else's business (console access). Default `channel`.
   * A `runsOn: 'bot'` command always answers only the requester and must say so.
   */
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
  /**
   * A form to fill in instead of typing the arguments (`/ganeti create` alone opens one): what
   * it offers, read from the cluster. The Slack adapter shows it as a modal.
   */
  form?: (ctx: CommandContext) => Promise<CommandResult>;
}

/** A definition with its argument type erased, as the registry holds it. */
export interface Command {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly summary: string;
  readonly usage: string;
  readonly details: string;
  readonly examples: readonly CommandExample[];
  readonly group: CommandGroup;
  readonly risk: Risk;
  /** The role needed when not the one the risk implies (authorize.ts decides). */
  readonly role: Role | undefined;
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
  /** Reads what the command's form offers; set for operations that have a form. */
  readonly form: ((ctx: CommandContext) => Promise<CommandResult>) | undefined;
}
