#!/usr/bin/env bash
# Loads N tickets (default 1,000,000) into a fresh database and runs the search query mix
# straight against the store (no HTTP; for that see run.sh --scale).
# Usage: Benchmarks/search.sh [TICKETS] [sqlite|postgres]
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/lib.sh
TICKETS="${1:-1000000}"
KIND="${2:-sqlite}"
build_release
WORK=$(mktemp -d /tmp/swiftdesk-bench.XXXXXX)
trap 'stop_postgres "$WORK"; rm -rf "$WORK"' EXIT
if [ "$KIND" = "postgres" ]; then
    start_postgres "$WORK"
    DB=$PG_URL
else
    DB="sqlite:$WORK/bench.sqlite"
fi
"$BIN" migrate --database-url "$DB" >/dev/null
"$BIN" bench load --tickets "$TICKETS" --database-url "$DB"
"$BIN" bench search --iterations 200 --database-url "$DB"
if [ "$KIND" = "sqlite" ]; then du -h "$WORK/bench.sqlite"; fi
