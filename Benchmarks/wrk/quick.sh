#!/usr/bin/env bash
# A quick load test of the Znuny REST face on SQLite: TicketCreate and TicketGet at concurrency 16,
# and /health for reference. Builds the release binary, uses a throwaway database, prints wrk's output.
# Usage: Benchmarks/wrk/quick.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION="${1:-10}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
swift build -c release --product swiftdesk >/dev/null
BIN="$(swift build -c release --show-bin-path)/swiftdesk"
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
DB="sqlite:$WORK/bench.sqlite"
PASSWORD=$("$BIN" migrate --database-url "$DB" | awk '/Password:/ {print $2}')
"$BIN" serve --port "$PORT" --database-url "$DB" --log-level warning >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/ready" >/dev/null && break; sleep 0.1; done
BASE="http://127.0.0.1:$PORT/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST"
export SESSION_ID=$(curl -s -X POST "$BASE/Session" -H 'Content-Type: application/json' \
    -d "{\"UserLogin\":\"root@localhost\",\"Password\":\"$PASSWORD\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["SessionID"])')
echo "== /health, c=16"
wrk -t2 -c16 -d"${DURATION}s" --latency "http://127.0.0.1:$PORT/health"
echo "== TicketCreate (one article), c=16"
wrk -t2 -c16 -d"${DURATION}s" --latency -s Benchmarks/wrk/ticket_create.lua "http://127.0.0.1:$PORT"
echo "== TicketCreate (one article), c=1"
wrk -t1 -c1 -d"${DURATION}s" --latency -s Benchmarks/wrk/ticket_create.lua "http://127.0.0.1:$PORT"
export TICKET_ID=2
echo "== TicketGet with articles, c=16"
wrk -t2 -c16 -d"${DURATION}s" --latency -s Benchmarks/wrk/ticket_get.lua "http://127.0.0.1:$PORT"
export PASSWORD
echo "== TicketGet with articles, login and password in every request, c=16"
wrk -t2 -c16 -d"${DURATION}s" --latency -s Benchmarks/wrk/ticket_get_login.lua "http://127.0.0.1:$PORT"
echo "server CPU seconds (user+sys): $(awk '{print ($14+$15)/100}' /proc/$SERVER/stat), peak RSS: $(grep VmHWM /proc/$SERVER/status | awk '{print $2" "$3}')"
