"""`swiftdesk serve` starting up: it says it listens only once it does (with the port it got, also
for --port 0), and a port already taken ends the server with one clear error, without the
background work (outbox, pending check) finding the database closed under it."""
import os
import re
import socket
import sqlite3
import subprocess
import tempfile
import time

import requests

from conftest import swiftdesk_binary


def _serve(workdir, port, **env):
    return subprocess.Popen(
        [swiftdesk_binary(), "serve", "--port", str(port), "--database-url", "sqlite:" + os.path.join(workdir, "d.sqlite")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # A pending check and outbox claims every 0.2 s: busy from the first moment.
        env=dict(os.environ, SWIFTDESK_PENDING_CHECK_SECONDS="1", **env),
    )


def test_taken_port_fails_with_one_error():
    with tempfile.TemporaryDirectory(prefix="swiftdesk-serve-") as workdir, socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = _serve(workdir, port)
        out, err = server.communicate(timeout=60)
        assert server.returncode != 0
        assert "listening" not in out
        assert f"error: cannot serve on 127.0.0.1:{port}" in err
        assert "Address already in use" in err
        assert "database is closed" not in out + err
        assert "failed" not in out + err


def test_port_zero_announces_the_port_it_got():
    with tempfile.TemporaryDirectory(prefix="swiftdesk-serve-") as workdir:
        server = _serve(workdir, 0)
        try:
            deadline = time.time() + 60
            match = None
            while match is None and time.time() < deadline:
                line = server.stdout.readline()
                assert line, "serve ended before it listened: " + server.stderr.read()
                match = re.match(r"SwiftDesk listening on http://127\.0\.0\.1:(\d+) ", line)
            assert match, "no listening line"
            port = int(match.group(1))
            assert port != 0
            assert requests.get(f"http://127.0.0.1:{port}/health", timeout=5).json() == {"status": "ok"}
        finally:
            server.terminate()
            server.communicate(timeout=30)
        assert server.returncode == 0


def _wait_for(path, text, timeout=30, after=0):
    """Waits until the file holds `text` past offset `after`; the offset just past it."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        with open(path, encoding="utf-8", errors="replace") as log:
            content = log.read()
        found = content.find(text, after)
        if found >= 0:
            return found + len(text)
        time.sleep(0.1)
    raise AssertionError(f"{path} did not say {text!r} within {timeout} s:\n{content[-2000:]}")


def test_two_servers_leave_background_work_to_one():
    """Two servers on one database: the second leaves the pending check to the first, and takes it
    over as soon as the first has shut down (and given up its lease)."""
    with tempfile.TemporaryDirectory(prefix="swiftdesk-serve-") as workdir:
        database = os.path.join(workdir, "d.sqlite")
        servers, logs = [], []
        try:
            for name in ("first", "second"):
                logs.append(os.path.join(workdir, name + ".log"))
                with open(logs[-1], "w") as log:
                    servers.append(subprocess.Popen(
                        [swiftdesk_binary(), "serve", "--port", "0", "--database-url", "sqlite:" + database, "--log-level", "debug"],
                        stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, SWIFTDESK_PENDING_CHECK_SECONDS="1")))
                _wait_for(logs[-1], "SwiftDesk listening on")
            first, second = servers
            _wait_for(logs[0], "[DeskServer] pending check\n")
            waited = _wait_for(logs[1], "[DeskServer] pending check left to another server")
            with open(logs[1], encoding="utf-8") as log:
                assert "[DeskServer] pending check\n" not in log.read()

            first.terminate()
            assert first.wait(timeout=30) == 0
            _wait_for(logs[1], "[DeskServer] pending check\n", timeout=10, after=waited)
            with sqlite3.connect(database) as db:
                holder, = db.execute("SELECT holder FROM background_leases WHERE name = 'PendingCheck'").fetchone()
            assert holder.split(":")[-2] == str(second.pid)

            second.terminate()
            assert second.wait(timeout=30) == 0
            with sqlite3.connect(database) as db:
                assert db.execute("SELECT expires_at FROM background_leases WHERE name = 'PendingCheck'").fetchone() == (0,)
        finally:
            for server in servers:
                if server.poll() is None:
                    server.kill()
                    server.wait()
