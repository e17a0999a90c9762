"""`swiftdesk whmcs import` (docs/whmcs.md "Migration import"): compat/whmcs/conftest.py imports
fixtures/whmcs-import.json into the running server before the first test; the imported ids, numbers, codes, HTML-decoded
text, statuses, custom fields and predefined replies are what the API shows. The import can run
again (it updates, never duplicates) and names the row of a bad file."""
import json
import os
import tempfile

import pytest

from znunyrest import znuny_search_title, znuny_ticket_get

from .whmcsutil import FIXTURE, call, ok, ticket, tickets

EXPECTED_LINES = [
    "tblclients: 2 created, 0 updated",
    "tblcontacts: 2 created, 0 updated",
    "tblticketdepartments: 1 created, 0 updated",
    "tblticketstatuses: 7 read",
    "tblcustomfields: 3 read",
    "tblticketpredefinedcats: 3 read",
    "tblticketpredefinedreplies: 3 read",
    "tbltickets: 3 created, 0 updated",
    "tblticketreplies: 2 created, 0 updated",
    "tblticketnotes: 1 created, 0 updated",
    "skipped: tblorders",
]


def test_import_report(server):
    """One line per table in the file (rows created or updated where the table's rows become
    SwiftDesk objects of their own, rows read where they only configure), then the skipped tables."""
    assert server.whmcs_import_output.strip().splitlines() == EXPECTED_LINES


def test_ids_numbers_and_codes_are_kept(server):
    rows = tickets(server, deptid=7)
    assert [(r["id"], r["tid"], r["c"]) for r in rows] == [
        ("102", "IMP-100102", "Imp0rt03"), ("101", "IMP-100101", "Imp0rt02"), ("100", "IMP-100100", "Imp0rt01")]
    assert [r["replyid"] for r in ticket(server, 100)["replies"]["reply"]] == ["0", "500", "501"]
    assert ok(server, "GetTicketNotes", ticketid=100)["notes"]["note"][0]["id"] == "700"


def test_imported_guest_ticket_with_an_imported_status(server):
    got = ticket(server, 101)
    assert (got["status"], got["priority"], got["userid"], got["name"], got["email"], got["requestor_type"]) == (
        "Escalated", "Low", "0", "Gus Guest", "gus@guest.example", "Guest")
    assert got["notes"] == []


def test_imported_contact_ticket(server):
    got = ticket(server, 102)
    assert (got["userid"], got["contactid"], got["requestor_type"], got["requestor_name"], got["status"],
            got["priority"]) == ("2", "5", "Sub-account", "Conny Contact", "Closed", "Medium")


def test_text_is_decoded_on_the_way_in(server):
    """WHMCS stores text HTML-encoded; the import decodes it, so the WHMCS face encodes it again
    (JSON as WHMCS sends it, XML decoded) and other faces show it as written."""
    assert ticket(server, 100)["subject"] == "Imported printer &amp; scanner"
    text = call(server, "GetTicket", "xml", ticketid=100).text
    assert "<subject><![CDATA[Imported printer & scanner]]></subject>" in text.split("\n")
    assert '<message><![CDATA[The printer <HP> is "offline".]]></message>' in text.split("\n")
    got = znuny_ticket_get(server, znuny_search_title(server, "Imported printer & scanner"))
    assert got["Title"] == "Imported printer & scanner"
    assert got["Article"][0]["Body"] == 'The printer <HP> is "offline".'


def test_import_again_updates(server):
    """A second run of the same file updates every row and duplicates nothing."""
    before = [ticket(server, n) for n in (100, 101, 102)]
    out = server.cli("whmcs", "import", FIXTURE)
    lines = out.strip().splitlines()
    assert lines == [
        "tblclients: 0 created, 2 updated",
        "tblcontacts: 0 created, 2 updated",
        "tblticketdepartments: 0 created, 1 updated",
        *EXPECTED_LINES[3:7],
        "tbltickets: 0 created, 3 updated",
        "tblticketreplies: 0 created, 2 updated",
        "tblticketnotes: 0 created, 1 updated",
        "skipped: tblorders",
    ]
    assert [ticket(server, n) for n in (100, 101, 102)] == before
    assert len(ok(server, "GetSupportDepartments")["departments"]["department"]) == 5


@pytest.mark.parametrize("content,message", [
    ({"tbltickets": [{"id": 1, "did": 99, "status": "Open", "title": "x", "tid": "BAD-1"}]},
     "tbltickets id 1: column 'did': no department with id 99"),
    ({"tbltickets": [{"id": 1, "did": 1, "status": "Nonexistent", "title": "x"}]},
     "tbltickets id 1: column 'status': unknown status 'Nonexistent'"),
    ({"tblcontacts": [{"id": 9, "userid": 77, "email": "c@example.com"}]},
     "tblcontacts id 9: column 'userid': no tblclients row with id 77 in the file"),
    ({"tblclients": [{"id": 8, "email": "not an address", "firstname": "A", "lastname": "B"}]},
     "tblclients id 8: column 'email': not an e-mail address"),
    ({"tblclients": [{"id": 30, "email": "dup@example.com", "firstname": "A", "lastname": "B"},
                     {"id": 31, "email": "DUP@example.com", "firstname": "C", "lastname": "D"}]},
     "tblclients id 31: column 'email': DUP@example.com is also the address of tblclients id 30"),
    ({"tblticketdepartments": {"id": 1}}, "tblticketdepartments: expected a list of rows"),
    ([1, 2], "the file is not a JSON object of WHMCS tables"),
])
def test_bad_files_name_the_row(server, content, message):
    """A bad file changes nothing and says which table, row and column."""
    with tempfile.TemporaryDirectory() as workdir:
        path = os.path.join(workdir, "bad.json")
        with open(path, "w") as f:
            json.dump(content, f)
        with pytest.raises(RuntimeError) as failure:
            server.cli("whmcs", "import", path)
    assert message in str(failure.value)
    assert call(server, "GetTicket", ticketnum="BAD-1").json()["message"] == "Ticket ID Not Found"


def test_address_of_an_existing_customer_names_the_row(server):
    """docs/whmcs.md: the import "names table, row and column of a bad row". A new client whose address
    is already a customer user's login (here imported client 2's) fails with a bare core conflict."""
    with tempfile.TemporaryDirectory() as workdir:
        path = os.path.join(workdir, "taken.json")
        with open(path, "w") as f:
            json.dump({"tblclients": [{"id": 32, "email": "ingrid@imported.example", "firstname": "A",
                                       "lastname": "B"}]}, f)
        with pytest.raises(RuntimeError) as failure:
            server.cli("whmcs", "import", path)
    assert "tblclients id 32: column 'email'" in str(failure.value)
