import type { Logger } from 'pino';
import type { CommandContext, Command } from '../commands/types.js';
import type { OperationPort } from './operation-deps.js';
import { buildView } from './operation-view.js';
import type { OperationRequest } from './operation-types.js';
import type { CommandJob } from './payloads.js';

/**
 * The first half of a changing command, in the worker: run its pre-checks (a UserError tells
 * the requester why not), store the request with its plan, then either post the confirmation
 * card (destructive) or queue the execution at once (write). Safe to repeat: a retried plan job
 * finds the request it stored and only finishes what is missing.
 */
export async function planOperation(
  command: Command,
  data: CommandJob,
  ctx: CommandContext,
  port: OperationPort,
  log: Logger,
): Promise<void> {
  let stored = await port.store.get(data.requestId);
  if (!stored) {
    const plan = await command.plan(ctx, data.args);
    const destructive = command.risk === 'destructive';
    const request: OperationRequest = {
      requestId: data.requestId,
      command: command.name,
      text: data.text,
      risk: destructive ? 'destructive' : 'write',
      userId: data.userId,
      channelId: data.channelId,
      responseUrl: data.responseUrl,
      plan,
      createdAt: port.now(),
      expiresAt: destructive ? port.now() + port.approvalTtlMs : null,
      approval: port.selfApprove.includes(command.name) ? 'self' : 'two-person',
      ...(data.threadTs ? { threadTs: data.threadTs } : {}),
      ...(data.cluster ? { cluster: data.cluster } : {}),
    };
    if (data.preapproved) {
      request.plan = { ...plan, attestation: data.preapproved.attestation };
      request.expiresAt = null;
    }
    // A write runs at once, on the requester's own authority; a pre-approved one on the monitor's.
    const approvedBy = data.preapproved?.by ?? (destructive ? null : data.userId);
    await port.store.create(request, approvedBy ? 'approved' : 'pending', approvedBy);
    stored = await port.store.get(data.requestId);
    if (!stored) throw new Error(`request ${data.requestId} vanished right after it was stored`);
    log.info({ steps: plan.steps.length, risk: request.risk }, `planned: ${plan.summary}`);
  }
  if (stored.state === 'pending') {
    if (!stored.card) {
      const card = await port.reporter.show(buildView(stored, {}, port.now(), null), null);
      if (card) await port.store.setCard(data.requestId, card);
    }
    await port.queue.scheduleExpiry(
      data.requestId,
      Math.max(0, (stored.request.expiresAt ?? port.now()) - port.now()),
      stored.request.cluster,
    );
  } else if (stored.state === 'approved') {
    await port.queue.execute(data.requestId, stored.request.cluster);
  }
}
