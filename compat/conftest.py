"""Starts a real `swiftdesk serve` on a free loopback port with a fresh SQLite database.

The binary comes from $SWIFTDESK_BIN (scripts/test sets it to the debug build). Before the
server starts, the fixture prepares the database with the swiftdesk CLI: a customer user, an
agent with limited rights, dynamic fields, an extra web service named `Ticket`, and the osTicket
face's API keys (bound to 127.0.0.1, where the suites connect from, or deliberately elsewhere),
and the django-helpdesk face's queues (Support, Billing) and DRF tokens (root, cora, reader), and
the WHMCS face's API users (an identifier/secret pair, an MD5 admin login, a read-only agent's
pair), access key, IP allow-list entry, clients and departments (compat/whmcs imports its WHMCS
data set itself, once the server runs). The server trusts `X-Forwarded-For` from 127.0.0.1
(SWIFTDESK_TRUSTED_PROXIES), so the WHMCS suite can call as if from another address.
"""
import contextlib
import os
import re
import socket
import subprocess
import tempfile
import time

import pytest
import requests

WEBSERVICE_TICKET_YAML = """---
Description: the seed example's connector
Provider:
  Operation:
    TicketSearch:
      Type: Ticket::TicketSearch
  Transport:
    Config:
      RouteOperationMapping:
        TicketSearch:
          RequestMethod:
          - POST
          Route: /search
    Type: HTTP::REST
"""

# A second SOAP web service with every operation type SwiftDesk implements (compat/soap checks
# the WSDL of all of them with zeep in strict mode).
WEBSERVICE_SOAP_ALL_YAML = """---
Provider:
  Operation:
    OutOfOffice:
      Type: User::OutOfOffice
    SessionCreate:
      Type: Session::SessionCreate
    SessionRemove:
      Type: Session::SessionRemove
    TicketGetList:
      Type: Ticket::TicketGet
    TimeAccountingGet:
      Type: Ticket::TimeAccountingGet
  Transport:
    Config:
      NameSpace: http://www.otrs.org/TicketConnector/
    Type: HTTP::SOAP
"""


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, workdir):
        self.binary = binary
        self.workdir = workdir
        self.database = "sqlite:" + os.path.join(workdir, "swiftdesk.sqlite")
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.root_password = None
        self.extra_env = {}  # more environment for `serve` (suites that start their own server)
        # The shared credential of the legacy rpc.pl interface (settings SOAP::User/SOAP::Password).
        self.soap_user = "rpc-user"
        self.soap_password = "rpc-secret-password"
        # osTicket API keys (compat/osticket): 32 upper-case hex characters, as osTicket makes them.
        self.osticket_key = "BA00B76BAA30F62E1940B46CC1C3C73C"  # active, may create, from 127.0.0.1
        self.osticket_key_inactive = "0D1E2F3A4B5C6D7E8F90A1B2C3D4E5F6"  # imported with --inactive
        self.osticket_key_nocreate = "C0FFEE00C0FFEE00C0FFEE00C0FFEE00"  # imported with --no-create
        self.osticket_key_elsewhere = "1A2B3C4D5E6F70819293A4B5C6D7E8F9"  # bound to 10.9.9.9
        self.osticket_key_disabled = "DEADBEEFDEADBEEFDEADBEEFDEADBEEF"  # imported, then `apikey disable`
        self.osticket_key_generated = None  # made by `osticket apikey add` in prepare()
        # The django-helpdesk face (compat/django_helpdesk): queue ids and DRF tokens made in prepare().
        self.djhd_queue_support = None  # `djhd queue add --title Support --slug support`
        self.djhd_queue_billing = None  # `djhd queue add --title Billing --slug billing`
        self.djhd_token = None  # root@localhost (staff, admin)
        self.djhd_customer_token = None  # cora (customer user: not staff)
        self.djhd_reader_token = None  # reader (agent with ro rights only)
        # The WHMCS face (compat/whmcs): API users and settings made in prepare().
        self.whmcs_agent_login = "wanda"  # the API admin behind the identifier/secret pair
        self.whmcs_agent_name = "Wanda Admin"
        self.whmcs_agent_id = None
        self.whmcs_identifier = None  # `whmcs credential add --agent wanda`
        self.whmcs_secret = None
        self.whmcs_admin_login = "max"  # `whmcs credential admin-login --agent max` (username + md5 hex)
        self.whmcs_admin_password = "max-legacy-password"
        self.whmcs_admin_name = "Max Legacy"
        self.whmcs_admin_id = None
        self.whmcs_reader_identifier = None  # a pair of the read-only agent `reader`
        self.whmcs_reader_secret = None
        self.whmcs_revoked_identifier = None  # made, then `whmcs credential revoke`d
        self.whmcs_revoked_secret = None
        self.whmcs_access_key = "Acc3ss!@#$%.()*[]-_Key"  # WHMCS::AccessKey: every allowed character class
        self.whmcs_allowed_block = "198.51.100.0/24"  # `whmcs allow-ip add` (besides 127.0.0.1 and ::1)
        self.whmcs_import_output = None  # compat/whmcs/conftest.py imports its data set on first use

    def cli(self, *args, env=None):
        result = subprocess.run(
            [self.binary, *args, "--database-url", self.database],
            capture_output=True, text=True, timeout=120, env=dict(os.environ, **(env or {})),
        )
        if result.returncode != 0:
            raise RuntimeError(f"swiftdesk {' '.join(args)} failed: {result.stderr}")
        return result.stdout

    def prepare(self):
        out = self.cli("migrate")
        match = re.search(r"Password:\s+(\S+)", out)
        assert match, out
        self.root_password = match.group(1)
        self.cli("customer", "add", "--login", "cora", "--password", "cora-password", "--customer-id", "ACME",
                 "--first", "Cora", "--last", "Customer", "--email", "cora@example.org")
        self.cli("customer", "add", "--login", "bob", "--password", "bob-password", "--customer-id", "OTHER",
                 "--first", "Bob", "--last", "Other", "--email", "bob@example.org")
        self.cli("user", "add", "--login", "reader", "--password", "reader-password", "--first", "Rita",
                 "--last", "Reader", "--email", "rita@example.com", "--group", "users:ro")
        self.cli("user", "add", "--login", "olga", "--password", "olga-password", "--first", "Olga",
                 "--last", "Owner", "--email", "olga@example.com", "--group", "users:rw")
        self.cli("dynamic-field", "add", "--name", "Severity", "--type", "Dropdown", "--object", "Ticket",
                 "--values", "low=Low,high=High")
        self.cli("dynamic-field", "add", "--name", "ExternalRef", "--type", "Text", "--object", "Ticket")
        # Znuny's customer user <-> services: Email is cora's, Phone a default service.
        self.cli("service", "add", "--name", "Email")
        self.cli("service", "add", "--name", "Phone")
        self.cli("service", "assign", "--name", "Email", "--customer", "cora")
        self.cli("service", "assign", "--name", "Phone", "--default")
        self.cli("sla", "add", "--name", "Gold", "--service", "Email", "--first-response", "60", "--solution", "480")
        yaml_path = os.path.join(self.workdir, "Ticket.yml")
        with open(yaml_path, "w") as f:
            f.write(WEBSERVICE_TICKET_YAML)
        self.cli("webservice", "import", yaml_path, "--name", "Ticket")
        soap_yaml_path = os.path.join(self.workdir, "SOAPAll.yml")
        with open(soap_yaml_path, "w") as f:
            f.write(WEBSERVICE_SOAP_ALL_YAML)
        self.cli("webservice", "import", soap_yaml_path, "--name", "SOAPAll")
        self.cli("config", "set", "SOAP::User", self.soap_user)
        self.cli("config", "set", "SOAP::Password", self.soap_password)
        self.cli("osticket", "apikey", "import", "--key", self.osticket_key, "--ip", "127.0.0.1",
                 "--notes", "compat suite")
        self.cli("osticket", "apikey", "import", "--key", self.osticket_key_inactive, "--ip", "127.0.0.1", "--inactive")
        self.cli("osticket", "apikey", "import", "--key", self.osticket_key_nocreate, "--ip", "127.0.0.1", "--no-create")
        self.cli("osticket", "apikey", "import", "--key", self.osticket_key_elsewhere, "--ip", "10.9.9.9")
        self.cli("osticket", "apikey", "import", "--key", self.osticket_key_disabled, "--ip", "127.0.0.1")
        self.cli("osticket", "apikey", "disable", "--key", self.osticket_key_disabled)
        out = self.cli("osticket", "apikey", "add", "--ip", "127.0.0.1", "--notes", "made by the compat suite")
        match = re.search(r"^Key:\s*([0-9A-F]{32})\s*$", out, re.MULTILINE)
        assert match, out
        self.osticket_key_generated = match.group(1)
        self.djhd_queue_support = self._djhd_queue("Support", "support")
        self.djhd_queue_billing = self._djhd_queue("Billing", "billing")
        self.djhd_token = self.djhd_token_for("root@localhost")
        self.djhd_customer_token = self.djhd_token_for("cora")
        self.djhd_reader_token = self.djhd_token_for("reader")
        self.prepare_whmcs()

    def prepare_whmcs(self):
        """The WHMCS face's API users, settings, clients and departments."""
        self.whmcs_agent_id = self._agent(self.whmcs_agent_login, "wanda-password", "Wanda", "Admin")
        self.whmcs_admin_id = self._agent(self.whmcs_admin_login, self.whmcs_admin_password, "Max", "Legacy")
        self.whmcs_identifier, self.whmcs_secret = self.whmcs_credential(self.whmcs_agent_login)
        self.whmcs_reader_identifier, self.whmcs_reader_secret = self.whmcs_credential("reader")
        self.whmcs_revoked_identifier, self.whmcs_revoked_secret = self.whmcs_credential(self.whmcs_agent_login)
        self.cli("whmcs", "credential", "revoke", self.whmcs_revoked_identifier)
        out = self.cli("whmcs", "credential", "admin-login", "--agent", self.whmcs_admin_login,
                       env={"SWIFTDESK_PASSWORD": self.whmcs_admin_password})
        assert "may log in" in out, out
        self.cli("config", "set", "WHMCS::AccessKey", self.whmcs_access_key)
        self.cli("whmcs", "allow-ip", "add", self.whmcs_allowed_block)
        self.cli("whmcs", "client", "add", "--id", "1", "--first", "Cynthia", "--last", "Reilly",
                 "--email", "cynthia.reilly@client.example")
        self.cli("whmcs", "client", "add", "--id", "4", "--first", "Alan", "--last", "Acme",
                 "--email", "alan@acme-hosting.example", "--company", "Acme Hosting")
        for name, wanted in (("Sales", None), ("Counting", "9"), ("Zeta Empty", "11")):
            out = self.cli("whmcs", "department", "add", "--name", name, *(["--id", wanted] if wanted else []))
            assert re.fullmatch(r"Department \d+: " + re.escape(name) + r"\s*", out), out

    def _agent(self, login, password, first, last):
        """`user add` prints `Added agent <login> (id N) with …`; returns N."""
        out = self.cli("user", "add", "--login", login, "--password", password, "--first", first, "--last", last,
                       "--email", f"{login}@example.com", "--group", "users:rw")
        match = re.search(r"\(id (\d+)\)", out)
        assert match, out
        return int(match.group(1))

    def whmcs_credential(self, login):
        """`whmcs credential add` prints `Identifier: …` and `Secret: …`; returns both."""
        out = self.cli("whmcs", "credential", "add", "--agent", login)
        identifier = re.search(r"^Identifier: (\S+)\s*$", out, re.MULTILINE)
        secret = re.search(r"^Secret: (\S+)\s*$", out, re.MULTILINE)
        assert identifier and secret, out
        return identifier.group(1), secret.group(1)

    def _djhd_queue(self, title, slug):
        """`djhd queue add` prints `Queue <id>: <title> (<slug>)`; returns the id."""
        out = self.cli("djhd", "queue", "add", "--title", title, "--slug", slug)
        match = re.search(r"^Queue (\d+): " + re.escape(title) + r" \(" + re.escape(slug) + r"\)\s*$", out, re.MULTILINE)
        assert match, out
        return int(match.group(1))

    def djhd_token_for(self, login):
        """`djhd token create` prints `Token: <40 lowercase hex>`; returns the key."""
        out = self.cli("djhd", "token", "create", "--login", login)
        match = re.search(r"^Token: ([0-9a-f]{40})\s*$", out, re.MULTILINE)
        assert match, out
        return match.group(1)

    def start(self):
        self.log = open(os.path.join(self.workdir, "server.log"), "a")
        self.process = subprocess.Popen(
            [self.binary, "serve", "--port", str(self.port), "--database-url", self.database, "--log-level", "warning"],
            stdout=self.log, stderr=subprocess.STDOUT,
            # The suites connect from 127.0.0.1; trusting it lets a test name another caller in
            # X-Forwarded-For (compat/whmcs: `Invalid IP <ip>`). Requests without the header are unaffected.
            env=dict(os.environ, SWIFTDESK_TRUSTED_PROXIES="127.0.0.1", **self.extra_env),
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("swiftdesk serve exited early; see " + self.log.name)
            try:
                if requests.get(self.base + "/ready", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError("swiftdesk serve did not become ready")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.process:
            self.log.close()


def swiftdesk_binary():
    """$SWIFTDESK_BIN, else the debug build next to compat/ (also used by suites that start their own server)."""
    binary = os.environ.get("SWIFTDESK_BIN", os.path.join(os.path.dirname(__file__), "..", ".build", "debug", "swiftdesk"))
    return os.path.abspath(binary)


@contextlib.contextmanager
def running(make_server, prefix):
    """A server made by `make_server(binary, workdir)` in a fresh temporary directory: prepared,
    started, and stopped (its directory removed) afterwards."""
    with tempfile.TemporaryDirectory(prefix=prefix) as workdir:
        srv = make_server(swiftdesk_binary(), workdir)
        srv.prepare()
        srv.start()
        try:
            yield srv
        finally:
            srv.stop()


@pytest.fixture(scope="session")
def server():
    with running(Server, "swiftdesk-compat-") as srv:
        yield srv
