#!/usr/bin/env bash
# Installs what the bot and its tests need on Debian 12 with Node 20, when missing:
# Debian packages (redis-server, OpenSSH client and server, systemd-analyze; with --tests also
# chromium) and the npm dependencies.
# Idempotent: a second run takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*"; }

need_pkgs=()
command -v redis-server >/dev/null 2>&1 || need_pkgs+=(redis-server)
command -v ssh-keyscan >/dev/null 2>&1 || need_pkgs+=(openssh-client)
[ -x /usr/sbin/sshd ] || need_pkgs+=(openssh-server)
# systemd-analyze verify checks the service units in deploy/ (test/deploy); nothing is started.
command -v systemd-analyze >/dev/null 2>&1 || need_pkgs+=(systemd)
# --tests: Chromium for the demo page's browser test (test/demo/demo-page.test.ts drives Debian's
# /usr/bin/chromium through playwright-core; Playwright's own browser download is not used).
if [ "${1:-}" = --tests ]; then
  [ -x /usr/bin/chromium ] || need_pkgs+=(chromium)
  # Emoji in the screenshots (the bot marks states with them).
  [ -d /usr/share/fonts/truetype/noto ] || need_pkgs+=(fonts-noto-color-emoji)
fi

if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "missing Debian packages: ${need_pkgs[*]} (run as root, or: sudo apt-get install -y ${need_pkgs[*]})" >&2
    exit 1
  fi
  log "installing ${need_pkgs[*]}"
  # Keep apt from starting the services it installs: the tests start their own, on free ports.
  added_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && added_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y --no-install-recommends "${need_pkgs[@]}" >/tmp/ganeti-chatops-apt.log 2>&1; then
    apt-get update >>/tmp/ganeti-chatops-apt.log 2>&1
    apt-get install -y --no-install-recommends "${need_pkgs[@]}" >>/tmp/ganeti-chatops-apt.log 2>&1
  fi
  [ "$added_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  log "Node.js 20 or newer is needed (found $(node --version))" >&2
  exit 1
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # npm ci: exactly the versions in package-lock.json, or a clear error when package.json and the
  # lockfile disagree (test/package.test.ts keeps them in step).
  log "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
