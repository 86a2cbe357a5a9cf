import type { ContextBlock, KnownBlock } from '@slack/types';
import type { CommandResult } from '../../commands/results.js';
import { context, esc, fitMessage, type SlackMessage } from './blocks.js';
import { renderBalance } from './render-balance.js';
import { renderCapacity } from './render-capacity.js';
import { renderConsole } from './render-console.js';
import { renderAudit } from './render-audit.js';
import { renderHealth } from './render-health.js';
import { renderHelp } from './render-help.js';
import { renderInstanceInfo } from './render-instance-info.js';
import { renderInstances } from './render-instances.js';
import { renderJob, renderJobs } from './render-jobs.js';
import { renderNodes } from './render-nodes.js';
import { renderStatus } from './render-status.js';
import { renderVerify } from './render-verify.js';

/** Who asked what, shown under every answer posted in a channel. */
export interface RequestMeta {
  userId: string;
  text: string;
  /** The cluster, when the bot serves several. */
  cluster?: string;
}

function body(result: CommandResult): { text: string; blocks: KnownBlock[] } {
  switch (result.kind) {
    case 'audit':
      return renderAudit(result);
    case 'help':
      return renderHelp(result);
    case 'status':
      return renderStatus(result);
    case 'nodes':
      return renderNodes(result);
    case 'instances':
      return renderInstances(result);
    case 'instance-info':
      return renderInstanceInfo(result);
    case 'jobs':
      return renderJobs(result);
    case 'job':
      return renderJob(result);
    case 'verify':
      return renderVerify(result);
    case 'capacity':
      return renderCapacity(result);
    case 'health':
      return renderHealth(result);
    case 'balance':
      return renderBalance(result);
    case 'console':
      return renderConsole(result);
    case 'create-form':
      // Shown as a modal (src/bot/forms/); a message says only where it is.
      return {
        text: 'The create form',
        blocks: [
          context(`The form to create an instance on \`${esc(result.cluster)}\` is open in a Slack window.`),
        ],
      };
  }
}

export function requestContext(meta: RequestMeta): ContextBlock {
  const on = meta.cluster ? ` · cluster \`${esc(meta.cluster)}\`` : '';
  return context(`\`/ganeti ${esc(meta.text.slice(0, 200))}\` · asked by <@${meta.userId}>${on}`);
}

/** The one entry point from neutral results to a Slack message within Slack's limits. */
export function renderResult(result: CommandResult, meta: RequestMeta | null): SlackMessage {
  const { text, blocks } = body(result);
  const all = meta ? [...blocks, requestContext(meta)] : blocks;
  return fitMessage(text, all, (n) => `…${n} more blocks left out (Slack shows at most 50).`);
}
