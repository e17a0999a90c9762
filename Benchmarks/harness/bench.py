#!/usr/bin/env python3
"""SwiftDesk benchmark harness (standard library only; the load generator is wrk).

Three modes, all started by ../run.sh:

  sidebyside  SwiftDesk (Znuny REST face) and django-helpdesk (its REST API, set up by
              ../../../shared/peers/django-helpdesk/setup.sh) get the same operations from the
              same load generator in one run: create, get, list (newest 25 with messages),
              follow-up, at concurrency 1 and 16, on a small database and again after both were
              filled to 10,000 tickets through their APIs. Prints a table with the ratio
              SwiftDesk / django-helpdesk per operation and writes a JSON file.
  scale       SwiftDesk alone on a large database made by `swiftdesk bench load`: TicketCreate,
              TicketGet and the search query mix over HTTP, RSS and database size.
  soak        SwiftDesk alone on such a database under a mixed load (creates, updates, gets,
              searches at c=16) for ten minutes: throughput and p99 per operation, RSS and
              database size every 30 s.

Every figure comes from this run on this machine. The server and wrk share the cores; the CPU
used by each is reported next to the throughput (server: utime+stime of its process tree from
/proc; load generator: rusage of the wrk child).
"""
import argparse
import datetime
import json
import math
import os
import platform
import re
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
BENCHMARKS = os.path.dirname(HERE)
REPO = os.path.dirname(BENCHMARKS)
WRK_DIR = os.path.join(BENCHMARKS, "wrk")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1
ZNUNY_BASE = "/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST"
OPERATIONS = ["create", "get", "list", "followup"]


def log(message):
    print(message, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


# ------------------------------------------------------------------ /proc accounting

def process_tree(root):
    """The pid `root` and all its descendants."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry))
            except OSError:
                continue
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(children.get(pid, []))
    return pids


def cpu_seconds(roots):
    total = 0.0
    for root in roots:
        for pid in process_tree(root):
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
            except OSError:
                continue
    return total


def memory_kb(roots, key):
    """Sum of a /proc/<pid>/status field (VmHWM: peak RSS, VmRSS: now) over the process trees."""
    total = 0
    for root in roots:
        for pid in process_tree(root):
            try:
                with open(f"/proc/{pid}/status") as f:
                    for line in f:
                        if line.startswith(key + ":"):
                            total += int(line.split()[1])
            except OSError:
                continue
    return total


def machine():
    model = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    return {"cpu": model, "cores": CORES, "memory_gib": round(mem_kb / 1024 / 1024, 1),
            "kernel": platform.release(), "python": platform.python_version()}


def git_commit():
    try:
        out = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True).stdout.strip()
        return out.stdout.strip() + ("+changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


# ------------------------------------------------------------------ HTTP helpers

def http(method, url, body=None, headers=None, timeout=300):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, json.loads(response.read() or b"null")


def wait_until_up(url, process, seconds=60):
    """Polls `url` every 2 ms; returns the seconds until the first 200."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return time.monotonic() - start
        except OSError:
            time.sleep(0.002)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


# ------------------------------------------------------------------ targets

class SwiftDesk:
    name = "SwiftDesk"
    script = "swiftdesk.lua"

    def __init__(self, binary, database_url, workdir):
        self.binary, self.database_url, self.workdir = binary, database_url, workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.ticket_max = 1
        self.password = None

    def migrate(self):
        start = time.monotonic()
        out = subprocess.run([self.binary, "migrate", "--database-url", self.database_url], capture_output=True, text=True, check=True).stdout
        match = re.search(r"Password:\s*(\S+)", out)
        self.password = match.group(1) if match else None
        elapsed = time.monotonic() - start
        # Mail goes nowhere, as the peer's (Django's dummy e-mail backend): the django-helpdesk
        # face mails every new ticket's submitter, and with no mail server on this machine each
        # message would fail and be retried instead of being composed and recorded once.
        self.cli("config", "set", "SendmailModule", "DoNotSendEmail")
        return elapsed

    def start(self):
        self.log_file = open(os.path.join(self.workdir, "swiftdesk.log"), "w")
        self.process = subprocess.Popen([self.binary, "serve", "--port", str(self.port), "--database-url", self.database_url,
                                         "--log-level", "warning"], stdout=self.log_file, stderr=subprocess.STDOUT)
        started = wait_until_up(self.url + "/health", self.process)
        if self.password is None:
            raise RuntimeError("no admin password: run migrate on a fresh database first")
        _, answer = http("POST", self.url + ZNUNY_BASE + "/Session", {"UserLogin": "root@localhost", "Password": self.password})
        self.session = answer["SessionID"]
        return started

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def roots(self):
        return [self.process.pid]

    def env(self):
        return {"SESSION_ID": self.session, "USER_LOGIN": "root@localhost", "PASSWORD": self.password}

    def ticket_count(self):
        """The highest ticket id (ids have no gaps here: nothing is deleted)."""
        return int(self.sql("SELECT max(id) FROM tickets") or 0)

    def sql(self, query):
        if self.database_url.startswith("sqlite:"):
            with sqlite3.connect("file:" + self.database_url[len("sqlite:"):] + "?mode=ro", uri=True) as db:
                return db.execute(query).fetchone()[0]
        out = subprocess.run(["psql", self.database_url, "-Atc", query], capture_output=True, text=True, check=True)
        return out.stdout.strip()

    def cli(self, *args):
        subprocess.run([self.binary, *args, "--database-url", self.database_url], check=True, stdout=subprocess.DEVNULL)

    def database_bytes(self):
        if self.database_url.startswith("sqlite:"):
            path = self.database_url[len("sqlite:"):]
            with sqlite3.connect(path) as db:
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))
        return int(self.sql("SELECT pg_database_size(current_database())"))

    def live_database_bytes(self):
        """The database's size on disk while it is in use (SQLite: the file and its WAL)."""
        if self.database_url.startswith("sqlite:"):
            path = self.database_url[len("sqlite:"):]
            return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))
        return int(self.sql("SELECT pg_database_size(current_database())"))


class SwiftDeskDjangoFace(SwiftDesk):
    """A second SwiftDesk (its own database) driven through its django-helpdesk face with the
    peer's own wrk script: the same requests django-helpdesk gets."""
    name = "SwiftDesk djhd"
    script = "django.lua"

    def start(self):
        self.log_file = open(os.path.join(self.workdir, "swiftdesk-djhd.log"), "w")
        self.process = subprocess.Popen([self.binary, "serve", "--port", str(self.port), "--database-url", self.database_url,
                                         "--log-level", "warning"], stdout=self.log_file, stderr=subprocess.STDOUT)
        started = wait_until_up(self.url + "/health", self.process)
        queues = []
        for slug, title in (("support", "Support"), ("billing", "Billing")):
            out = self.cli_output("djhd", "queue", "add", "--title", title, "--slug", slug)
            queues.append(re.search(r"Queue (\d+):", out).group(1))
        self.queues = ",".join(queues)
        self.token = re.search(r"Token: (\S+)", self.cli_output("djhd", "token", "create", "--login", "root@localhost")).group(1)
        # The server keeps its catalog up to 5 s (docs/architecture.md): wait until the queues the
        # CLI added are visible to it, or the first creates name queues it does not know yet.
        time.sleep(6)
        return started

    def cli_output(self, *args):
        return subprocess.run([self.binary, *args, "--database-url", self.database_url], check=True, capture_output=True, text=True).stdout

    def env(self):
        return {"TOKEN": self.token, "QUEUES": self.queues}

    def ticket_count(self):
        _, answer = http("GET", self.url + "/api/tickets/?page_size=1", headers={"Authorization": "Token " + self.token})
        return int(answer["count"])


class DjangoHelpdesk:
    name = "django-helpdesk"
    script = "django.lua"

    def __init__(self, peer_dir, state, db):
        self.peer_dir, self.state, self.db = peer_dir, state, db
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ticket_max = 0

    def start(self):
        args = [os.path.join(self.peer_dir, "setup.sh"), "--fresh", "--port", str(self.port), "--state", self.state,
                "--db", self.db, "--version", "==2.6.1"]
        if self.db == "postgres":
            args += ["--pg-port", str(free_port())]
        subprocess.run(args, check=True, stdout=sys.stderr)
        run = os.path.join(self.state, "run")
        self.token = open(os.path.join(run, "token")).read().strip()
        self.queues = open(os.path.join(run, "queues")).read().strip()
        self.versions = open(os.path.join(run, "versions.txt")).read().split()
        self.pids = [int(open(os.path.join(run, f)).read()) for f in ("gunicorn.pid", "postgres.pid") if os.path.exists(os.path.join(run, f))]

    def stop(self):
        subprocess.run([os.path.join(self.peer_dir, "stop.sh"), "--state", self.state], stdout=sys.stderr)

    def roots(self):
        return self.pids

    def env(self):
        return {"TOKEN": self.token, "QUEUES": self.queues}

    def ticket_count(self):
        _, answer = http("GET", self.url + "/api/tickets/?page_size=1", headers={"Authorization": "Token " + self.token})
        return int(answer["count"])

    def database_bytes(self):
        if self.db == "sqlite":
            path = os.path.join(self.state, "db.sqlite3")
            with sqlite3.connect(path) as db:
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return os.path.getsize(path)
        return None


# ------------------------------------------------------------------ one wrk run

# Every server of the run (set by the side-by-side run): each phase waits until all are idle.
SERVERS = []


def settle(target, limit_seconds=90):
    """Waits until every server of the run is idle (under 5 % of a core over half a second), so
    that requests still in flight from the previous phase (a closed wrk connection does not stop a
    gunicorn worker, which may work on a queued request for seconds) neither count against the
    next phase nor take its CPU. Returns the seconds waited."""
    roots = [pid for server in ([target] + [s for s in SERVERS if s is not target]) for pid in server.roots()]
    started = time.monotonic()
    while time.monotonic() - started < limit_seconds:
        before = cpu_seconds(roots)
        time.sleep(0.5)
        if cpu_seconds(roots) - before < 0.025:
            break
    return time.monotonic() - started

SEARCH_SHAPES = ["open tickets of a queue, newest 50", "queue + state + created last 7 days", "owner's open tickets",
                 "customer's tickets", "title LIKE %word%", "ticket id", "dynamic field Equals", "full text, one rare word",
                 "full text, two common words", "sort by dynamic field", "Znuny Fulltext, one word"]


def wrk_env(target, op, limit=None, concurrency=1, extra_env=None):
    env = dict(os.environ)
    env.update(target.env())
    env.update(extra_env or {})
    env.update({"OP": op, "TICKET_MAX": str(max(1, target.ticket_max)), "LUA_PATH": os.path.join(WRK_DIR, "?.lua") + ";;"})
    if limit:
        env["OP_LIMIT"] = str(math.ceil(limit / concurrency))
    return env


def wrk_command(target, concurrency, seconds, timeout=60):
    return ["wrk", f"-t{concurrency}", f"-c{concurrency}", f"-d{seconds}s", f"--timeout={timeout}s",
            "-s", os.path.join(WRK_DIR, target.script), target.url]


def wrk_result(target, op, stdout, stderr):
    line = next((l for l in stdout.splitlines() if l.startswith("BENCH_RESULT ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result for {target.name} {op}: {stdout}\n{stderr}")
    return json.loads(line[len("BENCH_RESULT "):])


def run_wrk(target, op, concurrency, limit, seconds, timeout=60, extra_env=None):
    """Runs `op` against `target` until `limit` operations or `seconds`; returns the measured row."""
    env = wrk_env(target, op, limit, concurrency, extra_env)
    settled = settle(target)
    load = loadavg()
    server_before = cpu_seconds(target.roots())
    usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run(wrk_command(target, concurrency, seconds, timeout), env=env, capture_output=True, text=True)
    wall = time.monotonic() - started
    usage_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_cpu = cpu_seconds(target.roots()) - server_before
    client_cpu = (usage_after.ru_utime + usage_after.ru_stime) - (usage_before.ru_utime + usage_before.ru_stime)
    row = wrk_result(target, op, done.stdout, done.stderr)
    ok = max(1, row["ok"])
    row.update({
        "target": target.name, "op": op, "concurrency": concurrency, "tickets": target.ticket_max,
        "server_cpu_ms_per_op": round(server_cpu * 1000 / ok, 3),
        "server_cpu_share": round(server_cpu / (wall * CORES), 3),
        "client_cpu_ms_per_op": round(client_cpu * 1000 / ok, 3),
        "client_cpu_share": round(client_cpu / (wall * CORES), 3),
        "wall_seconds": round(wall, 2), "load_before": load, "settle_seconds": round(settled, 1),
    })
    if op == "create":
        target.ticket_max += row["ok"]
    if row["errors"] or row["socket_errors"]:
        log(f"  ! {target.name} {op}: {row['errors']} failed operations, {row['socket_errors']} socket errors; first: {row['sample_error']}")
    log(f"  {target.name:16} {op:9} c={concurrency:<2} {row['ops_per_s']:10.1f} ops/s  p50 {row['p50_ms']:8.2f} ms  "
        f"p99 {row['p99_ms']:8.2f} ms  server {row['server_cpu_ms_per_op']:8.2f} CPU ms/op  wrk {row['client_cpu_share'] * 100:3.0f}% of the cores")
    return row


# ------------------------------------------------------------------ side by side

def sidebyside(args):
    quick = args.quick
    phase_seconds = {"SwiftDesk": 3 if quick else 10, "SwiftDesk djhd": 3 if quick else 10, "django-helpdesk": 8 if quick else 30}
    # Operations per phase: SwiftDesk runs by time except creates (so the "small" database stays
    # small); django-helpdesk stops at the peer harness's counts (200 at c=1, 400 at c=16).
    def limit(target, op, concurrency):
        if target.name.startswith("SwiftDesk"):
            return (500 if quick else 1000) * (2 if concurrency > 1 else 1) if op == "create" else None
        return (50 if quick else 200) * (2 if concurrency > 1 else 1)
    seed_total = args.seed or (2000 if quick else 10000)
    work = tempfile.mkdtemp(prefix="swiftdesk-sidebyside.")
    database_url = args.database_url or f"sqlite:{work}/swiftdesk.sqlite"
    swiftdesk = SwiftDesk(args.binary, database_url, work)
    # The django-helpdesk face gets its own database (SQLite; a second PostgreSQL database would
    # need its own cluster), so both SwiftDesk targets hold the same number of tickets.
    djhd = SwiftDeskDjangoFace(args.binary, args.djhd_database_url or f"sqlite:{work}/swiftdesk-djhd.sqlite", work)
    peer = None if args.no_peer else DjangoHelpdesk(args.peer_dir, os.path.join(args.peer_state, "dh-peer"), "postgres" if args.postgres else "sqlite")
    targets = [swiftdesk, djhd] + ([peer] if peer else [])
    SERVERS[:] = targets
    result = {"mode": "sidebyside", "quick": quick, "database": "postgres" if args.postgres else "sqlite",
              "started": utc_now(), "commit": git_commit(), "machine": machine(), "runs": [], "seeding": {}, "sizes": {}, "memory": {}}
    try:
        swiftdesk.migrate()
        swiftdesk.start()
        djhd.migrate()
        djhd.start()
        if peer:
            log("starting django-helpdesk (peer harness setup.sh)")
            peer.start()
            result["peer_versions"] = peer.versions
        log("warm-up")
        for target in targets:
            run_wrk(target, "create", 1, 20, 30)
        for stage in ("small", "seeded"):
            if stage == "seeded":
                for target in targets:
                    missing = seed_total - target.ticket_count()
                    log(f"seeding {target.name} to {seed_total} tickets through its API (c=16, {missing} creates)")
                    if missing > 0:
                        row = run_wrk(target, "create", 16, missing, 3600, timeout=120)
                        result["seeding"][target.name] = {"tickets": row["ok"], "seconds": row["seconds"], "tickets_per_s": row["ops_per_s"],
                                                          "server_cpu_ms_per_ticket": row["server_cpu_ms_per_op"]}
            for target in targets:
                target.ticket_max = target.ticket_count()
                result["sizes"][f"{target.name} {stage}"] = {"tickets": target.ticket_max, "bytes": target.database_bytes()}
            log(f"stage {stage}: " + ", ".join(f"{t.name} {t.ticket_max} tickets" for t in targets))
            order = OPERATIONS if stage == "small" else OPERATIONS[1:] + OPERATIONS[:1]
            for op in order:
                for concurrency in (1, 16):
                    for target in targets:
                        row = run_wrk(target, op, concurrency, limit(target, op, concurrency), phase_seconds[target.name], timeout=120)
                        row["stage"] = stage
                        result["runs"].append(row)
                if op == "get":
                    # Right after TicketGet, on the same tickets (follow-ups later add articles,
                    # which makes every TicketGet after them longer).
                    for extra in ("health", "get-login"):
                        row = run_wrk(swiftdesk, extra, 16, None, phase_seconds["SwiftDesk"])
                        row["stage"] = stage
                        result["runs"].append(row)
        for target in targets:
            result["memory"][target.name] = {"peak_rss_kb": memory_kb(target.roots(), "VmHWM"), "rss_kb": memory_kb(target.roots(), "VmRSS")}
    finally:
        for target in targets:
            target.stop()
        shutil.rmtree(work, ignore_errors=True)
    result["finished"] = utc_now()
    result["start"] = start_cost(args.binary)
    return result


def start_cost(binary):
    """Cold start to the first answered request (fresh database and existing one), binary size."""
    work = tempfile.mkdtemp(prefix="swiftdesk-start.")
    try:
        figures = {"binary_bytes": os.path.getsize(binary)}
        stripped = os.path.join(work, "stripped")
        if shutil.which("strip") and subprocess.run(["strip", "-o", stripped, binary], capture_output=True).returncode == 0:
            figures["stripped_binary_bytes"] = os.path.getsize(stripped)
        for label in ("fresh_database_ms", "existing_database_ms"):
            port = free_port()
            started = time.monotonic()
            process = subprocess.Popen([binary, "serve", "--port", str(port), "--database-url", f"sqlite:{work}/start.sqlite", "--log-level", "warning"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                wait_until_up(f"http://127.0.0.1:{port}/health", process)
                figures[label] = round((time.monotonic() - started) * 1000, 1)
            finally:
                process.terminate()
                process.wait()
        return figures
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ------------------------------------------------------------------ scale

def loaded_swiftdesk(args, work, result):
    """A running SwiftDesk on a database filled by `swiftdesk bench load --tickets N`."""
    database_url = args.database_url or f"sqlite:{work}/scale.sqlite"
    swiftdesk = SwiftDesk(args.binary, database_url, work)
    swiftdesk.migrate()
    log(f"bench load --tickets {args.tickets}")
    started = time.monotonic()
    subprocess.run([args.binary, "bench", "load", "--tickets", str(args.tickets), "--database-url", database_url], check=True, stdout=sys.stderr)
    load_seconds = time.monotonic() - started
    swiftdesk.cli("webservice", "route", "add", "--webservice", "GenericTicketConnectorREST", "--method", "POST",
                  "--route", "/TicketSearch", "--operation", "TicketSearch")
    result["database"] = "postgres" if database_url.startswith(("postgres://", "postgresql://")) else "sqlite"
    result["load"] = {"tickets": args.tickets, "seconds": round(load_seconds, 1), "tickets_per_s": round(args.tickets / load_seconds, 1)}
    swiftdesk.start()
    swiftdesk.ticket_max = swiftdesk.ticket_count()
    result["tickets"] = swiftdesk.ticket_max
    return swiftdesk


def on_loaded_database(args, mode, measure):
    """Loads `--tickets` into a fresh database, starts SwiftDesk on it, runs `measure(swiftdesk,
    result)` and records memory; stops the server and removes the database (unless `--keep`)."""
    if args.workdir:
        os.makedirs(args.workdir, exist_ok=True)
    work = tempfile.mkdtemp(prefix=f"swiftdesk-{mode}.", dir=args.workdir)
    result = {"mode": mode, "started": utc_now(), "commit": git_commit(), "machine": machine()}
    swiftdesk = None
    try:
        swiftdesk = loaded_swiftdesk(args, work, result)
        measure(swiftdesk, result)
        result["memory"] = {"SwiftDesk": {"peak_rss_kb": memory_kb(swiftdesk.roots(), "VmHWM"), "rss_kb": memory_kb(swiftdesk.roots(), "VmRSS")}}
    finally:
        if swiftdesk:
            swiftdesk.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    result["finished"] = utc_now()
    return result


def scale(args):
    seconds = 10 if not args.quick else 3

    def measure(swiftdesk, result):
        result["runs"] = []
        for op, concurrency, limit in (("health", 16, None), ("get", 1, None), ("get", 16, None), ("search", 1, None), ("search", 16, None),
                                       ("create", 1, 3000), ("create", 16, 6000)):
            result["runs"].append(run_wrk(swiftdesk, op, concurrency, limit, seconds))
        for number, shape in enumerate(SEARCH_SHAPES, start=1):
            row = run_wrk(swiftdesk, "search", 1, None, 3, extra_env={"SEARCH_SHAPE": str(number)})
            row["op"] = f"search: {shape}"
            result["runs"].append(row)
        result["database_bytes"] = swiftdesk.database_bytes()

    return on_loaded_database(args, "scale", measure)


# ------------------------------------------------------------------ soak

SOAK_MIX = (("create-bench", 4), ("update", 4), ("get", 4), ("search", 4))
# `--unlike`: new tickets unlike the loaded ones (queue "Raw", wrk's words, no BenchSeverity): no
# dynamic-field, queue or customer shape matches them; wrk's words include common and ordinary
# words of the loader, so the full-text and title shapes match many of them.
SOAK_MIX_UNLIKE = (("create", 4), ("update", 4), ("get", 4), ("search", 4))
SOAK_WINDOW = 30


def soak(args):
    """A mixed load at c=16 (creates of tickets like the loaded ones, updates, gets, searches at
    c=4 each, all at once) for `--minutes` on a database of `--tickets`, in back-to-back windows
    of `--window` seconds (30): per window and operation the throughput and p99, and the
    server's RSS, CPU share and database size (on SQLite with its WAL). `--creates-only` runs the
    creates alone at c=16: how writes fare in the minutes right after a bulk load."""

    mix = SOAK_MIX_UNLIKE if args.unlike else SOAK_MIX
    creates = mix[0][0]
    if args.creates_only:
        mix = ((creates, 16),)
    window_seconds = args.window

    def measure(swiftdesk, result):
        result["windows"] = []
        result["creates"] = creates
        result["mix"] = [[op, c] for op, c in mix]
        result["window_s"] = window_seconds
        statements = StatementTimes.start(swiftdesk)
        settle(swiftdesk)
        if statements:
            statements.delta()
        started = time.monotonic()
        for _ in range(max(1, round(args.minutes * 60 / window_seconds))):
            cpu_before = cpu_seconds(swiftdesk.roots())
            window_started = time.monotonic()
            running = [(op, subprocess.Popen(wrk_command(swiftdesk, c, window_seconds), env=wrk_env(swiftdesk, op), stdout=subprocess.PIPE,
                                             stderr=subprocess.PIPE, text=True)) for op, c in mix]
            rows = {}
            for op, process in running:
                stdout, stderr = process.communicate()
                rows[op] = wrk_result(swiftdesk, op, stdout, stderr)
            wall = time.monotonic() - window_started
            swiftdesk.ticket_max += rows[creates]["ok"]
            window = {
                "end_s": round(time.monotonic() - started), "rss_kb": memory_kb(swiftdesk.roots(), "VmRSS"),
                "server_cpu_share": round((cpu_seconds(swiftdesk.roots()) - cpu_before) / (wall * CORES), 3),
                "database_bytes": swiftdesk.live_database_bytes(), "tickets": swiftdesk.ticket_max,
                "ops": {op: {k: row[k] for k in ("ok", "errors", "socket_errors", "ops_per_s", "p50_ms", "p99_ms", "max_ms")} for op, row in rows.items()},
            }
            if statements:
                window["statements"] = statements.delta()
                window["maintenance"] = statements.maintenance()
            result["windows"].append(window)
            errors = sum(r["errors"] + r["socket_errors"] for r in rows.values())
            log(f"  {window['end_s']:4d} s  " + "  ".join(f"{op} {r['ops_per_s']:7.1f}/s p99 {r['p99_ms']:7.1f} ms" for op, r in rows.items())
                + f"  RSS {window['rss_kb'] / 1024:5.0f} MB  db {megabytes(window['database_bytes'])}" + (f"  {errors} errors" if errors else "")
                + (f"  {maintenance_line(window['maintenance'])}" if window.get("maintenance") else ""))

    return on_loaded_database(args, "soak", measure)


class StatementTimes:
    """PostgreSQL: the statements that took the server's time in each soak window, from
    pg_stat_statements (run.sh preloads it for a soak's cluster). `delta()` gives the top
    statements by execution time since the last call: calls, total and mean milliseconds."""

    TOP = 8

    def __init__(self, swiftdesk):
        self.swiftdesk = swiftdesk
        self.last = {}

    @classmethod
    def start(cls, swiftdesk):
        if swiftdesk.database_url.startswith("sqlite:"):
            return None
        try:
            swiftdesk.sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
            swiftdesk.sql("SELECT count(*) FROM pg_stat_statements")
        except subprocess.CalledProcessError:
            log("pg_stat_statements is not available: no statement times")
            return None
        return cls(swiftdesk)

    def snapshot(self):
        out = self.swiftdesk.sql(
            "SELECT queryid, calls, total_exec_time, regexp_replace(left(query, 160), '\\s+', ' ', 'g') FROM pg_stat_statements "
            "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())")
        rows = {}
        for line in out.splitlines():
            queryid, calls, total, query = line.split("|", 3)
            rows[queryid] = (query, int(calls), float(total))
        return rows

    def maintenance(self):
        """Per maintained table its dead rows and autovacuum/autoanalyze passes so far, and the
        vacuums running now with their phase: whether autovacuum came round during the soak."""
        names = ", ".join(f"'{name}'" for name in MAINTAINED_TABLES)
        tables = {}
        for line in self.swiftdesk.sql(
                f"SELECT relname, n_dead_tup, autovacuum_count, autoanalyze_count FROM pg_stat_user_tables WHERE relname IN ({names})").splitlines():
            name, dead, vacuums, analyses = line.split("|")
            tables[name] = {"dead": int(dead), "autovacuums": int(vacuums), "autoanalyzes": int(analyses)}
        running = self.swiftdesk.sql(
            "SELECT c.relname || ' ' || p.phase FROM pg_stat_progress_vacuum p JOIN pg_class c ON c.oid = p.relid")
        return {"tables": tables, "vacuuming": [line for line in running.splitlines() if line]}

    def delta(self):
        now = self.snapshot()
        changes = []
        for queryid, (query, calls, total) in now.items():
            _, calls_before, total_before = self.last.get(queryid, (query, 0, 0.0))
            if calls > calls_before:
                spent = total - total_before
                changes.append({"query": query, "calls": calls - calls_before, "total_ms": round(spent, 1),
                                "mean_ms": round(spent / (calls - calls_before), 3)})
        self.last = now
        changes.sort(key=lambda c: c["total_ms"], reverse=True)
        return changes[:self.TOP]


MAINTAINED_TABLES = ("tickets", "articles")


def maintenance_line(maintenance):
    """One log line's worth of a window's table maintenance: dead rows, autovacuum passes so far
    and what autovacuum is working on now."""
    tables = " ".join(f"{name} dead {t['dead']:,} vac {t['autovacuums']}" for name, t in maintenance["tables"].items())
    running = ", ".join(maintenance["vacuuming"])
    return tables + (f" (vacuuming {running})" if running else "")


def statement_table(windows):
    """Markdown: the statements that took most time in the last window, with their calls and mean
    time in the first window and the last."""
    first, last = windows[0].get("statements"), windows[-1].get("statements")
    if not first or not last:
        return []
    before = {s["query"]: s for s in first}
    lines = ["", "Statements by server time in the last window (pg_stat_statements), against the first:", "",
             "| statement | first: calls | mean ms | last: calls | mean ms | total ms |", "|---|---:|---:|---:|---:|---:|"]
    for s in last:
        b = before.get(s["query"])
        text = s["query"].replace("|", "\\|")[:110]
        lines.append(f"| `{text}` | {b['calls'] if b else '–'} | {b['mean_ms'] if b else '–'} | {s['calls']} | {s['mean_ms']} | {s['total_ms']:,.0f} |")
    return lines


# ------------------------------------------------------------------ output

def utc_now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def megabytes(value):
    return f"{value / 1024 / 1024:.1f} MB" if value else "n/a"


def ratio(a, b):
    return f"{a / b:,.0f}×" if b and a / b >= 10 else (f"{a / b:.1f}×" if b else "n/a")


def markdown(result):
    m = result["machine"]
    lines = [f"Run {result['started']} – {result['finished']}, commit `{result['commit']}`, "
             f"{m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB, database {result.get('database', 'sqlite')}"
             + (", quick" if result.get("quick") else "") + ".", ""]
    if result["mode"] == "scale":
        load = result["load"]
        lines += [f"{result['tickets']:,} tickets loaded with `swiftdesk bench load` in {load['seconds']} s ({load['tickets_per_s']:,} tickets/s); "
                  f"database {megabytes(result['database_bytes'])}; server peak RSS {result['memory']['SwiftDesk']['peak_rss_kb'] / 1024:.0f} MB.", "",
                  "| op | conc | ops/s | p50 ms | p99 ms | server CPU ms/op | wrk CPU share |", "|---|---:|---:|---:|---:|---:|---:|"]
        for r in result["runs"]:
            lines.append(f"| {r['op']} | {r['concurrency']} | {r['ops_per_s']:,.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['server_cpu_ms_per_op']:.2f} | {r['client_cpu_share'] * 100:.0f}% |")
        return "\n".join(lines)
    if result["mode"] == "soak":
        load = result["load"]
        mix = result.get("mix") or (SOAK_MIX_UNLIKE if result.get("creates") == "create" else SOAK_MIX)
        ops = [op for op, _ in mix]
        lines += [f"{result['tickets']:,} tickets loaded with `swiftdesk bench load` in {load['seconds']} s; then {', '.join(f'{op} c={c}' for op, c in mix)} "
                  f"at once, in {result.get('window_s', SOAK_WINDOW)}-s windows; server peak RSS {result['memory']['SwiftDesk']['peak_rss_kb'] / 1024:.0f} MB.", "",
                  "| end s | " + " | ".join(f"{op} ops/s | {op} p99 ms" for op in ops) + " | errors | server CPU | RSS MB | database |",
                  "|---:|" + "---:|---:|" * len(ops) + "---:|---:|---:|---:|"]
        for w in result["windows"]:
            errors = sum(r["errors"] + r["socket_errors"] for r in w["ops"].values())
            lines.append(f"| {w['end_s']} | " + " | ".join(f"{w['ops'][op]['ops_per_s']:,.0f} | {w['ops'][op]['p99_ms']:.1f}" for op in ops)
                         + f" | {errors} | {w['server_cpu_share'] * 100:.0f}% | {w['rss_kb'] / 1024:.0f} | {megabytes(w['database_bytes'])} |")
        lines += statement_table(result["windows"])
        return "\n".join(lines)
    if result.get("peer_versions"):
        lines += ["Peer: " + ", ".join(result["peer_versions"]) + " (gunicorn, 2 sync workers, token auth; ../shared/peers/django-helpdesk).",
                  "Mail: django-helpdesk with Django's dummy e-mail backend, SwiftDesk with `SendmailModule DoNotSendEmail`"
                  " (messages composed and recorded as sent, sent nowhere).", ""]
    header = ["| stage | op | conc | SwiftDesk ops/s | p50 / p99 ms | CPU ms/op | django-helpdesk ops/s | p50 / p99 ms | CPU ms/op | ratio |",
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    by_key = {}
    for r in result["runs"]:
        by_key[(r["stage"], r["op"], r["concurrency"], r["target"])] = r
    def rows(target):
        for r in result["runs"]:
            if r["target"] != target or r["op"] not in OPERATIONS:
                continue
            peer = by_key.get((r["stage"], r["op"], r["concurrency"], "django-helpdesk"))
            peer_cells = (f"{peer['ops_per_s']:,.1f} | {peer['p50_ms']:,.0f} / {peer['p99_ms']:,.0f} | {peer['server_cpu_ms_per_op']:,.1f}"
                          if peer else "– | – | –")
            lines.append(f"| {r['stage']} ({r['tickets']:,}) | {r['op']} | {r['concurrency']} | {r['ops_per_s']:,.0f} | "
                         f"{r['p50_ms']:.2f} / {r['p99_ms']:.2f} | {r['server_cpu_ms_per_op']:.2f} | {peer_cells} | "
                         f"{ratio(r['ops_per_s'], peer['ops_per_s']) if peer else 'n/a'} |")
    lines += ["SwiftDesk through the Znuny REST face (its own requests for the same operations):", ""] + header
    rows("SwiftDesk")
    if any(r["target"] == "SwiftDesk djhd" for r in result["runs"]):
        lines += ["", "SwiftDesk through its django-helpdesk face (the peer's own requests, `wrk/django.lua`):", ""] + header
        rows("SwiftDesk djhd")
    lines.append("")
    for stage in ("small", "seeded"):
        health = by_key.get((stage, "health", 16, "SwiftDesk"))
        get = by_key.get((stage, "get", 16, "SwiftDesk"))
        login = by_key.get((stage, "get-login", 16, "SwiftDesk"))
        if health and get:
            lines.append(f"- {stage}: SwiftDesk `/health` {health['ops_per_s']:,.0f} req/s at c=16; TicketGet is {get['ops_per_s'] / health['ops_per_s'] * 100:.0f} % of it"
                         + (f"; TicketGet with login+password per request {login['ops_per_s']:,.0f} req/s" if login else "") + ".")
    for name, seed in result["seeding"].items():
        lines.append(f"- seeding {name}: {seed['tickets']:,} tickets through the API at c=16 in {seed['seconds']:.1f} s = {seed['tickets_per_s']:,.1f} tickets/s "
                     f"({seed['server_cpu_ms_per_ticket']:.2f} server CPU ms per ticket).")
    for key, size in result["sizes"].items():
        lines.append(f"- database {key}: {megabytes(size['bytes'])} at {size['tickets']:,} tickets.")
    for name, memory in result["memory"].items():
        lines.append(f"- {name} peak RSS {memory['peak_rss_kb'] / 1024:.0f} MB (summed over its processes).")
    wrk_share = max((r["client_cpu_share"] for r in result["runs"]), default=0)
    lines.append(f"- wrk used up to {wrk_share * 100:.0f} % of the machine's CPU in a phase (see client_cpu_share per run in the JSON).")
    start = result.get("start") or {}
    if start:
        lines.append(f"- binary {megabytes(start['binary_bytes'])} ({megabytes(start.get('stripped_binary_bytes'))} stripped); cold start to the first "
                     f"answered request {start['fresh_database_ms']} ms on a fresh database (migrations included), {start['existing_database_ms']} ms on an existing one.")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["sidebyside", "scale", "soak"])
    parser.add_argument("--binary", required=True, help="the release swiftdesk binary")
    parser.add_argument("--out", required=True, help="JSON file to write")
    parser.add_argument("--quick", action="store_true", help="shorter phases, 2,000 tickets in the seeded stage")
    parser.add_argument("--database-url", help="SwiftDesk database (default: SQLite in a temporary directory)")
    parser.add_argument("--postgres", action="store_true", help="django-helpdesk on PostgreSQL too (give SwiftDesk a postgres:// --database-url)")
    parser.add_argument("--no-peer", action="store_true", help="SwiftDesk only")
    parser.add_argument("--djhd-database-url", help="database of the django-helpdesk-face target (default: SQLite in the temp dir)")
    parser.add_argument("--peer-dir", default=os.path.join(REPO, "..", "shared", "peers", "django-helpdesk"))
    parser.add_argument("--peer-state", default=tempfile.gettempdir(), help="where the peer keeps its virtualenv and database")
    parser.add_argument("--seed", type=int, help="tickets in the seeded stage (default 10,000)")
    parser.add_argument("--tickets", type=int, default=1_000_000, help="scale, soak: tickets to load")
    parser.add_argument("--minutes", type=float, default=10, help="soak: how long the mixed load runs")
    parser.add_argument("--unlike", action="store_true", help="soak: create tickets unlike the loaded ones (the skewed case)")
    parser.add_argument("--creates-only", action="store_true", help="soak: creates alone at c=16, no updates, gets or searches")
    parser.add_argument("--window", type=int, default=SOAK_WINDOW, help="soak: seconds per measured window (default 30)")
    parser.add_argument("--workdir", help="scale, soak: where the database goes, created if missing (default: the temp dir)")
    parser.add_argument("--keep", action="store_true", help="scale, soak: keep the database")
    parser.add_argument("--build-seconds", type=float, help="release build time measured by run.sh, recorded in the JSON")
    args = parser.parse_args()
    if args.window < 1:
        parser.error("--window must be at least 1 second")
    if shutil.which("wrk") is None:
        sys.exit("error: wrk is not installed (run.sh installs it)")
    result = {"sidebyside": sidebyside, "scale": scale, "soak": soak}[args.mode](args)
    if args.build_seconds is not None:
        result["build_seconds"] = args.build_seconds
    table = markdown(result)
    result["markdown"] = table
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
    print(table)
    print(f"\n(JSON: {args.out})")


if __name__ == "__main__":
    main()
