"""Every action error of spec §4 / brief §5, for each of the 19 actions, with HTTP 200 and the exact
envelope in JSON, XML and NVP. Each request also carries the faults that come *later* in WHMCS's
check order (brief §5 lists them in C8 order), so the expected message proves the order too. A
failed write changes nothing."""
import types

import pytest

from .whmcsutil import (
    CLIENT_ACME, CLIENT_IMPORTED, CLIENT_SAMPLE, CONTACT_OF_2, DEPT_SAMPLE, attachments_json, call, error_json, ok, open_ticket,
    ticket, unique, whmcs_xml,
)

MISSING = 424242
FUTURE = "2999-01-01 00:00:00"
BAD_DATE = "the day after tomorrow"
STATUSES = "Open,Answered,Customer-Reply,Escalated,On Hold,In Progress,Closed"  # sortorder (Escalated imported)
LIST_ACTIONS = {"getsupportdepartments", "getsupportstatuses", "getticket", "getticketnotes",
                "getticketpredefinedcats", "getticketpredefinedreplies", "gettickets"}


@pytest.fixture
def ctx(server):
    """A fresh guest ticket with one attachment, an admin reply and a note, and a client's ticket."""
    t = open_ticket(server, attachments=attachments_json([("only.txt", b"one file")]))
    ok(server, "AddTicketReply", ticketid=t["id"], message="a reply", adminusername="Wanda Admin")
    ok(server, "AddTicketNote", ticketid=t["id"], message="a note")
    got = ticket(server, t["id"])
    client = open_ticket(server, clientid=CLIENT_ACME)
    return types.SimpleNamespace(ticket=t["id"], tid=t["tid"], subject=t["subject"],
                                 reply=int(got["replies"]["reply"][1]["replyid"]),
                                 note=int(got["notes"]["note"][0]["noteid"]), before=got,
                                 client=client["id"], client_before=ticket(server, client["id"]))


def guest(**extra):
    base = {"deptid": DEPT_SAMPLE, "subject": "s", "message": "m", "name": "Gus", "email": "gus@example.com"}
    base.update(extra)
    return {k: v for k, v in base.items() if v is not None}


# (action, params from ctx, message)
CASES = [
    # OpenTicket (brief §5.1 order)
    ("OpenTicket", lambda c: guest(clientid=MISSING, userid=MISSING, contactid=MISSING, deptid=MISSING, subject=""),
     "Client ID Not Found"),
    ("OpenTicket", lambda c: guest(clientid=CLIENT_SAMPLE, userid=CONTACT_OF_2, contactid=MISSING, deptid=MISSING),
     "The system cannot find the provided user ID."),
    ("OpenTicket", lambda c: guest(clientid=CLIENT_SAMPLE, userid=MISSING), "The system cannot find the provided user ID."),
    ("OpenTicket", lambda c: guest(clientid=CLIENT_SAMPLE, contactid=CONTACT_OF_2, deptid=MISSING, subject=""),
     "Contact ID Not Found"),
    ("OpenTicket", lambda c: guest(clientid=CLIENT_IMPORTED, contactid=MISSING), "Contact ID Not Found"),
    ("OpenTicket", lambda c: guest(name="", deptid=MISSING, subject=""),
     "Name and email address are required if not a client"),
    ("OpenTicket", lambda c: guest(email=None, deptid=MISSING), "Name and email address are required if not a client"),
    ("OpenTicket", lambda c: guest(email="not-an-address", deptid=MISSING, subject=""), "Email Address Invalid"),
    ("OpenTicket", lambda c: guest(email="two@@example.com"), "Email Address Invalid"),
    # PHP's FILTER_VALIDATE_EMAIL: no empty dot-atom, no underscore in the domain, no inner space.
    ("OpenTicket", lambda c: guest(email="a..b@example.com"), "Email Address Invalid"),
    ("OpenTicket", lambda c: guest(email="a@exa_mple.com"), "Email Address Invalid"),
    ("OpenTicket", lambda c: guest(email="a b@example.com"), "Email Address Invalid"),
    ("OpenTicket", lambda c: guest(deptid=MISSING, subject="", message="", created=BAD_DATE), "Department ID not found"),
    ("OpenTicket", lambda c: guest(deptid=None), "Department ID not found"),
    ("OpenTicket", lambda c: guest(subject=None, message="", created=BAD_DATE), "Subject is required"),
    ("OpenTicket", lambda c: guest(subject="", created=FUTURE), "Subject is required"),
    ("OpenTicket", lambda c: guest(message="", created=BAD_DATE), "Message is required"),
    ("OpenTicket", lambda c: guest(message=None), "Message is required"),
    ("OpenTicket", lambda c: guest(created=BAD_DATE), "Invalid Date Format"),
    ("OpenTicket", lambda c: guest(created="2024-02-30 10:00:00"), "Invalid Date Format"),
    ("OpenTicket", lambda c: guest(created="2024-01-01 25:00:00"), "Invalid Date Format"),
    ("OpenTicket", lambda c: guest(created=FUTURE), "Ticket creation date cannot be in the future"),
    ("OpenTicket", lambda c: guest(clientid=CLIENT_SAMPLE, created="2999-12-31T23:59:59Z"),
     "Ticket creation date cannot be in the future"),

    # GetTicket
    ("GetTicket", lambda c: {"ticketid": MISSING}, "Ticket ID Not Found"),
    ("GetTicket", lambda c: {}, "Ticket ID Not Found"),
    ("GetTicket", lambda c: {"ticketnum": "NOPE-424242"}, "Ticket ID Not Found"),

    # AddTicketReply (brief §5.4 order)
    ("AddTicketReply", lambda c: {"ticketid": MISSING, "clientid": MISSING, "message": ""}, "Ticket ID Not Found"),
    ("AddTicketReply", lambda c: {"message": "m", "adminusername": "A"}, "Ticket ID Not Found"),
    ("AddTicketReply", lambda c: {"ticketid": c.ticket, "clientid": MISSING, "contactid": MISSING, "message": ""},
     "Client ID Not Found"),
    ("AddTicketReply", lambda c: {"ticketid": c.ticket, "clientid": CLIENT_SAMPLE, "contactid": CONTACT_OF_2,
                                  "message": ""}, "Contact ID Not Found"),
    ("AddTicketReply", lambda c: {"ticketid": c.ticket, "name": "n", "message": "", "created": BAD_DATE},
     "Name and email address are required if not a client"),
    ("AddTicketReply", lambda c: {"ticketid": c.ticket, "name": "n", "email": "bad", "message": ""},
     "Email Address Invalid"),
    ("AddTicketReply", lambda c: {"ticketid": c.ticket, "adminusername": "A", "message": "0", "status": "Bogus"},
     "Message is required"),
    ("AddTicketReply", lambda c: {"ticketid": c.ticket, "clientid": CLIENT_SAMPLE, "message": ""}, "Message is required"),
    ("AddTicketReply", lambda c: {"ticketid": c.ticket, "adminusername": "A", "message": "m", "status": "Bogus",
                                  "created": BAD_DATE}, "Invalid Ticket Status"),
    ("AddTicketReply", lambda c: {"ticketid": c.ticket, "adminusername": "A", "message": "m", "created": BAD_DATE},
     "Invalid Date Format"),
    ("AddTicketReply", lambda c: {"ticketid": c.ticket, "clientid": CLIENT_SAMPLE, "message": "m", "created": FUTURE},
     "Reply creation date cannot be in the future"),

    # AddTicketNote (brief §5.5 order)
    ("AddTicketNote", lambda c: {"ticketid": MISSING, "message": ""}, "Ticket ID not found"),
    ("AddTicketNote", lambda c: {"ticketnum": "NOPE-424242", "ticketid": c.ticket, "message": "m"}, "Ticket ID not found"),
    ("AddTicketNote", lambda c: {"message": "m"}, "Ticket ID not found"),
    ("AddTicketNote", lambda c: {"ticketid": c.ticket, "message": "", "created": BAD_DATE}, "Message is required"),
    ("AddTicketNote", lambda c: {"ticketid": c.ticket, "message": "m", "created": BAD_DATE}, "Invalid Date Format"),
    ("AddTicketNote", lambda c: {"ticketnum": c.tid, "message": "m", "created": FUTURE},
     "Note creation date cannot be in the future"),

    # UpdateTicket (brief §5.6 order)
    ("UpdateTicket", lambda c: {"ticketid": MISSING, "deptid": MISSING, "status": "Bogus"}, "Ticket ID Not Found"),
    ("UpdateTicket", lambda c: {}, "Ticket ID Not Found"),
    # (2)/(3) apply when the ticket leaves its client (`userid` 0 on a client's ticket).
    ("UpdateTicket", lambda c: {"ticketid": c.client, "userid": "0", "name": "n", "deptid": MISSING},
     "Name and email address are required if not a client"),
    ("UpdateTicket", lambda c: {"ticketid": c.client, "userid": "0", "name": "n", "email": "bad", "deptid": MISSING},
     "Email Address Invalid"),
    ("UpdateTicket", lambda c: {"ticketid": c.ticket, "email": "bad"}, "Email Address Invalid"),
    ("UpdateTicket", lambda c: {"ticketid": c.ticket, "deptid": MISSING, "priority": "Urgent", "subject": "changed"},
     "Department ID Not Found"),
    ("UpdateTicket", lambda c: {"ticketid": c.ticket, "priority": "Urgent", "created": BAD_DATE},
     "Invalid Ticket Priority. Valid priorities are: Low,Medium,High"),
    ("UpdateTicket", lambda c: {"ticketid": c.ticket, "priority": "high"},
     "Invalid Ticket Priority. Valid priorities are: Low,Medium,High"),
    ("UpdateTicket", lambda c: {"ticketid": c.ticket, "created": BAD_DATE, "status": "Bogus"}, "Invalid Date Format"),
    ("UpdateTicket", lambda c: {"ticketid": c.ticket, "created": FUTURE, "status": "Bogus"},
     "Ticket creation date cannot be in the future"),
    ("UpdateTicket", lambda c: {"ticketid": c.ticket, "status": "Bogus", "flag": MISSING, "subject": "changed"},
     "Invalid Ticket Status. Valid statuses are: " + STATUSES),
    ("UpdateTicket", lambda c: {"ticketid": c.ticket, "status": "open"}, "Invalid Ticket Status. Valid statuses are: "
     + STATUSES),
    ("UpdateTicket", lambda c: {"ticketid": c.ticket, "flag": MISSING, "subject": "changed"}, "Invalid Admin ID for Flag"),
    # Not in the brief: an unknown client for `userid` (WHMCS would store the id unchecked).
    ("UpdateTicket", lambda c: {"ticketid": c.ticket, "userid": MISSING}, "Client ID Not Found"),

    # DeleteTicket
    ("DeleteTicket", lambda c: {"ticketid": MISSING}, "Ticket ID not found"),
    ("DeleteTicket", lambda c: {}, "Ticket ID not found"),

    # DeleteTicketNote
    ("DeleteTicketNote", lambda c: {"noteid": MISSING}, "Note ID Not Found"),
    ("DeleteTicketNote", lambda c: {}, "Note ID Not Found"),
    ("DeleteTicketNote", lambda c: {"noteid": c.reply}, "Note ID Not Found"),

    # DeleteTicketReply (brief §5.7 order)
    ("DeleteTicketReply", lambda c: {}, "Ticket ID Required"),
    ("DeleteTicketReply", lambda c: {"replyid": MISSING}, "Ticket ID Required"),
    ("DeleteTicketReply", lambda c: {"ticketid": MISSING}, "Reply ID Required"),
    ("DeleteTicketReply", lambda c: {"ticketid": MISSING, "replyid": MISSING}, "Ticket ID Not Found"),
    ("DeleteTicketReply", lambda c: {"ticketid": MISSING, "replyid": c.reply}, "Ticket ID Not Found"),
    ("DeleteTicketReply", lambda c: {"ticketid": c.ticket, "replyid": MISSING}, "Reply ID Not Found"),
    ("DeleteTicketReply", lambda c: {"ticketid": c.ticket, "replyid": c.note}, "Reply ID Not Found"),

    # UpdateTicketReply (brief §5.8 order)
    ("UpdateTicketReply", lambda c: {"message": ""}, "Reply ID Required"),
    ("UpdateTicketReply", lambda c: {"replyid": MISSING, "message": "", "created": BAD_DATE}, "Message is Required"),
    ("UpdateTicketReply", lambda c: {"replyid": MISSING, "message": "m", "created": BAD_DATE}, "Invalid Date Format"),
    ("UpdateTicketReply", lambda c: {"replyid": MISSING, "message": "m", "created": FUTURE},
     "Reply creation date cannot be in the future"),
    ("UpdateTicketReply", lambda c: {"replyid": MISSING, "message": "m"}, "Reply ID Not Found"),
    ("UpdateTicketReply", lambda c: {"replyid": c.note, "message": "m"}, "Reply ID Not Found"),

    # GetTicketAttachment (brief §5.14 order)
    ("GetTicketAttachment", lambda c: {"type": "bogus"}, "Related ID Required"),
    ("GetTicketAttachment", lambda c: {"relatedid": MISSING, "type": "Ticket"},
     "Invalid Type. Must be one of ticket, reply, note"),
    ("GetTicketAttachment", lambda c: {"relatedid": MISSING}, "Invalid Type. Must be one of ticket, reply, note"),
    ("GetTicketAttachment", lambda c: {"relatedid": MISSING, "type": "ticket"}, "Attachment Index Required"),
    ("GetTicketAttachment", lambda c: {"relatedid": MISSING, "type": "ticket", "index": 0}, "Related ID Not Found"),
    ("GetTicketAttachment", lambda c: {"relatedid": MISSING, "type": "reply", "index": 0}, "Related ID Not Found"),
    ("GetTicketAttachment", lambda c: {"relatedid": MISSING, "type": "note", "index": 0}, "Related ID Not Found"),
    ("GetTicketAttachment", lambda c: {"relatedid": c.reply, "type": "reply", "index": 5}, "No Attachments Found"),
    ("GetTicketAttachment", lambda c: {"relatedid": c.note, "type": "note", "index": 0}, "No Attachments Found"),
    ("GetTicketAttachment", lambda c: {"relatedid": c.ticket, "type": "ticket", "index": 1}, "Invalid Attachment Index"),
    ("GetTicketAttachment", lambda c: {"relatedid": c.ticket, "type": "ticket", "index": -1}, "Invalid Attachment Index"),
    # array_key_exists on the raw text: "00", "abc" and "" are no keys.
    ("GetTicketAttachment", lambda c: {"relatedid": c.ticket, "type": "ticket", "index": "00"}, "Invalid Attachment Index"),
    ("GetTicketAttachment", lambda c: {"relatedid": c.ticket, "type": "ticket", "index": "abc"}, "Invalid Attachment Index"),
    ("GetTicketAttachment", lambda c: {"relatedid": c.ticket, "type": "ticket", "index": ""}, "Invalid Attachment Index"),

    # BlockTicketSender (brief §5.15 order)
    ("BlockTicketSender", lambda c: {"delete": 1}, "Ticket ID Required"),
    ("BlockTicketSender", lambda c: {"ticketid": MISSING, "delete": 1}, "Ticket ID Not Found"),

    # MergeTicket (brief §5.16 order)
    ("MergeTicket", lambda c: {"mergeticketids": ""}, "Ticket ID Required"),
    ("MergeTicket", lambda c: {"ticketid": MISSING, "mergeticketids": ""}, "Ticket ID Invalid"),
    ("MergeTicket", lambda c: {"ticketid": c.ticket}, "Merge Ticket IDs Required"),
    ("MergeTicket", lambda c: {"ticketid": c.ticket, "mergeticketids": " , ,"}, "Merge Ticket IDs Required"),
    ("MergeTicket", lambda c: {"ticketid": c.ticket, "mergeticketids": f"{MISSING},424243"},
     "Invalid Merge Ticket IDs: 424242, 424243"),
    ("MergeTicket", lambda c: {"ticketid": c.ticket, "mergeticketids": f"{c.ticket},x<y"},
     "Invalid Merge Ticket IDs: x&lt;y"),
]


def _id(case):
    return case[0] + ": " + case[2]


@pytest.mark.parametrize("case", CASES, ids=[f"{i:02d} {_id(c)}" for i, c in enumerate(CASES)])
def test_action_error(server, ctx, case):
    action, build, message = case
    params = build(ctx)
    if params.get("subject") == "s":
        params["subject"] = unique("error")  # to prove below that no ticket was made
    r = call(server, action, "json", **params)
    assert r.status_code == 200
    assert r.text == error_json(message)
    r = call(server, action, "xml", **params)
    assert (r.status_code, r.text) == (200, whmcs_xml(action.lower(), {"result": "error", "message": message}))
    assert '<whmcsapi version="">' in r.text
    if action.lower() not in LIST_ACTIONS:
        r = call(server, action, None, **params)
        assert (r.status_code, r.text) == (200, f"result=error;message={message}")
    # Nothing was written: the fixture ticket is as it was, and OpenTicket made no ticket.
    assert ticket(server, ctx.ticket) == ctx.before
    assert ticket(server, ctx.client) == ctx.client_before
    if action == "OpenTicket" and params.get("subject"):
        assert ok(server, "GetTickets", subject=params["subject"])["totalresults"] == 0


def test_reply_email_is_not_checked_for_admin_replies(server):
    """Brief §5.4 (5): `Email Address Invalid` is skipped when `adminusername` is set."""
    t = open_ticket(server)
    ok(server, "AddTicketReply", ticketid=t["id"], message="m", adminusername="A", email="not-an-address")


def test_client_cannot_be_blocked(server):
    t = open_ticket(server, clientid=CLIENT_SAMPLE)
    r = call(server, "BlockTicketSender", ticketid=t["id"], delete=1)
    assert r.text == error_json("A Client Cannot Be Blocked")
    assert ticket(server, t["id"])["userid"] == str(CLIENT_SAMPLE)


@pytest.mark.parametrize("action,params", [
    ("GetTickets", {"deptid": MISSING, "clientid": "x", "status": "Nope", "limitstart": "-1", "limitnum": "x"}),
    ("GetSupportDepartments", {"ignore_dept_assignments": "x"}),
    ("GetSupportStatuses", {"deptid": "x"}),
    ("GetTicketCounts", {"includeCountsByStatus": "x", "ignoreDepartmentAssignments": "1"}),
    ("GetTicketNotes", {"ticketid": MISSING}),
    ("GetTicketPredefinedCats", {"catid": MISSING}),
    ("GetTicketPredefinedReplies", {"catid": MISSING}),
])
def test_actions_without_errors(server, action, params):
    """These actions have no error answers (brief §5.2, §5.9-5.13)."""
    assert ok(server, action, **params)["result"] == "success"
