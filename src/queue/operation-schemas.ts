import { z } from 'zod';
import { CLUSTER_NAME } from '../core/cluster-name.js';
import type { OperationPlan } from '../commands/operation-plan.js';
import { ganetiNameProblem } from '../commands/names.js';
import { OS, TAG } from '../commands/new-instance.js';
import { requestIdSchema } from './payloads.js';
import { messageRefSchema, slackTsSchema, type OperationRequest } from './operation-types.js';

/** Names read back from Redis are checked again: they end up in a gnt-* argv. */
const name = z.string().refine((n) => ganetiNameProblem(n) === null, 'not a valid Ganeti name');

/** The same shapes the create command's checks let through (src/commands/new-instance.ts). */
const instanceSpecSchema = z
  .object({
    os: z.string().regex(OS),
    template: z.enum([
      'diskless',
      'file',
      'sharedfile',
      'plain',
      'drbd',
      'rbd',
      'blockdev',
      'ext',
      'gluster',
    ]),
    memoryMb: z.number().int().min(1).max(9_999_999),
    vcpus: z.number().int().min(1).max(256),
    diskMb: z.number().int().min(1).max(999_999_999).nullable(),
    network: name.nullable(),
    ip: z.ipv4().nullable(),
    placement: z.object({ primary: name, secondary: name.nullable() }).strict().nullable(),
    tags: z.array(z.string().regex(TAG)).max(16),
  })
  .strict();

const actionSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('instance-startup'), instance: name }).strict(),
  z.object({ op: z.literal('instance-shutdown'), instance: name }).strict(),
  z.object({ op: z.literal('instance-reboot'), instance: name, hard: z.boolean() }).strict(),
  z.object({ op: z.literal('instance-failover'), instance: name, target: name.nullable() }).strict(),
  z
    .object({
      op: z.literal('instance-migrate'),
      instance: name,
      target: name.nullable(),
      allowFailover: z.boolean(),
    })
    .strict(),
  z
    .object({
      op: z.literal('node-set'),
      node: name,
      flag: z.enum(['drained', 'offline']),
      value: z.boolean(),
    })
    .strict(),
  z.object({ op: z.literal('instance-replace-secondary'), instance: name, node: name }).strict(),
  z.object({ op: z.literal('node-evacuate-secondaries'), node: name }).strict(),
  z.object({ op: z.literal('job-cancel'), jobId: z.number().int().positive() }).strict(),
  z.object({ op: z.literal('master-failover'), node: name, noVoting: z.boolean() }).strict(),
  z.object({ op: z.literal('instance-add'), instance: name, spec: instanceSpecSchema }).strict(),
  z.object({ op: z.literal('instance-remove'), instance: name }).strict(),
]);

export const planSchema: z.ZodType<OperationPlan> = z
  .object({
    title: z.string(),
    summary: z.string(),
    checks: z.array(z.string()),
    warnings: z.array(z.string()),
    sequential: z.boolean().optional(),
    attestation: z.string().max(300).optional(),
    confirmName: name.optional(),
    steps: z
      .array(
        z
          .object({
            key: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/),
            label: z.string(),
            action: actionSchema,
            first: z.boolean().optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export const operationRequestSchema: z.ZodType<OperationRequest> = z
  .object({
    requestId: requestIdSchema,
    command: z.string().min(1).max(40),
    text: z.string().max(1000),
    risk: z.enum(['write', 'destructive']),
    userId: z.string().min(1),
    channelId: z.string().min(1),
    responseUrl: z.url().nullable(),
    plan: planSchema,
    createdAt: z.number(),
    expiresAt: z.number().nullable(),
    approval: z.enum(['two-person', 'self']),
    threadTs: slackTsSchema.optional(),
    cluster: z.string().regex(CLUSTER_NAME).optional(),
  })
  .strict();

export { messageRefSchema };
