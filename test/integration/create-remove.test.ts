import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../src/demo/slack/fake-slack.js';
import {
  blockActionPayload,
  sendInteraction,
  viewSubmissionPayload,
  type ModalAnswers,
} from '../../src/demo/slack/slack-requests.js';
import { NO_CLUSTER_NOTE, onMaster, testCluster } from './support/cluster-env.js';
import { ADMIN, APPROVER, SIGNING_SECRET, startHarness, type Harness } from './support/harness.js';

const cluster = testCluster();
if (!cluster) console.warn(NO_CLUSTER_NOTE);

const MEMBER = 'U0WEBDEV';
const POLICY = `projects:
  - name: web
    members: [${MEMBER}]
    instances: { tags: ['project:web'], patterns: ['web*'] }
    actions: [create, info]
`;
/** Names this file creates: removed after it, whatever happened. */
const NEW = 'itest-new1.ganeti.test';
const WEB = 'web-itest1.ganeti.test';
/** IPs for their NICs (the lab's NICs are routed, so Ganeti wants one); nothing answers on them. */
const IP = { admin: '198.51.100.151', web: '198.51.100.152' };

type Json = Record<string, unknown>;
const isCard = (c: RecordedCall, title: string) =>
  (c.method === 'chat.postMessage' || c.method === 'chat.update') &&
  (c.result as { ok?: boolean }).ok === true &&
  JSON.stringify(c.body.blocks ?? '').includes(title);
const instanceExists = (name: string) =>
  onMaster(cluster!, 'gnt-instance list --no-headers -o name').split('\n').includes(name);

describe.runIf(cluster)('create and remove an instance from Slack forms, on the lab', () => {
  let h: Harness;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gc-create-'));
    writeFileSync(join(dir, 'chatops.yaml'), POLICY);
    h = await startHarness({
      cluster: cluster ?? undefined,
      env: { GANETI_CHATOPS_CONFIG: join(dir, 'chatops.yaml'), ACCESS_VIEWERS: 'U0VIEWER' },
    });
  });
  afterAll(async () => {
    await h?.stop();
    rmSync(dir, { recursive: true, force: true });
    for (const name of [NEW, WEB])
      if (cluster && instanceExists(name)) onMaster(cluster, `gnt-instance remove -f ${name}`);
  });

  /** `/ganeti create` as `user`: the form the worker filled in (a views.update of the loading one). */
  async function openForm(user: string): Promise<Json> {
    expect((await h.command('create', { user_id: user })).status).toBe(200);
    const opened = await h.slack.waitFor((c) => c.method === 'views.open', { timeoutMs: 10_000 });
    const id = String((opened.result as { view: { id: string } }).view.id);
    const filled = await h.slack.waitFor(
      (c) =>
        c.method === 'views.update' && c.body.view_id === id && (c.result as { ok?: boolean }).ok === true,
      { timeoutMs: 30_000 },
    );
    expect((filled.body.view as Json).callback_id).toBe('create_instance');
    return h.slack.modal(id)!;
  }
  const submit = async (user: string, view: Json, answers: ModalAnswers) => {
    const answer = await sendInteraction(
      h.baseUrl,
      SIGNING_SECRET,
      viewSubmissionPayload({ user, view, answers }),
    );
    expect(answer.status).toBe(200);
    return answer.json as { response_action: string; errors?: Record<string, string>; view?: Json };
  };
  /** Approves a card as `user` by clicking Approve (its confirm dialog is Slack's, not ours). */
  const approve = (card: RecordedCall, actionId = 'op_approve', user = APPROVER) =>
    sendInteraction(
      h.baseUrl,
      SIGNING_SECRET,
      blockActionPayload({
        user,
        channel: String(card.body.channel),
        actionId,
        value: cardValue(card),
        messageTs: String((card.result as { ts: string }).ts),
        responseUrl: h.slack.newResponseUrl({ channel: String(card.body.channel) }),
      }),
    );
  const cardValue = (card: RecordedCall) =>
    String(JSON.stringify(card.body.blocks).match(/"value":"(req-[a-z0-9]+-[a-z0-9]+)"/)?.[1]);

  it('refuses invalid fields in the form, then creates the instance from a valid one', async () => {
    const form = await openForm(ADMIN);
    const text = JSON.stringify(form.blocks);
    expect(text).toContain('"noop"'); // the OS from gnt-os list
    expect(text).toContain('diskless'); // a template the cluster enables
    expect(text).toContain('node1.ganeti.test'); // nodes with their free memory
    expect(text).toContain('the cluster’s NICs are routed');

    const refused = await submit(ADMIN, form, {
      name: 'inst1.ganeti.test',
      os: { selected: 'noop' },
      template: { selected: 'diskless' },
      memory: '900G',
      vcpus: '1',
      ip: '198.51.100.300',
    });
    expect(refused.response_action).toBe('errors');
    expect(refused.errors?.name).toBe('An instance inst1.ganeti.test already exists.');
    expect(refused.errors?.memory).toMatch(
      /^No node has room for 900G: the most memory free on a usable node is /,
    );
    expect(refused.errors?.ip).toBe('198.51.100.300 is not an IPv4 address.');

    h.slack.clearCalls();
    const accepted = await submit(ADMIN, form, {
      name: NEW,
      os: { selected: 'noop' },
      template: { selected: 'diskless' },
      memory: '128M',
      vcpus: '1',
      ip: IP.admin,
    });
    expect(accepted.response_action).toBe('update');
    expect(JSON.stringify(accepted.view)).toContain('approval card appears in <#C0OPS>');
    const card = await h.slack.waitFor((c) => isCard(c, `Create ${NEW}`), { timeoutMs: 30_000 });
    expect(JSON.stringify(card.body.blocks)).toContain('diskless, 128M memory, 1 vCPU');
    expect(instanceExists(NEW)).toBe(false); // nothing runs before the approval

    expect((await approve(card)).status).toBe(200);
    await h.slack.waitFor((c) => isCard(c, '✅') && JSON.stringify(c.body.blocks).includes(NEW), {
      timeoutMs: 90_000,
    });
    const row = onMaster(
      cluster!,
      `gnt-instance list --no-headers -o name,status,disk_template,be/memory ${NEW}`,
    );
    expect(row.trim().split(/\s+/)).toEqual([NEW, 'running', 'diskless', '128M']);
  }, 180_000);

  it('removes it only once the approver typed its name', async () => {
    expect(instanceExists(NEW)).toBe(true);
    await h.command(`remove ${NEW}`, { user_id: ADMIN });
    const card = await h.slack.waitFor((c) => isCard(c, `Remove ${NEW}`), { timeoutMs: 30_000 });
    expect(JSON.stringify(card.body.blocks)).toContain('op_approve_named');

    // A plain Approve click (no name typed) on this card is refused and nothing runs.
    h.slack.clearCalls();
    await approve(card, 'op_approve');
    const refusal = await h.slack.waitFor(
      (c) => JSON.stringify(c.body).includes('Approving this request takes typing'),
      { timeoutMs: 10_000 },
    );
    expect(refusal).toBeDefined();

    await approve(card, 'op_approve_named');
    const opened = await h.slack.waitFor((c) => c.method === 'views.open', { timeoutMs: 10_000 });
    const form = h.slack.modal(String((opened.result as { view: { id: string } }).view.id))!;
    expect(form.callback_id).toBe('approve_named');

    const wrong = await submit(APPROVER, form, { name: 'inst1' });
    expect(wrong.response_action).toBe('errors');
    expect(instanceExists(NEW)).toBe(true);

    const right = await sendInteraction(
      h.baseUrl,
      SIGNING_SECRET,
      viewSubmissionPayload({ user: APPROVER, view: form, answers: { name: NEW.split('.')[0] ?? '' } }),
    );
    expect(right.status).toBe(200);
    expect(right.body).toBe(''); // the form closes
    await h.slack.waitFor((c) => isCard(c, '✅') && JSON.stringify(c.body.blocks).includes(`Remove ${NEW}`), {
      timeoutMs: 90_000,
    });
    expect(instanceExists(NEW)).toBe(false);
  }, 180_000);

  it('creates a project member’s instance in their project, with its tag', async () => {
    const form = await openForm(MEMBER);
    const text = JSON.stringify(form.blocks);
    expect(text).toContain('for project *web* (tag `project:web`)');
    expect(text).not.toContain('"block_id":"tags"');

    h.slack.clearCalls();
    const accepted = await submit(MEMBER, form, {
      name: WEB,
      os: { selected: 'noop' },
      template: { selected: 'diskless' },
      memory: '128M',
      vcpus: '1',
      ip: IP.web,
    });
    expect(accepted.response_action).toBe('update');
    const card = await h.slack.waitFor((c) => isCard(c, `Create ${WEB}`), { timeoutMs: 30_000 });
    expect(JSON.stringify(card.body.blocks)).toContain('for project web (tag `project:web`)');
    expect((await approve(card, 'op_approve', ADMIN)).status).toBe(200);
    await h.slack.waitFor((c) => isCard(c, '✅') && JSON.stringify(c.body.blocks).includes(WEB), {
      timeoutMs: 90_000,
    });
    expect(onMaster(cluster!, `gnt-instance list --no-headers -o tags ${WEB}`).trim()).toBe('project:web');
  }, 180_000);
});
