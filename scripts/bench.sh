#!/usr/bin/env bash
# `npm run bench`: every benchmark in bench/ against the real cluster (the Ganeti lab when no
# other is given, as for the tests: scripts/lab-env.sh) and a private Redis, each writing
# bench/results/NAME.json, then BENCHMARKS.md from the results (bench/report.ts).
#   npm run bench                       all, full settings (about 15 min; node-loss rebuilds the lab twice)
#   npm run bench -- read burst         some of them
#   npm run bench -- --small            CI's quick setting; results go to BENCH_RESULTS_DIR
#                                       (default a temporary directory), BENCHMARKS.md is left alone
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# shellcheck source=scripts/lab-env.sh
. scripts/lab-env.sh
ALL=(scale ssh-pool read ack burst node-loss)
names=()
small=0
for arg in "$@"; do
  case "$arg" in
    --small) small=1 ;;
    *) names+=("$arg") ;;
  esac
done
[ "${#names[@]}" -gt 0 ] || names=("${ALL[@]}")
if [ "$small" = 1 ]; then
  export BENCH_SMALL=1 BENCH_RESULTS_DIR="${BENCH_RESULTS_DIR:-$(mktemp -d /tmp/gc-bench-results-XXXXXX)}"
fi
# The bot runs compiled, as in production (bench/lib/bot-process.ts).
npm run --silent build
for name in "${names[@]}"; do
  [ -f "bench/$name.ts" ] || { echo "[bench] no benchmark bench/$name.ts" >&2; exit 2; }
  echo "[bench] $name"
  # --expose-gc: bench/scale.ts starts each repetition from a collected heap.
  node --expose-gc --import tsx "bench/$name.ts"
done
if [ "$small" = 0 ]; then npx tsx bench/report.ts; else echo "[bench] small results in $BENCH_RESULTS_DIR"; fi
