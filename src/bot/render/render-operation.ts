import type { Button, KnownBlock } from '@slack/types';
import type { OperationRequest, OperationView, StepStatus } from '../../queue/operation-types.js';
import {
  actions,
  button,
  context,
  esc,
  fitMessage,
  header,
  linesWithin,
  section,
  type SlackMessage,
} from './blocks.js';
import { duration } from './format.js';
import { slackDate } from '../../core/slack-date.js';

/** Action ids of the card's buttons; the value is the request id. */
export const ACTION_APPROVE = 'op_approve';
/** Approve by typing the instance's name (`plan.confirmName`): opens a form, not a dialog. */
export const ACTION_APPROVE_NAMED = 'op_approve_named';
export const ACTION_DENY = 'op_deny';
export const ACTION_CANCEL = 'op_cancel';

const STEP_ICON: Record<StepStatus, string> = {
  pending: '◻️',
  submitting: '⏳',
  submitted: '⏳',
  success: '✅',
  error: '❌',
  canceled: '✖️',
  refused: '⛔',
  unknown: '❓',
};

function headline(view: OperationView): string {
  const title = view.request.plan.title;
  switch (view.state) {
    case 'pending':
      return view.request.approval === 'self' ? `🟡 Confirm: ${title}?` : `🟡 Approval needed: ${title}?`;
    case 'approved':
      return `⏳ ${title}: starting`;
    case 'running':
      return `⏳ ${title}: running`;
    case 'denied':
      return `🚫 ${title}: denied`;
    case 'expired':
      return `⌛ ${title}: expired`;
    case 'cancelled':
      return `✖️ ${title}: cancelled`;
    case 'done':
      return {
        success: `✅ ${title}: done`,
        failed: `❌ ${title}: failed`,
        partial: `⚠️ ${title}: partly done`,
        unknown: `❓ ${title}: outcome unknown`,
        none: `✅ ${title}: done`,
      }[view.outcome ?? 'none'];
  }
}

function stepLine(step: OperationView['steps'][number], now: number): string {
  const took = step.startedAt ? duration((step.endedAt ?? now) - step.startedAt) : null;
  const parts = [
    `${STEP_ICON[step.status]} ${esc(step.label)}`,
    step.jobId ? `job ${step.jobId}` : null,
    step.status === 'submitted' ? 'running' : step.status,
    took && step.status !== 'pending' ? took : null,
  ].filter((p): p is string => p !== null);
  return parts.join(' · ') + (step.error ? `\n      ${esc(step.error)}` : '');
}

function decision(view: OperationView): string | null {
  const by = view.decidedBy ? `<@${view.decidedBy}>` : null;
  if (view.state === 'cancelled') return by ? `Cancelled by ${by}.` : 'Cancelled.';
  if (view.state === 'denied') return by ? `Denied by ${by}.` : 'Denied.';
  if (view.state === 'expired')
    return 'Nobody confirmed it in time; nothing was run. Ask again if it is still needed.';
  if (view.request.risk === 'destructive' && by)
    return `${view.request.approval === 'self' ? 'Confirmed' : 'Approved'} by ${by}.`;
  return null;
}

/** The card (pending), the live progress (running) and the outcome (done): one message throughout. */
export function renderOperation(view: OperationView, now: number = Date.now()): SlackMessage {
  const { request } = view;
  const { plan } = request;
  const blocks: KnownBlock[] = [header(headline(view)), section(`*${esc(plan.summary)}*`)];
  if (view.state === 'pending') {
    if (plan.checks.length)
      blocks.push(section(linesWithin(['*Pre-checks*', ...plan.checks.map((c) => `✓ ${c}`)])));
    if (plan.warnings.length) blocks.push(section(linesWithin(plan.warnings.map((w) => `⚠️ ${w}`))));
    if (plan.attestation) blocks.push(section(`*Approving confirms:* ${esc(plan.attestation)}`));
    if (plan.confirmName)
      blocks.push(section(`*To approve,* type \`${esc(plan.confirmName)}\` in the form that Approve opens.`));
    const self = request.approval === 'self';
    blocks.push(
      section(
        self
          ? `<@${request.userId}> asks for this; they confirm it themselves.`
          : `<@${request.userId}> asks for this. An approver other than them has to approve it.`,
      ),
      actions(`op-${request.requestId}`, [
        ...decisionButtons(request),
        button(ACTION_CANCEL, 'Cancel request', request.requestId),
      ]),
    );
  } else if (view.state === 'running' || view.state === 'done' || view.state === 'approved') {
    blocks.push(section(linesWithin(view.steps.map((s) => stepLine(s, now)))));
  } else if (plan.warnings.length) {
    blocks.push(section(linesWithin(plan.warnings.map((w) => `⚠️ ${w}`))));
  }
  const said = decision(view);
  if (said) blocks.push(section(said));
  const meta = [
    `\`/ganeti ${esc(request.text.slice(0, 200))}\` · asked by <@${request.userId}>`,
    `request \`${request.requestId}\``,
    ...(request.cluster ? [`cluster \`${esc(request.cluster)}\``] : []),
  ];
  if (view.state === 'pending' && request.expiresAt) meta.push(`expires ${slackDate(request.expiresAt)}`);
  if (view.durationMs !== null && view.state !== 'pending') meta.push(`took ${duration(view.durationMs)}`);
  blocks.push(context(...meta));
  return fitMessage(`${headline(view)}: ${plan.summary}`, blocks, (n) => `…${n} more blocks left out.`);
}

/** One line for the channel when an operation ends. */
export function renderOutcome(view: OperationView): string {
  const failed = view.steps.filter((s) => s.status !== 'success');
  const base = `${headline(view)} (${esc(view.request.plan.summary)})${view.durationMs !== null ? ` in ${duration(view.durationMs)}` : ''}`;
  if (failed.length === 0) return base;
  const shown = failed
    .slice(0, 5)
    .map((s) => `• ${esc(s.label)}: ${s.status}${s.error ? ` — ${esc(s.error)}` : ''}`);
  return [base, ...shown, ...(failed.length > 5 ? [`…and ${failed.length - 5} more`] : [])].join('\n');
}

/**
 * Approve (or Approve…, which opens the name form) and Deny, with Slack's confirm dialogs: on the
 * card, and in the approver's App Home.
 */
export function decisionButtons(request: OperationRequest): Button[] {
  const { plan } = request;
  const self = request.approval === 'self';
  return [
    plan.confirmName
      ? button(ACTION_APPROVE_NAMED, self ? 'Confirm…' : 'Approve…', request.requestId, {
          style: 'danger',
        })
      : button(ACTION_APPROVE, self ? 'Confirm' : 'Approve', request.requestId, {
          style: 'danger',
          confirm: {
            title: `${plan.title}?`,
            text: plan.attestation
              ? `${plan.attestation}\n${plan.summary}`
              : `${plan.summary}\nThis changes the cluster now.`,
            yes: 'Run it',
            no: 'Not yet',
          },
        }),
    ...(self
      ? []
      : [
          button(ACTION_DENY, 'Deny', request.requestId, {
            confirm: {
              title: 'Deny this request?',
              text: `${plan.summary}\nNothing will run.`,
              yes: 'Deny',
              no: 'Back',
            },
          }),
        ]),
  ];
}
