import { z } from 'zod';
import { CLUSTER_NAME } from '../core/cluster-name.js';

/** A request id is the BullMQ job id: never all digits, no `:` (BullMQ's rules). */
export const requestIdSchema = z.string().regex(/^req-[a-z0-9]+-[a-z0-9]+$/, 'malformed request id');

/** What the bot puts on the queue for one slash command; parsed again when dequeued. */
export const commandJobSchema = z
  .object({
    requestId: requestIdSchema,
    command: z.string().min(1).max(40),
    /** Raw arguments as typed; the command's own schema checks them again in the worker. */
    args: z.record(z.string(), z.union([z.string().max(1000), z.boolean()])),
    /** The text after `/ganeti`, for messages and logs. */
    text: z.string().max(1000),
    userId: z.string().min(1).max(40),
    userName: z.string().max(100).optional(),
    channelId: z.string().min(1).max(40),
    /** Slack's response_url: works even where the bot is not a channel member (30 min, 5 uses). */
    responseUrl: z.url().nullable(),
    requestedAt: z.number().int().positive(),
    /** The requester's Slack user groups (those the policy mentions), looked up by the bot. */
    groups: z
      .array(z.string().regex(/^S[A-Z0-9]+$/))
      .max(100)
      .default([]),
    /** How the bot let the request through: a role, or provisionally a project (checked per instance). */
    /** The cluster it is for, when the bot serves several (absent: the default one). */
    cluster: z.string().regex(CLUSTER_NAME).optional(),
    /** A form (Slack modal) that waits for what the command offers: `/ganeti create` alone. */
    viewId: z
      .string()
      .regex(/^V[A-Z0-9]{1,30}$/)
      .optional(),
    /** Answer in this thread (a request made from an incident's message). */
    threadTs: z
      .string()
      .regex(/^\d{6,12}\.\d{1,8}$/)
      .optional(),
    /**
     * Set only by the health monitor for AUTO_EVACUATE: the request is approved by the monitor
     * itself, with what it attests (the node was fenced). Redis is inside the trust boundary.
     */
    preapproved: z
      .object({ by: z.string().min(1).max(40), attestation: z.string().max(300) })
      .strict()
      .optional(),
    grant: z.discriminatedUnion('via', [
      z.object({ via: z.literal('role'), role: z.enum(['viewer', 'operator', 'admin']) }).strict(),
      z.object({ via: z.literal('project'), projects: z.array(z.string()).min(1) }).strict(),
    ]),
  })
  .strict();

export type CommandJob = z.input<typeof commandJobSchema>;
export type ParsedCommandJob = z.output<typeof commandJobSchema>;

export function newRequestId(now: number, random: () => number = Math.random): string {
  return `req-${now.toString(36)}-${Math.floor(random() * 36 ** 8)
    .toString(36)
    .padStart(8, '0')}`;
}
