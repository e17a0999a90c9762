"""Outgoing mail against a real SMTP server: aiosmtpd (from PyPI) listens on loopback in this
process and keeps every message it accepts; a SwiftDesk server of its own (module scope) sends
to it with `SendmailModule SMTP` and retries after one second (SWIFTDESK_MAIL_RETRY_SECONDS)."""
import asyncio
import email
import email.policy
import socket
import threading
import time

import pytest
from aiosmtpd.controller import Controller

from conftest import Server, running

FQDN = "desk.example.org"
REJECTED_DOMAIN = "reject.example"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Received:
    """What the SMTP server accepted: envelope and message, in arrival order."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()
        # Seconds each DATA takes (a slow relay), and the most DATA phases seen at once.
        self.delay = 0
        self.in_data = 0
        self.most_in_data = 0
        # Seconds the DATA of a message to one of these recipients takes, and the recipients
        # whose DATA has begun.
        self.slow_recipients = {}
        self.slow_started = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@" + REJECTED_DOMAIN):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        delays = {r: self.slow_recipients.get(r, 0) for r in envelope.rcpt_tos}
        slow = [r for r, seconds in delays.items() if seconds]
        if slow:
            with self.lock:
                self.slow_started.update(slow)
            await asyncio.sleep(max(delays.values()))
        if self.delay:
            with self.lock:
                self.in_data += 1
                self.most_in_data = max(self.most_in_data, self.in_data)
            await asyncio.sleep(self.delay)
            with self.lock:
                self.in_data -= 1
        with self.lock:
            self.messages.append({
                "mail_from": envelope.mail_from,
                "rcpt_tos": list(envelope.rcpt_tos),
                "raw": envelope.original_content,
                "message": email.message_from_bytes(envelope.original_content, policy=email.policy.default),
            })
        return "250 2.0.0 Ok: queued"

    def wait_for(self, predicate, timeout=20):
        """The first message for which `predicate(message)` holds, waiting for it to arrive."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                for message in self.messages:
                    if predicate(message):
                        return message
            time.sleep(0.1)
        raise AssertionError("no such message arrived within %s s" % timeout)

    def matching(self, predicate):
        with self.lock:
            return [m for m in self.messages if predicate(m)]


class SMTPServer:
    """aiosmtpd on a fixed loopback port that can be stopped and started again."""

    def __init__(self):
        self.port = free_port()
        self.received = Received()
        self.controller = None

    def start(self):
        self.controller = Controller(self.received, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None


class MailServer(Server):
    """A SwiftDesk server whose settings send mail to the test's SMTP server."""

    smtp_port = None

    def __init__(self, binary, workdir):
        super().__init__(binary, workdir)
        self.extra_env = {"SWIFTDESK_MAIL_RETRY_SECONDS": "1"}

    def prepare(self):
        super().prepare()
        for key, value in (("FQDN", FQDN), ("SendmailModule", "SMTP"), ("SendmailModule::Host", "127.0.0.1"),
                           ("SendmailModule::Port", str(self.smtp_port))):
            self.cli("config", "set", key, value)


@pytest.fixture(scope="module")
def smtp():
    server = SMTPServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def desk(smtp):
    MailServer.smtp_port = smtp.port
    with running(MailServer, "swiftdesk-mail-") as srv:
        yield srv
