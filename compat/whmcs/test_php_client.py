"""WHMCS's own PHP curl samples, run unchanged with php-cli + php-curl: the OpenTicket reference
page's "Example Request (CURL)" (clients/openticket.php) and the API "Sample Code" page
(clients/sample_code.php), from WHMCS/developer-docs. Only the URL and the credentials come from
the command line. Skipped, with the reason, where php or its curl extension is missing."""
import base64
import json
import os
import subprocess

import pytest

from realclients import php_missing
from .whmcsutil import ACCESS_CODE, TID, call, md5hex, ok, ticket, url

HERE = os.path.join(os.path.dirname(__file__), "clients")


pytestmark = pytest.mark.skipif(php_missing("curl") is not None, reason=php_missing("curl") or "")


def run_client(script, *args):
    result = subprocess.run(["php", os.path.join(HERE, script), *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout, json.loads(result.stdout.strip().splitlines()[-1])


def _check_sample_ticket(server, answer):
    assert answer["code"] == 200, answer
    body = json.loads(answer["body"])
    assert list(body) == ["result", "id", "tid", "c"]
    assert body["result"] == "success"
    assert isinstance(body["id"], int)
    assert TID.fullmatch(body["tid"]) and ACCESS_CODE.fullmatch(body["c"])
    t = ticket(server, body["id"])
    assert (t["tid"], t["c"]) == (body["tid"], body["c"])
    assert t["deptid"] == "1" and t["deptname"] == "Sample Support Department"
    assert t["subject"] == "This is a sample ticket"
    assert t["priority"] == "Medium"
    assert t["status"] == "Open"
    # clientid 1: the client's own ticket.
    assert (t["userid"], t["contactid"], t["requestor_type"]) == ("1", "0", "Owner")
    assert (t["name"], t["owner_name"], t["email"]) == ("Cynthia Reilly", "Cynthia Reilly", "cynthia.reilly@client.example")
    assert t["admin"] == ""
    opening = t["replies"]["reply"][0]
    assert opening["message"] == "This is a **sample** ticket message"
    assert t["attachments"] == [{"filename": "sample_text_file.txt", "index": 0}]
    assert t["attachment"].endswith("_sample_text_file.txt") and len(t["attachment"]) == 7 + len("sample_text_file.txt")
    got = ok(server, "GetTicketAttachment", relatedid=body["id"], type="ticket", index=0)
    assert got == {"result": "success", "filename": "sample_text_file.txt",
                   "data": base64.b64encode(b"This is a sample text file contents").decode()}


def test_openticket_sample_with_an_api_credential(server):
    """The docs' sample with `username` = identifier, `password` = secret."""
    _, answer = run_client("openticket.php", url(server), server.whmcs_identifier, server.whmcs_secret)
    _check_sample_ticket(server, answer)


def test_openticket_sample_with_an_admin_login(server):
    """The same sample with the admin's username and the MD5 hex of its password."""
    _, answer = run_client("openticket.php", url(server), server.whmcs_admin_login, md5hex(server.whmcs_admin_password))
    _check_sample_ticket(server, answer)


def test_openticket_sample_with_a_wrong_secret(server):
    _, answer = run_client("openticket.php", url(server), server.whmcs_identifier, "wrong-secret")
    assert answer == {"code": 403, "body": '{"result":"error","message":"Authentication Failed"}'}


def test_sample_code_page(server):
    """api/sample-code.md calls GetClients, which SwiftDesk does not implement: with an API
    credential that is 403 `Invalid API Action` (brief §2.6); the sample's var_dump shows it."""
    out, answer = run_client("sample_code.php", server.base + "/", server.whmcs_identifier, server.whmcs_secret)
    assert answer["code"] == 403
    assert answer["decoded"] == {"result": "error", "message": 'Invalid API Action: "getclients" is not a valid API action'}
    assert 'string(58) "Invalid API Action: "getclients" is not a valid API action"' in out
    # The same call from requests answers the same bytes.
    assert call(server, "GetClients").text == answer["body"]
