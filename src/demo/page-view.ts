import type { FakeMessage, FakeSlack } from './slack/fake-slack-types.js';
import type { PageMessage } from './page/message-html.js';
import type { SimCluster } from './simulator/model.js';
import { userName } from './demo-workspace.js';

/** One node as the page's cluster panel shows it. */
export interface PageNode {
  name: string;
  role: string;
  offline: boolean;
  drained: boolean;
  /** The fault injected from the page (or a test), if any. */
  fault: string | null;
  primaries: number;
  secondaries: number;
}

const byTs = (a: { ts: string }, b: { ts: string }) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0);

function toPageMessage(m: FakeMessage, slack: FakeSlack, replies: PageMessage[]): PageMessage {
  const postedAt = slack.postedAt(m.ts);
  return {
    ts: m.ts,
    author: m.bot_id === undefined ? userName(m.user) : 'ganeti',
    isBot: m.bot_id !== undefined,
    ...(m.text === undefined ? {} : { text: m.text }),
    ...(m.blocks === undefined ? {} : { blocks: m.blocks }),
    ...(m.attachments === undefined ? {} : { attachments: m.attachments }),
    edited: m.edited !== undefined,
    ephemeral: m.ephemeral_for !== undefined,
    ...(postedAt === undefined ? {} : { postedAt }),
    replies,
  };
}

/**
 * What `viewer` sees in `channel`, oldest first: the channel's messages with their thread replies
 * under them, and the ephemeral messages meant for the viewer alone, in between where they came.
 */
export function channelView(slack: FakeSlack, channel: string, viewer: string): PageMessage[] {
  const all = slack.messages(channel);
  const isReply = (m: FakeMessage) => m.thread_ts !== undefined && m.thread_ts !== m.ts;
  const repliesTo = new Map<string, FakeMessage[]>();
  for (const m of all.filter(isReply)) {
    const key = m.thread_ts ?? '';
    repliesTo.set(key, [...(repliesTo.get(key) ?? []), m]);
  }
  const inChannel = (m: FakeMessage) => !isReply(m) || m.reply_broadcast === true;
  const top = [...all.filter(inChannel), ...slack.ephemeral(channel, viewer)].sort(byTs);
  return top.map((m) =>
    toPageMessage(
      m,
      slack,
      isReply(m) ? [] : (repliesTo.get(m.ts) ?? []).map((r) => toPageMessage(r, slack, [])),
    ),
  );
}

/** The nodes, for the page's panel that kills and revives them. */
export function clusterView(cluster: SimCluster): PageNode[] {
  return cluster.nodes.map((n) => ({
    name: n.name,
    role: n.role,
    offline: n.offline,
    drained: n.drained,
    fault: n.fault,
    primaries: cluster.instances.filter((i) => i.pnode === n.name).length,
    secondaries: cluster.instances.filter((i) => i.snode === n.name).length,
  }));
}
