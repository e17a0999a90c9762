"""One desk, two faces: a ticket opened through WHMCS's OpenTicket is a Znuny ticket, answered
through the Znuny REST face (GenericTicketConnectorREST, as compat/znuny calls it), and the answer
shows in WHMCS's GetTicket as a reply by the admin (root@localhost, "Admin OTRS") with the id 10⁹ +
its article id, since it was not made through WHMCS (docs/whmcs.md "Ids and mapping")."""
import time

from znunyrest import znuny_create, znuny_search_title, znuny_ticket_get, znuny_update

from .whmcsutil import assert_error, call, ok, open_ticket, replies, ticket, tickets, unique

FOREIGN = 1000000000
ROOT_NAME = "Admin OTRS"


def test_whmcs_ticket_is_a_znuny_ticket(server):
    t = open_ticket(server, subject=unique("cross"), priority="High", message="Seen from Znuny.\nSecond line.")
    got = znuny_ticket_get(server, znuny_search_title(server, t["subject"]))
    assert (got["Title"], got["Queue"], got["State"], got["Priority"]) == (
        t["subject"], "Sample Support Department", "open", "4 high")
    assert got["CustomerUserID"] == t["params"]["email"]
    assert len(got["Article"]) == 1
    assert got["Article"][0]["Body"] == "Seen from Znuny.\nSecond line."
    assert got["Article"][0]["SenderType"] == "customer"


def test_znuny_answer_is_a_whmcs_reply(server):
    t = open_ticket(server, subject=unique("cross"))
    time.sleep(1.1)  # the answer comes a second later: `lastreply` must follow it
    zid = znuny_search_title(server, t["subject"])
    znuny_update(server, zid, Article={"Subject": "re", "Body": "Answered from Znuny & co",
                                       "ContentType": "text/plain; charset=utf8"})
    article_id = znuny_ticket_get(server, zid)["Article"][1]["ArticleID"]
    got = ticket(server, t["id"])
    assert len(got["replies"]["reply"]) == 2
    reply = got["replies"]["reply"][1]
    assert reply == {
        "replyid": str(FOREIGN + int(article_id)), "userid": "0", "contactid": "0", "name": ROOT_NAME, "email": "",
        "requestor_name": ROOT_NAME, "requestor_email": "", "requestor_type": "Operator", "date": reply["date"],
        "message": "Answered from Znuny &amp; co", "attachment": "", "attachments": [], "attachments_removed": False,
        "admin": ROOT_NAME, "rating": "0"}
    assert got["lastreply"] == reply["date"]
    assert got["notes"] == []


def test_znuny_internal_note_is_a_whmcs_note(server):
    t = open_ticket(server, subject=unique("cross"))
    zid = znuny_search_title(server, t["subject"])
    znuny_update(server, zid, Article={"Subject": "int", "Body": "Only for agents",
                                       "ContentType": "text/plain; charset=utf8", "IsVisibleForCustomer": 0})
    article_id = znuny_ticket_get(server, zid)["Article"][1]["ArticleID"]
    got = ticket(server, t["id"])
    assert len(got["replies"]["reply"]) == 1
    note = got["notes"]["note"][0]
    assert (note["noteid"], note["message"], note["admin"]) == (str(FOREIGN + int(article_id)), "Only for agents",
                                                                ROOT_NAME)
    row = ok(server, "GetTicketNotes", ticketid=t["id"])["notes"]["note"][0]
    assert (row["id"], row["admin"]) == (note["noteid"], ROOT_NAME)


def test_znuny_reply_can_be_edited_and_deleted_through_whmcs(server):
    t = open_ticket(server, subject=unique("cross"))
    zid = znuny_search_title(server, t["subject"])
    znuny_update(server, zid, Article={"Subject": "re", "Body": "first words", "ContentType": "text/plain; charset=utf8"})
    reply_id = replies(server, t["id"])[1]["replyid"]
    r = call(server, "UpdateTicketReply", replyid=reply_id, message="edited in WHMCS")
    assert r.json() == {"result": "success", "replyid": int(reply_id)}
    assert znuny_ticket_get(server, zid)["Article"][1]["Body"] == "edited in WHMCS"
    ok(server, "DeleteTicketReply", ticketid=t["id"], replyid=reply_id)
    assert len(znuny_ticket_get(server, zid)["Article"]) == 1


def test_statuses_cross_both_ways(server):
    t = open_ticket(server, subject=unique("cross"))
    zid = znuny_search_title(server, t["subject"])
    ok(server, "UpdateTicket", ticketid=t["id"], status="On Hold")
    assert znuny_ticket_get(server, zid)["State"] == "on hold"
    ok(server, "UpdateTicket", ticketid=t["id"], status="Customer-Reply")
    assert znuny_ticket_get(server, zid)["State"] == "customer reply"
    znuny_update(server, zid, Ticket={"State": "closed successful"})
    assert ticket(server, t["id"])["status"] == "Closed"
    znuny_update(server, zid, Ticket={"State": "open", "Priority": "5 very high"})
    got = ticket(server, t["id"])
    assert (got["status"], got["priority"]) == ("Open", "High")


def test_whmcs_reply_and_note_in_znuny(server):
    t = open_ticket(server, subject=unique("cross"))
    ok(server, "AddTicketReply", ticketid=t["id"], message="Public answer", adminusername="Wanda Admin")
    ok(server, "AddTicketNote", ticketid=t["id"], message="Private note")
    got = znuny_ticket_get(server, znuny_search_title(server, t["subject"]))
    assert [(a["Body"], a["IsVisibleForCustomer"], a["SenderType"]) for a in got["Article"]] == [
        ("It is broken.", 1, "customer"), ("Public answer", 1, "agent"), ("Private note", 0, "agent")]
    assert got["State"] == "answered"


def test_znuny_ticket_in_a_department(server):
    """A ticket another face creates in a department's queue shows with id 10⁹ + its SwiftDesk id and
    its SwiftDesk number as `tid`."""
    title = unique("from-znuny")
    created = znuny_create(server, "Sample Support Department", title, "made in Znuny")
    whmcs_id = FOREIGN + int(created["TicketID"])
    rows = tickets(server, subject=title)
    assert [(r["id"], r["tid"], r["deptid"], r["status"], r["priority"]) for r in rows] == [
        (str(whmcs_id), created["TicketNumber"], "1", "Open", "Medium")]
    assert (rows[0]["name"], rows[0]["email"]) == ("Cora Customer", "cora@example.org")
    got = ticket(server, whmcs_id)
    assert got["replies"]["reply"][0]["message"] == "made in Znuny"
    assert ok(server, "GetTicket", ticketnum=created["TicketNumber"])["ticketid"] == str(whmcs_id)
    ok(server, "AddTicketReply", ticketid=whmcs_id, message="answered from WHMCS", adminusername="Wanda Admin")
    assert znuny_ticket_get(server, created["TicketID"])["Article"][1]["Body"] == "answered from WHMCS"


def test_tickets_outside_departments_are_invisible(server):
    """A Znuny ticket in a queue that is no department does not exist for WHMCS."""
    title = unique("misc")
    created = znuny_create(server, "Misc", title, "b")
    assert tickets(server, subject=title) == []
    assert_error(call(server, "GetTicket", ticketid=FOREIGN + int(created["TicketID"])), "Ticket ID Not Found")
    assert_error(call(server, "GetTicket", ticketnum=created["TicketNumber"]), "Ticket ID Not Found")
