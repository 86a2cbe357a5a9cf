#!/usr/bin/env bash
# Puts contrib/ganeti-chatops-ssh-command in front of a key of the bot's own on every node of the
# Ganeti lab (the real test cluster located by GANETI_LAB_DIR, docs/testing.md), the way CI runs
# the integration tests (scripts/test.sh):
#   install   create the bot key when missing, copy the wrapper into each node and add the key to
#             each node's root authorized_keys as `restrict,command="WRAPPER --log-file LOG"`;
#             then check through ssh that an allowed command answers and others are refused
#   remove    take the key's line and the wrapper out of every node (and the key, if it is the
#             default one); refusal logs on the nodes stay
#   status    say per node whether the key is restricted there; exit 1 unless it is everywhere
# Only the bot's key is restricted: the tests' own commands keep the lab's unrestricted key
# ($LAB_SSH_KEY), and so does anyone else using the lab.
#
# GANETI_LAB_DIR                the lab's scripts (default: its checkout beside this one, as in CI)
# GANETI_TEST_BOT_SSH_KEY_FILE  the bot's key (default $LAB_DIR/bot_ed25519: inside the lab's
#                               state, so `up.sh --fresh` removes it; run install again after)
# Takes no lock: callers that share the lab hold /tmp/ganeti-lab.lock (test/integration runs
# this from freshLab under the caller's lock; taking it again here would wait forever).
set -euo pipefail
cd "$(dirname "$0")/.."

LAB="${GANETI_LAB_DIR:-../shared/ganeti-lab}"
die() { printf '[lab-forced-command] %s\n' "$*" >&2; exit 1; }
[ -f "$LAB/lab.env" ] || die "no Ganeti lab at $LAB (GANETI_LAB_DIR)"
# shellcheck disable=SC1091
. "$LAB/lab.env"
[ "$(id -u)" -eq 0 ] || die "must run as root (it edits the lab nodes)"

DEFAULT_KEY="$LAB_DIR/bot_ed25519"
KEY="${GANETI_TEST_BOT_SSH_KEY_FILE:-$DEFAULT_KEY}"
WRAPPER=contrib/ganeti-chatops-ssh-command
# The read-only query helper the wrapper runs from beside itself (contrib/README.md).
QUERY_HELPER=contrib/ganeti-chatops-query
# Inside a node: /usr/local/sbin would be the host's own (the nodes share /usr with the host),
# while /etc/ganeti and /var/log/ganeti are the node's (per-node bind mounts, docs/testing.md).
NODE_WRAPPER=/etc/ganeti/ganeti-chatops-ssh-command
NODE_LOG=/var/log/ganeti/ganeti-chatops-ssh-command.log
COMMENT=ganeti-chatops-bot

log() { printf '[lab-forced-command] %s\n' "$*"; }

# Lab nodes that have state (running or powered off by fault.sh): their per-node directories.
nodes() {
  local n
  for n in 1 2 3 4 5 6 7 8 9; do
    [ -d "$LAB_DIR/node$n/root/.ssh" ] && [ -d "$LAB_DIR/node$n/etc-ganeti" ] && echo "$n"
  done
  return 0
}

# The key's base64 body: what identifies its line in authorized_keys.
key_body() { ssh-keygen -y -f "$KEY" | awk '{ print $2 }'; }

# Rewrites node N's authorized_keys without the bot key's line, then appends $2 (if any).
rewrite_authorized_keys() {
  local n=$1 line=${2:-} file tmp body
  file="$LAB_DIR/node$n/root/.ssh/authorized_keys"
  body=$(key_body)
  touch "$file"
  tmp=$(mktemp "$file.XXXXXX")
  grep -vF "$body" "$file" >"$tmp" || true
  [ -z "$line" ] || printf '%s\n' "$line" >>"$tmp"
  chmod --reference="$file" "$tmp"
  mv -f "$tmp" "$file"
}

bot_ssh() {
  ssh -i "$KEY" -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no \
    -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=5 "root@$1" "${@:2}"
}

running() { node_pid "$1" >/dev/null 2>&1; }

do_install() {
  if [ ! -f "$KEY" ]; then
    mkdir -p "$(dirname "$KEY")"
    ssh-keygen -q -t ed25519 -N '' -C "$COMMENT" -f "$KEY"
    log "made the bot key $KEY"
  fi
  python3 -c 'import ast, sys; [ast.parse(open(f).read()) for f in sys.argv[1:]]' "$WRAPPER" "$QUERY_HELPER"
  local n line pub ip answer rc failed=0
  pub=$(ssh-keygen -y -f "$KEY" | awk '{ print $1 " " $2 }')
  line="restrict,command=\"$NODE_WRAPPER --log-file $NODE_LOG\" $pub $COMMENT"
  for n in $(nodes); do
    install -m 0755 "$WRAPPER" "$LAB_DIR/node$n/etc-ganeti/ganeti-chatops-ssh-command"
    install -m 0755 "$QUERY_HELPER" "$LAB_DIR/node$n/etc-ganeti/ganeti-chatops-query"
    rewrite_authorized_keys "$n" "$line"
    if ! running "$n"; then
      log "node$n: installed (not running, not checked)"
      continue
    fi
    ip=$(node_ip "$n")
    if ! answer=$(bot_ssh "$ip" gnt-cluster getmaster </dev/null 2>&1); then
      log "node$n: gnt-cluster getmaster through the wrapper failed: $answer" >&2
      failed=1
      continue
    fi
    rc=0
    bot_ssh "$ip" lab-forced-command-check </dev/null >/dev/null 2>&1 || rc=$?
    if [ "$rc" != 126 ]; then
      log "node$n: a command the bot never sends was not refused (exit $rc)" >&2
      failed=1
      continue
    fi
    log "node$n: installed; getmaster says $answer, anything else is refused"
  done
  [ "$failed" = 0 ] || exit 1
  log "the bot's key: GANETI_TEST_BOT_SSH_KEY_FILE=$KEY"
}

do_remove() {
  local n
  if [ ! -f "$KEY" ]; then
    log "no bot key at $KEY: nothing to take out of authorized_keys"
  fi
  for n in $(nodes); do
    [ ! -f "$KEY" ] || rewrite_authorized_keys "$n"
    rm -f "$LAB_DIR/node$n/etc-ganeti/ganeti-chatops-ssh-command" "$LAB_DIR/node$n/etc-ganeti/ganeti-chatops-query"
    log "node$n: removed"
  done
  if [ "$KEY" = "$DEFAULT_KEY" ]; then rm -f "$KEY" "$KEY.pub"; fi
}

do_status() {
  local n all=0 body
  [ -f "$KEY" ] || { log "no bot key at $KEY"; exit 1; }
  body=$(key_body)
  for n in $(nodes); do
    if grep -F "$body" "$LAB_DIR/node$n/root/.ssh/authorized_keys" |
      grep -q "^restrict,command=\"$NODE_WRAPPER " &&
      [ -x "$LAB_DIR/node$n/etc-ganeti/ganeti-chatops-ssh-command" ]; then
      log "node$n: restricted"
    else
      log "node$n: NOT restricted"
      all=1
    fi
  done
  exit "$all"
}

case "${1:-}" in
  install) do_install ;;
  remove) do_remove ;;
  status) do_status ;;
  *)
    echo "usage: $0 install|remove|status" >&2
    exit 2
    ;;
esac
