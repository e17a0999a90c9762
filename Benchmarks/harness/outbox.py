"""How fast a SwiftDesk server drains its mail outbox into an SMTP relay that takes a while per
message (a remote relay: TLS, DNS and content checks cost tens of milliseconds).

Per binary and round: a fresh SQLite database whose settings send by SMTP to a local aiosmtpd
sink; N tickets created through the Znuny REST face with `ArticleSend=1` while the server runs
without a sender (`SWIFTDESK_MAIL_SENDER=0`), so all N messages wait in the outbox; then the server
is started again with its sender and the time until the sink has accepted all N is measured.
Prints messages/s per binary, connection count and round.
"""
import argparse
import asyncio
import concurrent.futures
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

import requests
from aiosmtpd.controller import Controller

REST = "/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    """Accepts every message after `delay` seconds in DATA and counts them; the message to every
    `slow_every`-th customer (customerN@…, N divisible by it) takes `slow_delay` instead."""

    def __init__(self, delay, slow_every=0, slow_delay=0):
        self.delay = delay
        self.slow_every = slow_every
        self.slow_delay = slow_delay
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        number = re.match(r"customer(\d+)@", envelope.rcpt_tos[0] if envelope.rcpt_tos else "")
        if self.slow_every and number and int(number.group(1)) % self.slow_every == 0:
            await asyncio.sleep(self.slow_delay)
        elif self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            self.count += 1
        return "250 2.0.0 Ok: queued"


def start_server(binary, db, port, env):
    server = subprocess.Popen([binary, "serve", "--port", str(port), "--database-url", db, "--log-level", "warning"],
                              env=dict(os.environ, **env), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            requests.get(f"http://127.0.0.1:{port}/health", timeout=1)
            return server
        except requests.ConnectionError:
            time.sleep(0.05)
    server.kill()
    raise SystemExit(f"{binary} did not start")


def stop(server):
    server.terminate()
    server.wait(timeout=30)


def run(binary, messages, connections, delay, slow_every=0, slow_delay=0):
    work = tempfile.mkdtemp(prefix="swiftdesk-outbox.")
    db = f"sqlite:{work}/outbox.sqlite"
    try:
        migrated = subprocess.run([binary, "migrate", "--database-url", db], check=True, capture_output=True, text=True).stdout
        password = next(line.split()[1] for line in migrated.splitlines() if line.startswith("Password:"))
        sink = Sink(delay, slow_every, slow_delay)
        controller = Controller(sink, hostname="127.0.0.1", port=free_port())
        controller.start()
        for key, value in (("SendmailModule", "SMTP"), ("SendmailModule::Host", "127.0.0.1"),
                           ("SendmailModule::Port", str(controller.port)), ("FQDN", "desk.example.org")):
            subprocess.run([binary, "config", "set", key, value, "--database-url", db], check=True, capture_output=True)
        port = free_port()
        server = start_server(binary, db, port, {"SWIFTDESK_MAIL_SENDER": "0"})
        url = f"http://127.0.0.1:{port}{REST}/Ticket"

        def create(n):
            payload = {"UserLogin": "root@localhost", "Password": password,
                       "Ticket": {"Title": f"Outbox {n}", "Queue": "Misc", "State": "new", "Priority": "3 normal",
                                  "CustomerUser": "bench@bench.test"},
                       "Article": {"Subject": f"Outbox {n}", "Body": "Your request is in.", "ArticleSend": 1,
                                   "To": f"customer{n}@bench.test", "ContentType": "text/plain; charset=utf8"}}
            answer = requests.post(url, json=payload, timeout=30).json()
            if "Error" in answer:
                raise SystemExit(f"create failed: {answer}")

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            list(pool.map(create, range(messages)))
        stop(server)
        started = time.monotonic()
        server = start_server(binary, db, port, {"SWIFTDESK_MAIL_CONNECTIONS": str(connections)})
        deadline = started + 600
        while sink.count < messages and time.monotonic() < deadline:
            time.sleep(0.02)
        seconds = time.monotonic() - started
        stop(server)
        controller.stop()
        return sink.count, seconds
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binaries", nargs="+")
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument("--connections", default="1 4", help="connection counts to try (SWIFTDESK_MAIL_CONNECTIONS)")
    parser.add_argument("--delay-ms", type=float, default=20, help="time the sink takes per message")
    parser.add_argument("--slow-every", type=int, default=0, help="every N-th message takes --slow-ms instead (0: none)")
    parser.add_argument("--slow-ms", type=float, default=1000, help="time the sink takes for those messages")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    for round in range(1, args.rounds + 1):
        for binary in args.binaries:
            for connections in map(int, args.connections.split()):
                delivered, seconds = run(binary, args.messages, connections, args.delay_ms / 1000,
                                         args.slow_every, args.slow_ms / 1000)
                print(f"round {round}  {binary:<36} connections {connections:>2}  {delivered} messages in {seconds:6.2f} s"
                      f" = {delivered / seconds:8.1f}/s", flush=True)


if __name__ == "__main__":
    sys.exit(main())
