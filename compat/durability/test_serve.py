"""`swiftdesk serve` starting up: it says it listens only once it does (with the port it got, also
for --port 0), and a port already taken ends the server with one clear error, without the
background work (outbox, pending check) finding the database closed under it."""
import os
import re
import socket
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
