// The demo page's client: shows what the fake Slack holds for the chosen user and channel
// (rendered on the server, src/demo/page-routes.ts), and sends what the user does to the server,
// which turns it into the signed requests Slack would send the bot.

const POLL_MS = 500;
const FAULTS = [
  ['', 'running'],
  ['unreachable', 'link cut'],
  ['noded-down', 'ganeti-noded stopped'],
  ['powered-off', 'powered off'],
];

const $ = (id) => document.getElementById(id);
const view = {
  user: '',
  channel: '',
  html: null,
  seen: {},
  closedThreads: new Set(),
  workspace: { users: [], channels: [] },
};

async function postJson(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error ?? `the demo server answered ${response.status}`);
  return answer;
}

function note(text) {
  $('composer-note').textContent = text;
}

function renderUsers() {
  const select = $('user');
  select.replaceChildren(
    ...view.workspace.users.map((u) => new Option(`${u.name} (${u.role.split(':')[0]})`, u.id)),
  );
  select.value = view.user;
  const me = view.workspace.users.find((u) => u.id === view.user);
  $('user-role').textContent = me ? me.role : '';
}

const HOME = { id: 'home', name: 'Home', purpose: 'the bot’s App Home: your dashboard' };

function renderChannels(counts) {
  const nav = $('channels');
  nav.replaceChildren(
    ...[HOME, ...view.workspace.channels].map((c) => {
      const link = document.createElement('a');
      link.href = `#${c.name}`;
      link.dataset.channel = c.id;
      link.textContent = c === HOME ? '⌂ Home' : `# ${c.name}`;
      const unread = (counts?.[c.id] ?? 0) - (view.seen[c.id] ?? 0);
      if (c.id === view.channel) link.classList.add('current');
      else if (unread > 0) {
        link.classList.add('unread');
        link.append(
          Object.assign(document.createElement('span'), { className: 'badge', textContent: unread }),
        );
      }
      return link;
    }),
  );
  const current = [HOME, ...view.workspace.channels].find((c) => c.id === view.channel);
  $('channel-name').textContent = current === HOME ? 'Home' : `#${current?.name ?? ''}`;
  $('composer-form').hidden = current === HOME;
  $('channel-purpose').textContent = current?.purpose ?? '';
}

function renderNodes(nodes) {
  const list = $('nodes');
  list.replaceChildren(
    ...nodes.map((n) => {
      const item = document.createElement('li');
      item.dataset.node = n.name;
      const state = n.fault ? 'down' : n.offline ? 'offline' : n.drained ? 'drained' : 'up';
      item.className = `node node-${state}`;
      const label = document.createElement('span');
      label.className = 'node-name';
      label.textContent = `${n.name.split('.')[0]}${n.role === 'master' ? ' (master)' : ''}`;
      const facts = document.createElement('span');
      facts.className = 'node-facts';
      facts.textContent = `${state} · ${n.primaries} primary, ${n.secondaries} secondary`;
      const select = document.createElement('select');
      select.setAttribute('aria-label', `Fault on ${n.name}`);
      for (const [value, text] of FAULTS) select.append(new Option(text, value));
      select.value = n.fault ?? '';
      select.addEventListener('change', () => {
        postJson('/demo/node', { node: n.name, fault: select.value === '' ? null : select.value })
          .then((answer) => renderNodes(answer.nodes))
          .catch((error) => note(error.message));
      });
      item.append(label, facts, select);
      return item;
    }),
  );
}

async function refresh() {
  const query = new URLSearchParams({ user: view.user, channel: view.channel });
  const response = await fetch(`/demo/state?${query}`);
  if (!response.ok) return;
  const state = await response.json();
  view.seen[view.channel] = state.counts[view.channel] ?? 0;
  renderChannels(state.counts);
  if (document.activeElement?.closest?.('#nodes') == null) renderNodes(state.nodes);
  if (state.html === view.html) return;
  const box = $('messages');
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  box.innerHTML = state.html;
  for (const details of box.querySelectorAll('details')) {
    if (view.closedThreads.has(details.closest('article')?.dataset.ts)) details.open = false;
  }
  view.html = state.html;
  if (atBottom) box.scrollTop = box.scrollHeight;
}

function confirmFirst(confirm) {
  if (!confirm) return Promise.resolve(true);
  const dialog = $('confirm-dialog');
  const text = (t) => (typeof t === 'object' && t !== null ? t.text : (t ?? ''));
  $('confirm-title').textContent = text(confirm.title) || 'Are you sure?';
  $('confirm-text').textContent = text(confirm.text);
  $('confirm-ok').textContent = text(confirm.confirm) || 'Confirm';
  $('confirm-ok').className = confirm.style === 'danger' ? 'bk-danger' : 'bk-primary';
  $('confirm-cancel').textContent = text(confirm.deny) || 'Cancel';
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) =>
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true }),
  );
}

async function click(button) {
  const message = button.closest('article.message');
  if (!message) return;
  const confirm = button.dataset.confirm ? JSON.parse(button.dataset.confirm) : null;
  if (!(await confirmFirst(confirm))) return;
  button.disabled = true;
  try {
    await postJson('/demo/action', {
      user: view.user,
      channel: view.channel,
      ts: message.dataset.ts,
      actionId: button.dataset.actionId,
      ...(button.dataset.blockId ? { blockId: button.dataset.blockId } : {}),
      ...(button.dataset.value ? { value: button.dataset.value } : {}),
      ephemeral: message.dataset.ephemeral === 'true',
    });
  } catch (error) {
    note(error.message);
  } finally {
    button.disabled = false;
  }
}

async function send(event) {
  event.preventDefault();
  const input = $('composer');
  const typed = input.value.trim();
  if (typed === '') return;
  const match = /^\/ganeti(?:\s+|$)(.*)$/s.exec(typed);
  if (!match) return note('In the demo only /ganeti commands reach the bot, e.g. /ganeti nodes');
  input.value = '';
  note('');
  try {
    const answer = await postJson('/demo/command', {
      user: view.user,
      channel: view.channel,
      text: match[1],
    });
    if (answer.status !== 200) note(`The bot answered HTTP ${answer.status}; its log says why.`);
  } catch (error) {
    note(error.message);
  }
  await refresh();
}

/** Shows the chosen channel; opening Home tells the bot, as Slack does (app_home_opened). */
async function openChannel() {
  if (view.channel === HOME.id)
    await postJson('/demo/home', { user: view.user }).catch((error) => note(error.message));
  await refresh();
}

async function start() {
  view.workspace = await (await fetch('/demo/workspace')).json();
  const params = new URLSearchParams(location.search);
  view.user = params.get('user') ?? view.workspace.users[0].id;
  view.channel = params.get('channel') ?? view.workspace.channels[0].id;
  renderUsers();
  $('user').addEventListener('change', () => {
    view.user = $('user').value;
    view.html = null;
    renderUsers();
    void openChannel();
  });
  $('channels').addEventListener('click', (event) => {
    const link = event.target.closest('a[data-channel]');
    if (!link) return;
    event.preventDefault();
    view.channel = link.dataset.channel;
    view.html = null;
    void openChannel();
  });
  $('messages').addEventListener('click', (event) => {
    const button = event.target.closest('button.bk-button');
    if (button) void click(button);
  });
  // Threads show open; one the user closed stays closed while the page refreshes.
  $('messages').addEventListener(
    'toggle',
    (event) => {
      const ts = event.target.closest?.('article')?.dataset.ts;
      if (ts === undefined) return;
      if (event.target.open) view.closedThreads.delete(ts);
      else view.closedThreads.add(ts);
    },
    true,
  );
  $('composer-form').addEventListener('submit', (event) => void send(event));
  await refresh();
  setInterval(() => void refresh().catch(() => undefined), POLL_MS);
  $('composer').focus();
}

void start();
