"""Real non-Python clients: PHP's SoapClient (WSDL mode) and Perl's SOAP::Lite (rpc.pl and the GI endpoint).

scripts/test installs php-cli, php-soap and libsoap-lite-perl when apt-get is available; without
them these tests are skipped with the reason, so a laptop run stays green."""
import json
import os
import subprocess

import pytest

from realclients import perl_soap_lite_missing, php_missing
from soaputil import RPC_PATH, gi_url, wsdl_url

CLIENTS = os.path.join(os.path.dirname(__file__), "clients")


def run_json(command):
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(php_missing("soap") is not None, reason=php_missing("soap") or "")
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


@pytest.mark.skipif(perl_soap_lite_missing() is not None, reason=perl_soap_lite_missing() or "")
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
    assert out["RefusedFault"] == "SwiftDesk rpc.pl does not support ConfigObject->Set"
    assert out["WrongResult"] is None


@pytest.mark.skipif(perl_soap_lite_missing() is not None, reason=perl_soap_lite_missing() or "")
def test_soap_lite_against_the_generic_interface(server):
    out = run_json(["perl", os.path.join(CLIENTS, "soap_lite_gi.pl"), gi_url(server), server.root_password])
    assert out["TicketID"].isdigit()
    assert out["Title"] == "from SOAP::Lite GI"
    assert out["Body"] == "Body & soul"
    assert out["Found"] == out["TicketID"]
    assert out["WrongCode"] == "SessionCreate.AuthFail"
