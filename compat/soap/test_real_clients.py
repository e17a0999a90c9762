"""Real non-Python clients: PHP's SoapClient (WSDL mode) and Perl's SOAP::Lite (rpc.pl and the GI endpoint).

scripts/test installs php-cli, php-soap and libsoap-lite-perl when apt-get is available; without
them these tests are skipped with the reason, so a laptop run stays green."""
import json
import os
import shutil
import subprocess

import pytest

from soaputil import RPC_PATH, gi_url, wsdl_url

CLIENTS = os.path.join(os.path.dirname(__file__), "clients")


def _php_with_soap():
    if shutil.which("php") is None:
        return "php is not installed (Debian: php-cli php-soap)"
    modules = subprocess.run(["php", "-m"], capture_output=True, text=True).stdout.lower().split()
    return None if "soap" in modules else "PHP's soap extension is missing (Debian: php-soap)"


def _perl_with_soap_lite():
    if shutil.which("perl") is None:
        return "perl is not installed"
    found = subprocess.run(["perl", "-MSOAP::Lite", "-e", "1"], capture_output=True).returncode == 0
    return None if found else "SOAP::Lite is missing (Debian: libsoap-lite-perl)"


def run_json(command):
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(_php_with_soap() is not None, reason=_php_with_soap() or "")
def test_php_soapclient_creates_and_fetches_a_ticket(server):
    out = run_json(["php", os.path.join(CLIENTS, "soapclient.php"), wsdl_url(server), server.root_password])
    assert isinstance(out["created"]["TicketID"], int)
    assert out["created"]["TicketNumber"].isdigit()
    ticket = out["ticket"]
    assert ticket["Title"] == "from PHP"
    assert ticket["TicketID"] == out["created"]["TicketID"]
    assert ticket["Article"]["Body"] == "Grüße from PHP"
    assert out["none"] is None
    assert out["wrong"]["Error"]["ErrorCode"] == "SessionCreate.AuthFail"
    # The last request was SessionCreate, with the WSDL's SOAPAction.
    assert 'SOAPAction: "http://www.otrs.org/TicketConnector/#SessionCreate"' in out["requestHeaders"]


@pytest.mark.skipif(_perl_with_soap_lite() is not None, reason=_perl_with_soap_lite() or "")
def test_soap_lite_rpc_pl_like_seed_000(server):
    out = run_json(["perl", os.path.join(CLIENTS, "soap_lite_rpc.pl"), server.base + RPC_PATH, server.soap_user, server.soap_password])
    assert out["TicketID"].isdigit()
    assert out["ArticleID"].isdigit()
    assert out["Ticket"]["Title"] == "from SOAP::Lite"
    assert out["Ticket"]["Queue"] == "Raw"
    assert out["Ticket"]["Lock"] == "unlock"
    assert out["Ticket"]["TicketNumber"].isdigit()
    assert out["Found"] == [out["TicketID"]]
    assert out["HistoryTypes"][0] == "NewTicket"
    assert "AddNote" in out["HistoryTypes"]
    assert out["RefusedFault"] == "SwiftDesk rpc.pl does not support DBObject->Do"
    assert out["WrongResult"] is None


@pytest.mark.skipif(_perl_with_soap_lite() is not None, reason=_perl_with_soap_lite() or "")
def test_soap_lite_against_the_generic_interface(server):
    out = run_json(["perl", os.path.join(CLIENTS, "soap_lite_gi.pl"), gi_url(server), server.root_password])
    assert out["TicketID"].isdigit()
    assert out["Title"] == "from SOAP::Lite GI"
    assert out["Body"] == "Body & soul"
    assert out["Found"] == out["TicketID"]
    assert out["WrongCode"] == "SessionCreate.AuthFail"
