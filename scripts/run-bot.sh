#!/usr/bin/env bash
# Installs what is missing, compiles, and runs the bot (both roles) with the settings in .env or
# the environment. Without REDIS_URL, a local redis-server is started on 127.0.0.1:6379 (its pid in
# .run/redis.pid), with AOF persistence. Missing Slack or cluster settings are listed, each with what to set.
# With neither Slack nor a cluster configured (a fresh clone) and no arguments, it runs the demo
# instead: a simulated cluster and a Slack-like page (`npm run demo`, docs/demo.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

# Production runs the compiled JavaScript with plain node; build it when the sources are newer.
if [ ! -f dist/main.js ] || [ -n "$(find src package.json tsconfig.json tsconfig.build.json -newer dist/main.js -print -quit)" ]; then
  echo "[run-bot] compiling (npm run build)"
  npm run --silent build
fi

# The demo brings its own Redis; the same test as the bot's (src/demo/run-demo.ts), on .env and the environment.
if [ "${1:-}" = demo ] || { [ $# -eq 0 ] && node --input-type=module -e '
  import { parseEnv } from "node:util"; import { existsSync, readFileSync } from "node:fs";
  const { isUnconfigured } = await import("./dist/demo/run-demo.js");
  const file = existsSync(".env") ? parseEnv(readFileSync(".env", "utf8")) : {};
  process.exit(isUnconfigured({ ...file, ...process.env }) ? 0 : 1);'; }; then
  [ "${1:-}" = demo ] && shift
  exec node dist/main.js demo "$@"
fi

# The bot reads .env itself, without a shell (src/config/env-file.ts); here only REDIS_URL matters,
# read the same way.
redis_url="${REDIS_URL:-}"
if [ -z "$redis_url" ] && [ -f .env ]; then
  redis_url=$(node -e 'process.stdout.write(require("node:util").parseEnv(require("node:fs").readFileSync(".env","utf8")).REDIS_URL ?? "")')
fi

if [ -z "$redis_url" ]; then
  mkdir -p .run
  if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
    echo "[run-bot] starting a local redis-server on 127.0.0.1:6379 (pid in .run/redis.pid)"
    # AOF (fsync every second): after a crash Redis comes back with what it had, not an older
    # snapshot that could bring finished requests back as approved.
    redis-server --port 6379 --bind 127.0.0.1 --dir "$PWD/.run" --appendonly yes --appendfsync always \
      --daemonize yes --pidfile "$PWD/.run/redis.pid" --logfile "$PWD/.run/redis.log"
  fi
  export REDIS_URL=redis://127.0.0.1:6379
fi

exec node dist/main.js "$@"
