#!/usr/bin/env bash
# Quick A/B of server binaries with wrk at c=16 (a few seconds per operation), alternating the
# binaries for several rounds so that drift of the shared machine shows as spread, not as a
# difference. Prints answered operations/s, p99, the server's CPU per answered operation (user +
# system time of its process from /proc, in µs) and errors per binary, operation and round
# (`get-login` sends root's login and password with each request). The CPU figure moves less
# with the machine's drift than the rate does; work the server does after the run (the outbox,
# checkpoints) is not in it.
#
# Usage: Benchmarks/ab.sh [-d DATABASE_URL -p ROOT_PASSWORD] [-o "create get health"] [-s SECONDS]
#                         [-r ROUNDS] [-t TICKET_MAX] [-w "WORD..."] BINARY...
#   without -d each run gets a fresh SQLite database (migrated, root password read from it);
#   with -d every run uses that database (e.g. one filled by `swiftdesk bench load`);
#   -w replaces the 20 words of created titles and bodies (wrk/measure.lua).
set -euo pipefail
DB="" PW="" OPS="create get health" SECS=5 ROUNDS=2 TMAX=500 WORDS=""
while getopts "d:p:o:s:r:t:w:h" opt; do
    case $opt in
        d) DB=$OPTARG;; p) PW=$OPTARG;; o) OPS=$OPTARG;; s) SECS=$OPTARG;; r) ROUNDS=$OPTARG;; t) TMAX=$OPTARG;; w) WORDS=$OPTARG;;
        *) sed -n 2,14p "$0"; exit 2;;
    esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { sed -n 2,14p "$0"; exit 2; }
# Relative binary paths are taken from where ab.sh was called; the runs start from wrk/.
BINARIES=()
for binary in "$@"; do BINARIES+=("$(realpath "$binary")"); done
set -- "${BINARIES[@]}"
case "$DB" in sqlite:/*|"") ;; sqlite:*) DB="sqlite:$(realpath -m "${DB#sqlite:}")";; esac
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/wrk"
command -v wrk >/dev/null || { echo "ab.sh: wrk is missing (Benchmarks/run.sh installs it)" >&2; exit 1; }
PORT=$(free_port)

run() {
    local binary=$1 db=$DB password=$PW work=""
    if [ -z "$db" ]; then
        work=$(mktemp -d /tmp/swiftdesk-ab.XXXXXX)
        db="sqlite:$work/ab.sqlite"
        password=$("$binary" migrate --database-url "$db" | awk '/Password:/ {print $2}')
    fi
    "$binary" serve --port "$PORT" --database-url "$db" --log-level warning >/dev/null 2>&1 &
    local server=$!
    wait_for_health "$PORT"
    local session
    session=$(root_session "$PORT" "$password")
    for op in $OPS; do
        local out cpu_before cpu_after
        cpu_before=$(cpu_ticks "$server")
        out=$(OP=$op WORDS=$WORDS SESSION_ID=$session TICKET_MAX=$TMAX USER_LOGIN=root@localhost PASSWORD=$password \
            wrk -t16 -c16 -d"${SECS}s" -s swiftdesk.lua "http://127.0.0.1:$PORT" | sed -n 's/^BENCH_RESULT //p')
        cpu_after=$(cpu_ticks "$server")
        python3 -c 'import sys, json, os
r = json.loads(sys.argv[3])
cpu_us = (int(sys.argv[5]) - int(sys.argv[4])) / os.sysconf("SC_CLK_TCK") * 1e6 / max(1, r["ok"])
print("%-40s %-10s %10.1f ok/s  p99 %6.2f ms  cpu %5.0f µs/op  errors %d %s" % (sys.argv[1], sys.argv[2], r["ops_per_s"],
      r["p99_ms"], cpu_us, r["errors"], r["sample_error"][:60]))' "$binary" "$op" "$out" "$cpu_before" "$cpu_after"
    done
    kill "$server"; wait "$server" 2>/dev/null || true
    [ -z "$work" ] || rm -rf "$work"
}

for round in $(seq "$ROUNDS"); do
    for binary in "$@"; do run "$binary"; done
done
