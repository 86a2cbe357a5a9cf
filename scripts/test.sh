#!/usr/bin/env bash
# Runs every check: lint, type check, unit tests and the integration tests against a real
# Ganeti cluster. The cluster comes from GANETI_TEST_SSH_HOSTS / GANETI_TEST_SSH_KEY_FILE; when
# they are unset, the Ganeti lab is found (GANETI_LAB_DIR, default: its checkout beside this one,
# as in CI; docs/testing.md) and we are root, the lab is brought up (1-2 s when already up,
# about 1.5 min on a fresh machine) and used.
# GANETI_LAB=0 skips the lab. Extra arguments go to vitest (e.g. a file name). A whole run ends
# with every benchmark on its small setting (scripts/bench.sh --small; GANETI_TEST_BENCH=0 skips).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests

# shellcheck source=scripts/lab-env.sh
. scripts/lab-env.sh

npm run --silent lint
npm run --silent typecheck
npx vitest run "$@"

# Every benchmark once on its small setting, so that none can rot (its figures are not checked:
# speed targets live in BENCHMARKS.md, never in a timed test). Only for a whole run with a cluster.
if [ "$#" -eq 0 ] && [ -n "${GANETI_TEST_SSH_HOSTS:-}" ] && [ "${GANETI_TEST_BENCH:-1}" != 0 ]; then
  scripts/bench.sh --small
fi
