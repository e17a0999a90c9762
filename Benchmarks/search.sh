#!/usr/bin/env bash
# Loads N tickets (default 1,000,000) into a fresh database and runs the search query mix.
# Usage: Benchmarks/search.sh [TICKETS] [sqlite|postgres]
set -euo pipefail
cd "$(dirname "$0")/.."
TICKETS="${1:-1000000}"
KIND="${2:-sqlite}"
swift build -c release --product swiftdesk >/dev/null
BIN="$(swift build -c release --show-bin-path)/swiftdesk"
WORK=$(mktemp -d /tmp/swiftdesk-bench.XXXXXX)
cleanup() {
    if [ -f "$WORK/pg/postmaster.pid" ]; then runuser -u postgres -- pg_ctl -D "$WORK/pg" -m fast stop >/dev/null 2>&1 || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
if [ "$KIND" = "postgres" ]; then
    PG_BIN=$(dirname "$(command -v initdb || ls -d /usr/lib/postgresql/*/bin/initdb | tail -n 1)")
    id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$WORK"
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
    runuser -u postgres -- "$PG_BIN/initdb" -D "$WORK/pg" -U swiftdesk --auth=trust -E UTF8 --no-locale >/dev/null
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w \
        -o "-h 127.0.0.1 -p $PORT -k $WORK -c shared_buffers=1GB -c work_mem=64MB -c maintenance_work_mem=512MB -c synchronous_commit=off -c max_wal_size=4GB" start >/dev/null
    DB="postgres://swiftdesk@127.0.0.1:$PORT/postgres?sslmode=disable"
else
    DB="sqlite:$WORK/bench.sqlite"
fi
"$BIN" migrate --database-url "$DB" >/dev/null
"$BIN" bench load --tickets "$TICKETS" --database-url "$DB"
"$BIN" bench search --iterations 200 --database-url "$DB"
if [ "$KIND" = "sqlite" ]; then du -h "$WORK/bench.sqlite"; fi
