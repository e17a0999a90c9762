# Shared shell helpers for the benchmark scripts (sourced, not run).

# Installs wrk from Debian when it is missing.
ensure_wrk() {
    command -v wrk >/dev/null && return
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null
    else sudo apt-get update -qq && sudo apt-get install -y -qq wrk >/dev/null; fi
}

# User + system clock ticks process $1 has used so far, its threads included (/proc/PID/stat
# fields 14 and 15, counted after the parenthesised command name, which may hold spaces).
cpu_ticks() {
    sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'
}

# A free TCP port on 127.0.0.1.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Waits up to 10 s for the server on port $1 to answer /health.
wait_for_health() {
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$1/health" >/dev/null && return; sleep 0.1; done
}

# Prints a Znuny REST SessionID for root@localhost with password $2 from the server on port $1.
root_session() {
    curl -s -X POST -H 'Content-Type: application/json' -d "{\"UserLogin\":\"root@localhost\",\"Password\":\"$2\"}" \
        "http://127.0.0.1:$1/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST/Session" |
        python3 -c 'import sys, json; print(json.load(sys.stdin)["SessionID"])'
}

# Builds the release binary; sets BIN and BUILD_SECONDS.
build_release() {
    local started=$SECONDS
    swift build -c release --product swiftdesk >&2
    BUILD_SECONDS=$((SECONDS - started))
    BIN="$(swift build -c release --show-bin-path)/swiftdesk"
}

# start_postgres DIR [SETTING...]: starts a throwaway PostgreSQL cluster in DIR (a fresh
# directory) on a free loopback port, tuned for benchmarks (no synchronous commit), with any
# further arguments as extra server settings (`-c name=value`); sets PG_URL. Stop it with
# stop_postgres DIR.
start_postgres() {
    local dir=$1 bin port
    shift
    local extra="$*"
    bin=$(dirname "$(command -v initdb || ls -d /usr/lib/postgresql/*/bin/initdb | tail -n 1)")
    run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
    if [ "$(id -u)" = 0 ]; then
        id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        chown postgres "$dir"
    fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
    run_pg "$bin/initdb" -D "$dir/pg" -U swiftdesk --auth=trust -E UTF8 --no-locale >/dev/null
    run_pg "$bin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w \
        -o "-h 127.0.0.1 -p $port -k $dir -c shared_buffers=1GB -c work_mem=64MB -c maintenance_work_mem=512MB -c synchronous_commit=off -c max_wal_size=4GB $extra" start >/dev/null
    PG_URL="postgres://swiftdesk@127.0.0.1:$port/postgres?sslmode=disable"
}

stop_postgres() {
    local dir=$1 bin
    [ -f "$dir/pg/postmaster.pid" ] || return 0
    bin=$(dirname "$(command -v pg_ctl || ls -d /usr/lib/postgresql/*/bin/pg_ctl | tail -n 1)")
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$bin/pg_ctl" -D "$dir/pg" -m fast stop >/dev/null 2>&1 || true
    else "$bin/pg_ctl" -D "$dir/pg" -m fast stop >/dev/null 2>&1 || true; fi
}
