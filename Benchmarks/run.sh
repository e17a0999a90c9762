#!/usr/bin/env bash
# SwiftDesk benchmarks in one command. Builds the release binary, installs wrk if missing, and runs
# the harness (harness/bench.py); prints a Markdown table and writes JSON to Benchmarks/results/.
#
# Usage: Benchmarks/run.sh [--quick] [--postgres] [--no-peer] [--seed N]
#        Benchmarks/run.sh --scale [TICKETS] [--quick] [--postgres] [--workdir DIR]
#        Benchmarks/run.sh --soak [TICKETS] [--minutes M] [--window S] [--unlike] [--creates-only] [--postgres]
#                                 [--workdir DIR] [--pg-setting NAME=VALUE]...
#
#   (default)   side by side with django-helpdesk (../shared/peers/django-helpdesk): create, get,
#               list, follow-up at c=1 and c=16, small database then 10,000 tickets; ~15 min.
#   --quick     shorter phases and 2,000 tickets in the second stage; ~5 min.
#   --postgres  SwiftDesk and django-helpdesk on PostgreSQL (throwaway clusters) instead of SQLite.
#   --no-peer   SwiftDesk only.
#   --scale N   SwiftDesk alone at N tickets (default 1,000,000) loaded by `swiftdesk bench load`:
#               TicketCreate, TicketGet and the search mix over HTTP, RSS, database size.
#   --soak N    SwiftDesk alone at N tickets (default 1,000,000) under creates, updates, gets and
#               searches at c=16 for --minutes (default 10): per 30 s throughput and p99 per
#               operation, RSS and database size.
#   --unlike    (soak) create tickets unlike the loaded ones (queue "Raw", wrk's own words, no
#               BenchSeverity): the skewed case of docs/search.md. No dynamic-field, queue or customer
#               shape matches them; wrk's 20 words include common and ordinary words of the loader,
#               so the full-text and title shapes match many of them.
#   --window S  (soak) seconds per measured window instead of 30.
#   --creates-only  (soak) creates alone at c=16: the writes of the first minutes after a load
#               (e.g. --soak 1000000 --minutes 1.2 --window 5 --creates-only --unlike).
#   --pg-setting NAME=VALUE  (with --postgres) a further server setting for the throwaway cluster,
#               e.g. --pg-setting autovacuum_naptime=10s; repeat for several.
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/lib.sh

MODE=sidebyside
POSTGRES=0
ARGS=()
PG_SETTINGS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --scale|--soak) MODE=${1#--}; if [[ "${2:-}" =~ ^[0-9]+$ ]]; then ARGS+=(--tickets "$2"); shift; fi; shift;;
        --postgres) POSTGRES=1; ARGS+=(--postgres); shift;;
        --quick|--no-peer|--keep|--unlike|--creates-only) ARGS+=("$1"); shift;;
        --seed|--workdir|--minutes|--window) ARGS+=("$1" "$2"); shift 2;;
        --pg-setting) PG_SETTINGS+=(-c "$2"); shift 2;;
        -h|--help) sed -n 2,25p "$0"; exit 0;;
        *) echo "error: unknown option $1 (see --help)" >&2; exit 2;;
    esac
done

ensure_wrk
build_release
WORK=$(mktemp -d /tmp/swiftdesk-run.XXXXXX)
trap 'stop_postgres "$WORK"; rm -rf "$WORK"' EXIT
if [ "$POSTGRES" = 1 ]; then
    if [ "$MODE" = soak ]; then
        # The soak reports the statements that took the server's time, window by window.
        start_postgres "$WORK" -c shared_preload_libraries=pg_stat_statements "${PG_SETTINGS[@]}"
    else
        start_postgres "$WORK" "${PG_SETTINGS[@]}"
    fi
    ARGS+=(--database-url "$PG_URL")
fi
mkdir -p Benchmarks/results
OUT="Benchmarks/results/$MODE-$(date -u +%Y%m%dT%H%M%SZ).json"
python3 Benchmarks/harness/bench.py "$MODE" --binary "$BIN" --out "$OUT" --build-seconds "$BUILD_SECONDS" "${ARGS[@]}"
