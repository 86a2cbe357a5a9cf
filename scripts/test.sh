#!/usr/bin/env bash
# Runs every check: lint, type check, unit tests and the integration tests against a real
# Ganeti cluster. The cluster comes from GANETI_TEST_SSH_HOSTS / GANETI_TEST_SSH_KEY_FILE; when
# they are unset and the Ganeti lab (../shared/ganeti-lab) is here and we are root, the lab is
# brought up (1-2 s when already up, about 1.5 min on a fresh machine) and used.
# GANETI_LAB=0 skips the lab. Extra arguments go to vitest (e.g. a file name).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

LAB="${GANETI_LAB_DIR:-../shared/ganeti-lab}"
if [ -z "${GANETI_TEST_SSH_HOSTS:-}" ] && [ "${GANETI_LAB:-1}" != 0 ] && [ -x "$LAB/up.sh" ] && [ "$(id -u)" -eq 0 ]; then
  echo "[test] bringing up the Ganeti lab ($LAB/up.sh)"
  "$LAB/up.sh"
  # shellcheck disable=SC1091
  . "$LAB/lab.env"
  hosts=()
  for i in $(seq 1 "${LAB_NODES:-3}"); do hosts+=("$(node_ip "$i")"); done
  GANETI_TEST_SSH_HOSTS=$(IFS=,; echo "${hosts[*]}")
  export GANETI_TEST_SSH_HOSTS GANETI_TEST_SSH_KEY_FILE="$LAB_SSH_KEY" GANETI_TEST_LAB_DIR="$LAB"
  # The bot logs in with a key of its own, restricted on every node by the forced command
  # contrib/ganeti-chatops-ssh-command; the tests' own commands keep the lab's key.
  # GANETI_LAB_FORCED_COMMAND=0 leaves the bot on the lab's key.
  if [ "${GANETI_LAB_FORCED_COMMAND:-1}" != 0 ]; then
    export GANETI_TEST_BOT_SSH_KEY_FILE="${GANETI_TEST_BOT_SSH_KEY_FILE:-$LAB_DIR/bot_ed25519}"
    GANETI_LAB_DIR="$LAB" scripts/lab-forced-command.sh install
  fi
fi

npm run --silent lint
npm run --silent typecheck
npx vitest run "$@"
