#!/usr/bin/env bash
# Installs what is missing and runs the bot (both roles) with the settings in .env or the
# environment. Without REDIS_URL, a local redis-server is started on 127.0.0.1:6379 (its pid in
# .run/redis.pid), with AOF persistence. Missing Slack or cluster settings are listed, each with what to set.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

if [ -f .env ]; then
  set -a
  # shellcheck disable=SC1091
  . ./.env
  set +a
fi

if [ -z "${REDIS_URL:-}" ]; then
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

exec node --import tsx src/main.ts "$@"
