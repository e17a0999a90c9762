#!/usr/bin/env bash
# Quick A/B of server binaries through SwiftDesk's django-helpdesk face, with the peer's own wrk
# script (wrk/django.lua) at c=16, alternating the binaries for several rounds. Each run gets a
# fresh SQLite database with two django-helpdesk queues and a token, then three seconds of
# creates (so get, list and followup find tickets), then the operation measured. Prints answered
# operations/s, p99, errors, the server's CPU time per operation (user + system, from /proc) and
# how many outbox attempts the run made. Every create queues a mail to its submitter: with the
# default `SendmailModule DoNotSendEmail` (as `Benchmarks/run.sh` sets it) it is recorded as sent
# at once; with `-m SMTP` and no SMTP server listening each attempt fails and is retried later.
#
# With -P (a PostgreSQL server URL whose user may create databases, e.g.
# postgres://swiftdesk@127.0.0.1:5432) each run gets a fresh database there instead, dropped after
# the run; its server CPU is SwiftDesk's alone.
#
# Usage: Benchmarks/ab-django.sh [-o "create get list followup"] [-s SECONDS] [-r ROUNDS]
#                                [-m SENDMAIL_MODULE] [-P POSTGRES_SERVER_URL] BINARY...
set -euo pipefail
OPS="create get" SECS=6 ROUNDS=3 MODULE=DoNotSendEmail PG=""
while getopts "o:s:r:m:P:h" opt; do
    case $opt in
        o) OPS=$OPTARG;; s) SECS=$OPTARG;; r) ROUNDS=$OPTARG;; m) MODULE=$OPTARG;; P) PG=${OPTARG%/};;
        *) sed -n 2,15p "$0"; exit 2;;
    esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { sed -n 2,15p "$0"; exit 2; }
BINARIES=()
for binary in "$@"; do BINARIES+=("$(realpath "$binary")"); done
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/wrk"
command -v wrk >/dev/null || { echo "ab-django.sh: wrk is missing (Benchmarks/run.sh installs it)" >&2; exit 1; }
if [ -n "$PG" ]; then
    command -v psql >/dev/null || { echo "ab-django.sh: psql is missing (apt-get install postgresql-client)" >&2; exit 1; }
else
    command -v sqlite3 >/dev/null || { echo "ab-django.sh: sqlite3 is missing (apt-get install sqlite3)" >&2; exit 1; }
fi
PORT=$(free_port)

# Outbox attempts the run made.
attempts() {
    local query='SELECT COALESCE(SUM(attempts), 0) FROM mail_outbox'
    if [ -n "$PG" ]; then psql -qtA "$1" -c "$query"; else sqlite3 "$2/ab.sqlite" "$query"; fi
}

run() {
    local binary=$1 op=$2 work db server queues token out
    work=$(mktemp -d /tmp/swiftdesk-abdj.XXXXXX)
    db="sqlite:$work/ab.sqlite"
    local pgname="abdj_${work##*.}"
    pgname=${pgname,,}
    if [ -n "$PG" ]; then
        psql -q "$PG/postgres?sslmode=disable" -c "CREATE DATABASE $pgname"
        db="$PG/$pgname?sslmode=disable"
    fi
    "$binary" migrate --database-url "$db" >/dev/null
    "$binary" config set SendmailModule "$MODULE" --database-url "$db" >/dev/null
    "$binary" serve --port "$PORT" --database-url "$db" --log-level warning >/dev/null 2>&1 &
    server=$!
    wait_for_health "$PORT"
    queues=""
    for slug in support billing; do
        queues+=$("$binary" djhd queue add --title "${slug^}" --slug "$slug" --database-url "$db" | sed -n 's/.*Queue \([0-9]*\):.*/\1/p'),
    done
    token=$("$binary" djhd token create --login root@localhost --database-url "$db" | sed -n 's/.*Token: \(\S*\).*/\1/p')
    # The server keeps its catalog up to 5 s (docs/architecture.md): wait until it sees the queues.
    sleep 6
    OP=create TOKEN=$token QUEUES=${queues%,} wrk -t16 -c16 -d3s -s django.lua "http://127.0.0.1:$PORT" >/dev/null
    local ticks_before ticks_after
    ticks_before=$(cpu_ticks "$server")
    out=$(OP=$op TOKEN=$token QUEUES=${queues%,} TICKET_MAX=1000 wrk -t16 -c16 -d"${SECS}s" -s django.lua \
        "http://127.0.0.1:$PORT" | sed -n 's/^BENCH_RESULT //p')
    ticks_after=$(cpu_ticks "$server")
    kill "$server"; wait "$server" 2>/dev/null || true
    python3 -c 'import sys, json, os
r = json.loads(sys.argv[3])
cpu = int(sys.argv[5]) / os.sysconf("SC_CLK_TCK")
us = cpu / r["ok"] * 1e6 if r["ok"] else 0
print("%-40s %-10s %10.1f ok/s  p99 %6.2f ms  errors %d  server CPU %5.0f us/op  outbox attempts %s" % (sys.argv[1],
      sys.argv[2], r["ops_per_s"], r["p99_ms"], r["errors"], us, sys.argv[4]))' "$binary" "$op" "$out" \
        "$(attempts "$db" "$work")" "$((ticks_after - ticks_before))"
    if [ -n "$PG" ]; then psql -q "$PG/postgres?sslmode=disable" -c "DROP DATABASE $pgname"; fi
    rm -rf "$work"
}

for round in $(seq "$ROUNDS"); do
    for op in $OPS; do
        for binary in "${BINARIES[@]}"; do run "$binary" "$op"; done
    done
done
