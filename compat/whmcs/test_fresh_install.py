"""A fresh database (`migrate` + one credential, nothing imported) served under `--whmcs-root`
(SWIFTDESK_WHMCS_ROOT=/billing): WHMCS's reference data as a new install has it (department 1
`Sample Support Department`, the six default statuses), ids counting from 1, the CLI's
administration commands, and an IP allow-list that lets nobody in without the access key."""
import re
import time

import pytest
import requests

from conftest import Server, running

from .whmcsutil import JSON_TYPE, TID, php_json, xml_document

ROOT = "/billing"
DEFAULT_STATUSES = [
    {"title": "Open", "count": 0, "color": "#779500"}, {"title": "Answered", "count": 0, "color": "#000000"},
    {"title": "Customer-Reply", "count": 0, "color": "#ff6600"}, {"title": "On Hold", "count": 0, "color": "#224488"},
    {"title": "In Progress", "count": 0, "color": "#cc0000"}, {"title": "Closed", "count": 0, "color": "#888888"},
]


class FreshServer(Server):
    """`migrate` and one WHMCS credential; WHMCS at /billing/includes/api.php."""

    def __init__(self, binary, workdir):
        super().__init__(binary, workdir)
        self.extra_env = {"SWIFTDESK_WHMCS_ROOT": ROOT}

    def prepare(self):
        out = self.cli("migrate")
        self.root_password = re.search(r"Password:\s+(\S+)", out).group(1)
        self.whmcs_identifier, self.whmcs_secret = self.whmcs_credential("root@localhost")


@pytest.fixture(scope="module")
def fresh():
    with running(FreshServer, "swiftdesk-whmcs-fresh-") as srv:
        yield srv


def api(srv, action, responsetype="json", path=ROOT + "/includes/api.php", headers=None, **params):
    data = {"identifier": srv.whmcs_identifier, "secret": srv.whmcs_secret, "action": action,
            "responsetype": responsetype}
    data.update(params)
    return requests.post(srv.base + path, data=data, headers=headers, timeout=30)


def test_served_under_the_root(fresh):
    r = api(fresh, "GetSupportDepartments")
    assert r.headers["Content-Type"] == JSON_TYPE
    assert r.text == php_json({"result": "success", "totalresults": 1, "departments": {"department": [
        {"id": "1", "name": "Sample Support Department", "awaitingreply": "0", "opentickets": "0"}]}})
    assert api(fresh, "GetSupportDepartments", path="/includes/api.php").status_code == 404


def test_six_default_statuses(fresh):
    r = api(fresh, "GetSupportStatuses")
    assert r.text == php_json({"result": "success", "totalresults": 6, "statuses": {"status": DEFAULT_STATUSES}})
    r = api(fresh, "GetTicketCounts", includeCountsByStatus=1)
    assert r.text == php_json({"result": "success", "filteredDepartments": [1], "allActive": 0, "awaitingReply": 0,
                               "flaggedTickets": 0, "status": {
                                   "open": {"title": "Open", "count": 0}, "answered": {"title": "Answered", "count": 0},
                                   "customerreply": {"title": "Customer-Reply", "count": 0},
                                   "closed": {"title": "Closed", "count": 0},
                                   "onhold": {"title": "On Hold", "count": 0},
                                   "inprogress": {"title": "In Progress", "count": 0}}})
    r = api(fresh, "UpdateTicket", ticketid=1)
    assert r.json() == {"result": "error", "message": "Ticket ID Not Found"}


def test_nothing_else_on_a_fresh_install(fresh):
    assert api(fresh, "GetTicketPredefinedCats").text == '{"result":"success","totalresults":0}'
    assert api(fresh, "GetTicketPredefinedReplies").text == '{"result":"success","totalresults":"0"}'
    assert api(fresh, "GetTickets", "xml").text == xml_document(
        "gettickets", [("result", "success"), ("totalresults", 0), ("startnumber", 0), ("numreturned", 0)])


def test_ids_count_from_one(fresh):
    """docs/whmcs.md: ticket, reply and note ids are the face's sequences, 1, 2, 3, … on a fresh database."""
    first = api(fresh, "OpenTicket", deptid=1, subject="first", message="m", name="A", email="a@example.com").json()
    second = api(fresh, "OpenTicket", deptid=1, subject="second", message="m", name="B", email="b@example.com").json()
    assert (first["id"], second["id"]) == (1, 2)
    assert TID.fullmatch(first["tid"])
    api(fresh, "AddTicketReply", ticketid=2, message="r", adminusername="Admin")
    api(fresh, "AddTicketReply", ticketid=1, message="r", adminusername="Admin")
    api(fresh, "AddTicketNote", ticketid=1, message="n")
    got = api(fresh, "GetTicket", ticketid=1).json()
    assert [r["replyid"] for r in got["replies"]["reply"]] == ["0", "2"]
    assert got["notes"]["note"][0]["noteid"] == "1"
    assert got["notes"]["note"][0]["admin"] == "Admin OTRS"


def test_allow_list_cli(fresh):
    assert fresh.cli("whmcs", "allow-ip", "list").split() == ["127.0.0.1", "::1"]
    with pytest.raises(RuntimeError, match="is not on the list"):
        fresh.cli("whmcs", "allow-ip", "remove", "192.0.2.1")
    with pytest.raises(RuntimeError, match="IP address or CIDR block"):
        fresh.cli("whmcs", "allow-ip", "add", "not-an-ip")


def test_empty_allow_list_needs_the_access_key(fresh):
    """Brief §2.2: an empty allow-list denies everyone; the access key lets a caller past it."""
    with pytest.raises(RuntimeError):
        fresh.cli("config", "set", "WHMCS::AccessKey", "spaces are not allowed")
    fresh.cli("config", "set", "WHMCS::AccessKey", "fresh-key_1")
    fresh.cli("whmcs", "allow-ip", "remove", "127.0.0.1")
    fresh.cli("whmcs", "allow-ip", "remove", "::1")
    time.sleep(5.5)  # the server trusts its cached face configuration for 5 seconds
    try:
        r = api(fresh, "GetSupportStatuses", "xml")
        assert r.status_code == 403
        assert r.text == xml_document("GetSupportStatuses", [("result", "error"), ("message", "Invalid IP 127.0.0.1")],
                                      version="")
        r = api(fresh, "GetSupportStatuses", accesskey="fresh-key_1")
        assert r.status_code == 200 and r.json()["totalresults"] == 6
        r = api(fresh, "GetSupportStatuses", None, accesskey="fresh-key_")
        assert (r.status_code, r.text) == (403, "result=error;message=Invalid Access Key")
    finally:
        fresh.cli("whmcs", "allow-ip", "add", "127.0.0.1")
        fresh.cli("config", "set", "WHMCS::AccessKey", "")
        time.sleep(5.5)
    assert api(fresh, "GetSupportStatuses").status_code == 200
    # Without a configured key, a sent `accesskey` is ignored (pywhmcs7 always sends one).
    assert api(fresh, "GetSupportStatuses", accesskey="anything").status_code == 200


def test_credential_cli(fresh):
    identifier, secret = fresh.whmcs_credential("root@localhost")
    listing = fresh.cli("whmcs", "credential", "list")
    line = [x for x in listing.splitlines() if x.startswith(identifier)][0]
    assert line.split("\t")[1:3] == ["agent root@localhost", "API credential"]
    assert line.split("\t")[3] == "last used never"
    r = requests.post(fresh.base + ROOT + "/includes/api.php", timeout=30, data={
        "identifier": identifier, "secret": secret, "action": "GetSupportStatuses", "responsetype": "json"})
    assert r.json()["result"] == "success"
    assert "last used never" not in [x for x in fresh.cli("whmcs", "credential", "list").splitlines()
                                     if x.startswith(identifier)][0]
    fresh.cli("whmcs", "credential", "revoke", identifier)
    r = requests.post(fresh.base + ROOT + "/includes/api.php", timeout=30, data={
        "identifier": identifier, "secret": secret, "action": "GetSupportStatuses", "responsetype": "json"})
    assert (r.status_code, r.text) == (403, '{"result":"error","message":"Invalid or missing credentials"}')
    with pytest.raises(RuntimeError):
        fresh.cli("whmcs", "credential", "revoke", "no-such-identifier")


def test_admin_login_needs_the_current_password(fresh):
    with pytest.raises(RuntimeError, match="current password"):
        fresh.cli("whmcs", "credential", "admin-login", "--agent", "root@localhost",
                  env={"SWIFTDESK_PASSWORD": "wrong password"})
