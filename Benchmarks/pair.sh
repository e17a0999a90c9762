#!/usr/bin/env bash
# A/B of two server binaries loaded at the same time: each gets its own wrk at c=8 on its own
# copy of the database for the same seconds, so the shared machine's drift (which moves one
# binary's CPU per operation by 15-30 % between rounds of `ab.sh`) falls on both alike. Rounds
# swap which binary starts first. Prints answered operations/s and server CPU per answered
# operation (user + system time from /proc) per round, then the mean change of B against A.
#
# Usage: Benchmarks/pair.sh [-d SQLITE_FILE -p ROOT_PASSWORD] [-o "create get"] [-s SECONDS]
#                           [-r ROUNDS] [-t TICKET_MAX] A_BINARY B_BINARY
#   without -d each server gets a fresh migrated SQLite file; with -d each round copies that file.
set -euo pipefail
DB="" PW="" OPS="create get" SECS=5 ROUNDS=4 TMAX=500
while getopts "d:p:o:s:r:t:h" opt; do
    case $opt in
        d) DB=$(realpath "$OPTARG");; p) PW=$OPTARG;; o) OPS=$OPTARG;; s) SECS=$OPTARG;; r) ROUNDS=$OPTARG;; t) TMAX=$OPTARG;;
        *) sed -n 2,11p "$0"; exit 2;;
    esac
done
shift $((OPTIND - 1))
[ $# -eq 2 ] || { sed -n 2,11p "$0"; exit 2; }
A=$(realpath "$1") B=$(realpath "$2")
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/wrk"
command -v wrk >/dev/null || { echo "pair.sh: wrk is missing (Benchmarks/run.sh installs it)" >&2; exit 1; }
WORK=$(mktemp -d /tmp/swiftdesk-pair.XXXXXX)
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null; rm -rf "$WORK"' EXIT

# start BINARY NAME: a server on a fresh or copied database; sets PORT_<NAME>, PID_<NAME>, SID_<NAME>.
start() {
    local binary=$1 name=$2 file="$WORK/$2.sqlite" password=$PW port
    rm -f "$file" "$file-wal" "$file-shm"
    if [ -n "$DB" ]; then
        cp "$DB" "$file"
    else
        password=$("$binary" migrate --database-url "sqlite:$file" | awk '/Password:/ {print $2}')
    fi
    port=$(free_port)
    "$binary" serve --port "$port" --database-url "sqlite:$file" --log-level warning >/dev/null 2>&1 &
    local pid=$!
    PIDS+=("$pid")
    wait_for_health "$port"
    local sid
    sid=$(root_session "$port" "$password")
    printf -v "PORT_$name" %s "$port"
    printf -v "PID_$name" %s "$pid"
    printf -v "SID_$name" %s "$sid"
}

RESULTS="$WORK/results"
for round in $(seq "$ROUNDS"); do
    if [ $((round % 2)) -eq 1 ]; then start "$A" a; start "$B" b; else start "$B" b; start "$A" a; fi
    for op in $OPS; do
        ca=$(cpu_ticks "$PID_a") cb=$(cpu_ticks "$PID_b")
        OP=$op SESSION_ID=$SID_a TICKET_MAX=$TMAX wrk -t8 -c8 -d"${SECS}s" -s swiftdesk.lua "http://127.0.0.1:$PORT_a" |
            sed -n 's/^BENCH_RESULT //p' >"$WORK/a.out" &
        local_a=$!
        OP=$op SESSION_ID=$SID_b TICKET_MAX=$TMAX wrk -t8 -c8 -d"${SECS}s" -s swiftdesk.lua "http://127.0.0.1:$PORT_b" |
            sed -n 's/^BENCH_RESULT //p' >"$WORK/b.out" &
        wait "$local_a" $!
        python3 - "$op" "$ca" "$(cpu_ticks "$PID_a")" "$cb" "$(cpu_ticks "$PID_b")" "$WORK" "$A" "$B" >>"$RESULTS" <<'PY'
import json, os, sys
op, ca0, ca1, cb0, cb1, work, a, b = sys.argv[1:]
for name, binary, c0, c1 in (("a", a, ca0, ca1), ("b", b, cb0, cb1)):
    r = json.load(open(os.path.join(work, name + ".out")))
    cpu = (int(c1) - int(c0)) / os.sysconf("SC_CLK_TCK") * 1e6 / max(1, r["ok"])
    print(json.dumps({"op": op, "who": name, "binary": binary, "ops_per_s": r["ops_per_s"], "cpu_us": cpu, "errors": r["errors"]}))
PY
    done
    kill "$PID_a" "$PID_b"; wait "$PID_a" "$PID_b" 2>/dev/null || true
    PIDS=()
done
python3 - "$RESULTS" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
for row in rows:
    print("%-40s %-8s %9.1f ok/s  cpu %5.0f µs/op  errors %d" % (row["binary"][-40:], row["op"], row["ops_per_s"], row["cpu_us"], row["errors"]))
print()
for op in dict.fromkeys(row["op"] for row in rows):
    a = [r for r in rows if r["op"] == op and r["who"] == "a"]
    b = [r for r in rows if r["op"] == op and r["who"] == "b"]
    changes = [(y["cpu_us"] - x["cpu_us"]) / x["cpu_us"] * 100 for x, y in zip(a, b)]
    rates = [(y["ops_per_s"] - x["ops_per_s"]) / x["ops_per_s"] * 100 for x, y in zip(a, b)]
    print("%-8s B against A: CPU per op %+.1f %% on average (rounds: %s), ops/s %+.1f %%" % (
        op, sum(changes) / len(changes), ", ".join("%+.0f" % c for c in changes), sum(rates) / len(rates)))
PY
