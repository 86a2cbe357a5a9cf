# Sourced by scripts/test.sh and scripts/bench.sh: when no cluster is given
# (GANETI_TEST_SSH_HOSTS / GANETI_TEST_SSH_KEY_FILE unset), the Ganeti lab (a real Ganeti cluster
# on this machine; GANETI_LAB_DIR, default: its checkout beside this one, as in CI; docs/testing.md)
# is here and we are root, brings the lab up (1-2 s when already up, about 1.5 min on a fresh
# machine) and exports its addresses for the tests and benchmarks.
# GANETI_LAB=0 skips the lab.
LAB="${GANETI_LAB_DIR:-../shared/ganeti-lab}"
if [ -z "${GANETI_TEST_SSH_HOSTS:-}" ] && [ "${GANETI_LAB:-1}" != 0 ] && [ -x "$LAB/up.sh" ] && [ "$(id -u)" -eq 0 ]; then
  echo "[lab] bringing up the Ganeti lab ($LAB/up.sh)"
  "$LAB/up.sh"
  # shellcheck disable=SC1091
  . "$LAB/lab.env"
  hosts=()
  for i in $(seq 1 "${LAB_NODES:-3}"); do hosts+=("$(node_ip "$i")"); done
  GANETI_TEST_SSH_HOSTS=$(IFS=,; echo "${hosts[*]}")
  export GANETI_TEST_SSH_HOSTS GANETI_TEST_SSH_KEY_FILE="$LAB_SSH_KEY" GANETI_TEST_LAB_DIR="$LAB"
  # The bot logs in with a key of its own, restricted on every node by the forced command
  # contrib/ganeti-chatops-ssh-command (with the query helper beside it); the tests' own
  # commands keep the lab's key. GANETI_LAB_FORCED_COMMAND=0 leaves the bot on the lab's key.
  if [ "${GANETI_LAB_FORCED_COMMAND:-1}" != 0 ]; then
    export GANETI_TEST_BOT_SSH_KEY_FILE="${GANETI_TEST_BOT_SSH_KEY_FILE:-$LAB_DIR/bot_ed25519}"
    GANETI_LAB_DIR="$LAB" scripts/lab-forced-command.sh install
  fi
fi
