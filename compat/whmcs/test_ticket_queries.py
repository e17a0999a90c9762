"""GetTickets (filters, paging, order), GetTicket (by id or number, replies and notes, sort) and
GetTicketNotes (spec §4.2-4.3, §4.12; brief §5.2-5.3, §5.12). The imported tickets 100-102 are
never changed by any test, so their values are exact."""
import time

import pytest

from .whmcsutil import (
    CLIENT_ACME, DEPT_SALES, DEPT_SAMPLE, NOTE_KEYS, NOTE_ROW_KEYS, REPLY_KEYS, TICKET_KEYS, assert_error, call,
    email_address, ok, open_ticket, pairs, php_json, ticket, tickets, unique,
)

IMPORTED_100 = {
    "id": "100", "ticketid": "100", "tid": "IMP-100100", "c": "Imp0rt01", "deptid": "7",
    "deptname": "Technical &amp; Network", "userid": "2", "contactid": "0", "name": "Ingrid Imported",
    "owner_name": "Ingrid Imported", "email": "ingrid@imported.example", "requestor_name": "Ingrid Imported",
    "requestor_email": "ingrid@imported.example", "requestor_type": "Owner", "cc": "boss@imported.example",
    "date": "2024-03-01 10:00:00", "subject": "Imported printer &amp; scanner", "status": "Customer-Reply",
    "priority": "High", "admin": "", "attachment": "", "attachments": [], "attachments_removed": False,
    "lastreply": "2024-03-02 09:30:00", "flag": "0", "service": "S12",
}


def ids(rows):
    return [int(row["id"]) for row in rows]


def batch(server, count, **params):
    """`count` guest tickets sharing a fresh subject prefix; returns (prefix, tickets oldest first)."""
    prefix = unique("batch")
    made = [open_ticket(server, subject=f"{prefix} #{i}", **params) for i in range(count)]
    return prefix, made


# --- GetTickets --------------------------------------------------------------------------------

def test_row_of_an_imported_ticket(server):
    r = call(server, "GetTickets", subject="Imported printer")
    body = r.json()
    assert [k for k, _ in pairs(r.text)] == ["result", "totalresults", "startnumber", "numreturned", "tickets"]
    assert (body["totalresults"], body["startnumber"], body["numreturned"]) == (1, 0, 1)
    row = body["tickets"]["ticket"][0]
    assert list(row) == TICKET_KEYS
    assert row == IMPORTED_100
    assert r.text == php_json(body)


def test_newest_change_first_and_paging(server):
    prefix, made = batch(server, 3)
    rows = tickets(server, subject=prefix)
    assert ids(rows) == [t["id"] for t in reversed(made)]
    body = ok(server, "GetTickets", subject=prefix, limitnum=2)
    assert (body["totalresults"], body["startnumber"], body["numreturned"]) == (3, 0, 2)
    assert ids(body["tickets"]["ticket"]) == [made[2]["id"], made[1]["id"]]
    body = ok(server, "GetTickets", subject=prefix, limitstart=2, limitnum=2)
    assert (body["totalresults"], body["startnumber"], body["numreturned"]) == (3, "2", 1)  # echoed as sent
    assert ids(body["tickets"]["ticket"]) == [made[0]["id"]]
    body = ok(server, "GetTickets", subject=prefix, limitstart=3)
    assert body == {"result": "success", "totalresults": 3, "startnumber": "3", "numreturned": 0}


def test_order_is_by_last_change(server):
    """Documented deviation: GetTickets sorts by the ticket's last change (WHMCS: lastreply)."""
    prefix, made = batch(server, 3)
    time.sleep(1.1)  # change times have whole seconds
    ok(server, "AddTicketReply", ticketid=made[0]["id"], message="bump", adminusername="Wanda Admin")
    assert ids(tickets(server, subject=prefix)) == [made[0]["id"], made[2]["id"], made[1]["id"]]


@pytest.mark.parametrize("limitnum", ["0", ""])
def test_limitnum_defaults_to_25(server, limitnum):
    prefix, _ = batch(server, 1)
    body = ok(server, "GetTickets", limitnum=limitnum)
    assert body["numreturned"] == min(25, body["totalresults"])
    assert ok(server, "GetTickets", subject=prefix, limitnum=limitnum)["numreturned"] == 1


def test_limitnum_as_laravel_reads_it(server):
    """`->limit($limitnum)`: a negative number sets no limit, text is `(int)`, so `x` is 0 rows."""
    prefix, _ = batch(server, 1)
    body = ok(server, "GetTickets", limitnum="-5")
    assert body["numreturned"] == min(250, body["totalresults"])
    assert ok(server, "GetTickets", subject=prefix, limitnum="x")["numreturned"] == 0


def test_default_page_is_25(server):
    batch(server, 26)
    body = ok(server, "GetTickets")
    assert body["totalresults"] > 25 and body["numreturned"] == 25


def test_no_match_has_no_tickets_key(server):
    """Brief §5.2: zero rows → `tickets` absent, counters ints."""
    r = call(server, "GetTickets", subject=unique("nothing"))
    assert r.text == '{"result":"success","totalresults":0,"startnumber":0,"numreturned":0}'


def test_department_filter(server):
    prefix = unique("dept")
    sales = open_ticket(server, subject=prefix + " sales", deptid=DEPT_SALES)
    sample = open_ticket(server, subject=prefix + " sample", deptid=DEPT_SAMPLE)
    assert ids(tickets(server, subject=prefix, deptid=DEPT_SALES)) == [sales["id"]]
    assert ids(tickets(server, subject=prefix, deptid=DEPT_SAMPLE)) == [sample["id"]]
    assert ids(tickets(server, deptid=7)) == [102, 101, 100]  # the imported department
    assert ok(server, "GetTickets", deptid=424242) == {"result": "success", "totalresults": 0, "startnumber": 0,
                                                       "numreturned": 0}


def test_client_filter(server):
    prefix = unique("client")
    mine = open_ticket(server, subject=prefix + " client", clientid=CLIENT_ACME)
    open_ticket(server, subject=prefix + " guest")
    assert ids(tickets(server, subject=prefix, clientid=CLIENT_ACME)) == [mine["id"]]
    assert ids(tickets(server, clientid=2, deptid=7)) == [102, 100]  # the contact's ticket is the client's too
    assert ok(server, "GetTickets", clientid=424242)["totalresults"] == 0


def test_email_filter(server):
    """WHMCS: the ticket's own e-mail (a guest's), or the client with that address (with its contacts'
    tickets); a contact's address is no client's, so only guest tickets with it match."""
    address = email_address("filter")
    one = open_ticket(server, email=address)
    two = open_ticket(server, email=address)
    open_ticket(server)
    assert ids(tickets(server, email=address)) == [two["id"], one["id"]]
    assert ids(tickets(server, email=address.upper())) == [two["id"], one["id"]]
    assert ids(tickets(server, email="ingrid@imported.example", deptid=7)) == [102, 100]
    assert ids(tickets(server, email="conny@imported.example", deptid=7)) == []
    assert ids(tickets(server, email="gus@guest.example")) == [101]
    assert ok(server, "GetTickets", email=email_address("nobody"))["totalresults"] == 0


def test_subject_filter_is_a_like(server):
    prefix = unique("like")
    t = open_ticket(server, subject=f"Re: {prefix} disk full")
    assert ids(tickets(server, subject=prefix)) == [t["id"]]
    assert ids(tickets(server, subject=f"{prefix} disk")) == [t["id"]]
    assert ids(tickets(server, subject=f"{prefix} DISK FULL")) == [t["id"]]
    assert ids(tickets(server, subject=f"{prefix}%full")) == []  # `%` is not a wildcard for callers
    assert ids(tickets(server, subject="printer & scanner")) == [100]  # matched as sent, like WHMCS


def test_empty_subject_matches_everything(server):
    assert ok(server, "GetTickets", subject="")["totalresults"] == ok(server, "GetTickets")["totalresults"]


def test_status_filters(server):
    """A title, `Awaiting Reply` (Open, Customer-Reply and the imported Escalated: showawaiting),
    `All Active Tickets` (everything but Closed), `My Flagged Tickets` (active, flagged to the caller)."""
    prefix = unique("status")
    made = {}
    for title in ["Open", "Answered", "Customer-Reply", "Escalated", "On Hold", "In Progress", "Closed"]:
        t = open_ticket(server, subject=f"{prefix} {title}")
        if title != "Open":
            ok(server, "UpdateTicket", ticketid=t["id"], status=title)
        made[title] = t["id"]

    def found(status):
        return set(ids(tickets(server, subject=prefix, status=status)))

    for title, ticket_id in made.items():
        assert found(title) == {ticket_id}, title
    assert found("on hold") == {made["On Hold"]}  # MySQL's collation ignores case
    assert found("Awaiting Reply") == {made["Open"], made["Customer-Reply"], made["Escalated"]}
    assert found("All Active Tickets") == set(made.values()) - {made["Closed"]}
    assert found("My Flagged Tickets") == set()
    ok(server, "UpdateTicket", ticketid=made["On Hold"], flag=server.whmcs_agent_id)
    ok(server, "UpdateTicket", ticketid=made["Closed"], flag=server.whmcs_agent_id)
    ok(server, "UpdateTicket", ticketid=made["Answered"], flag=server.whmcs_admin_id)
    assert found("My Flagged Tickets") == {made["On Hold"]}
    assert set(ids(tickets(server, subject=prefix, status="My Flagged Tickets", auth="admin"))) == {made["Answered"]}
    assert found("No Such Status") == set()
    assert ok(server, "GetTickets", status="No Such Status") == {"result": "success", "totalresults": 0,
                                                                 "startnumber": 0, "numreturned": 0}


def test_filters_combine(server):
    prefix = unique("combo")
    target = open_ticket(server, subject=prefix, clientid=CLIENT_ACME, deptid=DEPT_SALES)
    open_ticket(server, subject=prefix, clientid=CLIENT_ACME, deptid=DEPT_SAMPLE)
    other = open_ticket(server, subject=prefix, clientid=CLIENT_ACME, deptid=DEPT_SALES)
    ok(server, "UpdateTicket", ticketid=other["id"], status="Closed")
    assert ids(tickets(server, subject=prefix, clientid=CLIENT_ACME, deptid=DEPT_SALES, status="Open")) == [target["id"]]


# --- GetTicket ---------------------------------------------------------------------------------

def test_get_ticket_by_number(server):
    t = open_ticket(server)
    by_id = ticket(server, t["id"])
    assert ok(server, "GetTicket", ticketnum=t["tid"]) == by_id
    assert ok(server, "GetTicket", ticketnum="IMP-100101")["ticketid"] == "101"


def test_ticketid_wins_over_ticketnum(server):
    one, two = open_ticket(server), open_ticket(server)
    assert ok(server, "GetTicket", ticketid=one["id"], ticketnum=two["tid"])["ticketid"] == str(one["id"])


@pytest.mark.parametrize("params", [{}, {"ticketid": 424242}, {"ticketnum": "NOPE-000000"}, {"ticketid": "0"},
                                    {"ticketnum": ""}, {"ticketid": "abc"}])
def test_get_ticket_not_found(server, params):
    assert_error(call(server, "GetTicket", **params), "Ticket ID Not Found")


def test_imported_ticket_with_replies_and_notes(server):
    got = ticket(server, 100)
    assert {k: got[k] for k in TICKET_KEYS} == IMPORTED_100
    replies = got["replies"]["reply"]
    assert [list(r) for r in replies] == [REPLY_KEYS, REPLY_KEYS + ["rating"], REPLY_KEYS + ["rating"]]
    assert replies == [
        {"replyid": "0", "userid": "2", "contactid": "0", "name": "Ingrid Imported", "email": "ingrid@imported.example",
         "requestor_name": "Ingrid Imported", "requestor_email": "ingrid@imported.example", "requestor_type": "Owner",
         "date": "2024-03-01 10:00:00", "message": "The printer &lt;HP&gt; is &quot;offline&quot;.", "attachment": "",
         "attachments": [], "attachments_removed": False, "admin": ""},
        {"replyid": "500", "userid": "0", "contactid": "0", "name": "Imported Admin", "email": "",
         "requestor_name": "Imported Admin", "requestor_email": "", "requestor_type": "Operator",
         "date": "2024-03-01 11:00:00", "message": "We are on it.", "attachment": "", "attachments": [],
         "attachments_removed": False, "admin": "Imported Admin", "rating": "0"},
        {"replyid": "501", "userid": "2", "contactid": "0", "name": "Ingrid Imported",
         "email": "ingrid@imported.example", "requestor_name": "Ingrid Imported",
         "requestor_email": "ingrid@imported.example", "requestor_type": "Owner", "date": "2024-03-02 09:30:00",
         "message": "Still broken.", "attachment": "", "attachments": [], "attachments_removed": False, "admin": "",
         "rating": "4"},
    ]
    assert got["notes"] == {"note": [{"noteid": "700", "date": "2024-03-01 11:05:00", "message": "Check the toner.",
                                      "attachment": None, "attachments": [], "attachments_removed": False,
                                      "admin": "Imported Admin"}]}
    assert list(got["notes"]["note"][0]) == NOTE_KEYS


@pytest.mark.parametrize("sort", ["DESC", "desc", "Desc"])
def test_replies_sort_descending(server, sort):
    got = ticket(server, 100, repliessort=sort)
    assert [r["replyid"] for r in got["replies"]["reply"]] == ["501", "500", "0"]


@pytest.mark.parametrize("sort", ["ASC", "asc", "", "sideways"])
def test_replies_sort_ascending(server, sort):
    got = ticket(server, 100, repliessort=sort)
    assert [r["replyid"] for r in got["replies"]["reply"]] == ["0", "500", "501"]


def test_notes_follow_repliessort(server):
    t = open_ticket(server)
    ok(server, "AddTicketNote", ticketid=t["id"], message="first")
    ok(server, "AddTicketNote", ticketid=t["id"], message="second")
    assert [n["message"] for n in ticket(server, t["id"])["notes"]["note"]] == ["first", "second"]
    assert [n["message"] for n in ticket(server, t["id"], repliessort="DESC")["notes"]["note"]] == ["second", "first"]


def test_ticket_without_notes_sends_an_empty_list(server):
    """Brief §5.3: with no notes 8.x sends `"notes":[]`."""
    t = open_ticket(server)
    r = call(server, "GetTicket", ticketid=t["id"])
    assert r.text.endswith('"notes":[]}')
    assert [k for k, _ in pairs(r.text)] == ["result"] + TICKET_KEYS + ["replies", "notes"]


# --- GetTicketNotes ----------------------------------------------------------------------------

def test_get_ticket_notes(server):
    r = call(server, "GetTicketNotes", ticketid=100)
    assert r.text == php_json({"result": "success", "totalresults": 1, "notes": {"note": [
        {"id": "700", "admin": "Imported Admin", "date": "2024-03-01 11:05:00", "message": "Check the toner.",
         "attachments": "", "attachments_removed": False}]}})


def test_get_ticket_notes_of_a_new_ticket(server):
    t = open_ticket(server)
    ok(server, "AddTicketNote", ticketid=t["id"], message="one & two")
    ok(server, "AddTicketNote", ticketid=t["id"], message="three")
    body = ok(server, "GetTicketNotes", ticketid=t["id"])
    assert body["totalresults"] == 2
    rows = body["notes"]["note"]
    assert [list(n) for n in rows] == [NOTE_ROW_KEYS, NOTE_ROW_KEYS]
    assert [(n["message"], n["admin"]) for n in rows] == [("one &amp; two", "Wanda Admin"), ("three", "Wanda Admin")]
    assert [n["id"] for n in rows] == [n["noteid"] for n in ticket(server, t["id"])["notes"]["note"]]


@pytest.mark.parametrize("params", [{"ticketid": 424242}, {}, {"ticketid": "x"}])
def test_get_ticket_notes_of_nothing_is_not_an_error(server, params):
    """Brief §5.12: an unknown ticket is not an error; empty → `"notes":{"note":[]}`."""
    r = call(server, "GetTicketNotes", **params)
    assert r.text == '{"result":"success","totalresults":0,"notes":{"note":[]}}'


def test_tickets_of_other_queues_are_invisible(server):
    """Only tickets in departments (mapped queues) exist for the face: the seed's ticket 1 in Misc is not found."""
    r = call(server, "GetTicket", ticketid=1000000001)
    assert_error(r, "Ticket ID Not Found")
