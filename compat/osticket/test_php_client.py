"""osTicket's classic PHP curl sample (clients/create_ticket.php) against SwiftDesk (spec §7).

scripts/test installs php-cli and php-curl when apt-get is available; without them the test is
skipped with the reason, so a laptop run stays green."""
import json
import os
import subprocess

import pytest

from realclients import php_missing
from osticketutil import NUMBER, email_address, entries, ticket

CLIENT = os.path.join(os.path.dirname(__file__), "clients", "create_ticket.php")


def run_client(*args):
    result = subprocess.run(["php", CLIENT, *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


pytestmark = pytest.mark.skipif(php_missing("curl") is not None, reason=php_missing("curl") or "")


def test_php_sample_creates_a_ticket(server):
    """§7: the curl sample (JSON string body, `Expect:` and `X-API-Key` headers) gets 201 + number."""
    address = email_address("php")
    out = run_client(server.base + "/api/tickets.json", server.osticket_key, address)
    assert out["code"] == 201, out
    assert NUMBER.fullmatch(out["body"]), out
    t = ticket(server, out["body"])
    assert t["subject"] == "Test API message"
    assert t["user_name"] == "John Doe"
    assert t["user_email"]["email"] == address
    first = t["thread_entries"][0]
    assert first["model"]["format"] == "html"
    assert "<b>osTicket API</b>" in first["model"]["body"]
    assert first["annotations"]["has_attachments"] == 1
    assert [m["type"] for m in entries(t)] == ["M"]


def test_php_sample_through_the_router(server):
    """§1: the same sample pointed at api/http.php/tickets.json."""
    out = run_client(server.base + "/api/http.php/tickets.json", server.osticket_key, email_address("php"))
    assert out["code"] == 201 and NUMBER.fullmatch(out["body"]), out


def test_php_sample_with_a_wrong_key(server):
    """§1.1: the sample prints the plain-text refusal the server sent."""
    out = run_client(server.base + "/api/tickets.json", "0123456789ABCDEF0123456789ABCDEF", email_address("php"))
    assert out == {"code": 401, "body": "Valid API key required"}
