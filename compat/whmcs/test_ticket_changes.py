"""AddTicketReply, AddTicketNote, UpdateTicket and UpdateTicketReply (spec §4.4-4.6, §4.8; brief
§5.4-5.6, §5.8): who a reply is from, the status it leaves, notes, every field UpdateTicket
changes, and editing replies."""
import time

import pytest

from .whmcsutil import (
    CLIENT_ACME, CLIENT_IMPORTED, CONTACT_OF_2, DEPT_SALES, STATUS_TITLES, assert_error, call, email_address, ok,
    open_ticket, php_json, replies, ticket, tickets,
)


# --- AddTicketReply ----------------------------------------------------------------------------

def test_admin_reply(server):
    """`adminusername`: the reply's admin is that text verbatim; status defaults to Answered."""
    t = open_ticket(server)
    r = call(server, "AddTicketReply", ticketid=t["id"], message="We are on it & more", adminusername="Support Bot")
    assert r.text == '{"result":"success"}'
    got = ticket(server, t["id"])
    assert got["status"] == "Answered"
    reply = got["replies"]["reply"][1]
    assert {k: v for k, v in reply.items() if k not in ("replyid", "date")} == {
        "userid": "0", "contactid": "0", "name": "Support Bot", "email": "", "requestor_name": "Support Bot",
        "requestor_email": "", "requestor_type": "Operator", "message": "We are on it &amp; more", "attachment": "",
        "attachments": [], "attachments_removed": False, "admin": "Support Bot", "rating": "0"}
    assert int(reply["replyid"]) > 0
    assert got["lastreply"] == reply["date"]


def test_admin_reply_fills_placeholders_and_noemail_is_php_truthy(server):
    """AddReply (8.7): an admin's `[NAME]`, `[FIRSTNAME]` and `[EMAIL]` name the requester: a guest
    by the first word of the ticket's name and no last name, a client by its owner; `noemail` is
    read with PHP truthiness, so `false` is accepted as set."""
    address = email_address("placeholder")
    t = open_ticket(server, name="Gina Guest", email=address)
    ok(server, "AddTicketReply", ticketid=t["id"], message="Hi [FIRSTNAME] ([NAME]|[EMAIL])", adminusername="A",
       noemail="false")
    assert replies(server, t["id"])[1]["message"] == f"Hi Gina (Gina |{address})"
    c = open_ticket(server, clientid=CLIENT_IMPORTED)
    ok(server, "AddTicketReply", ticketid=c["id"], message="Dear [NAME]", adminusername="A")
    assert replies(server, c["id"])[1]["message"] == "Dear Ingrid Imported"
    ok(server, "AddTicketReply", ticketid=c["id"], message="Dear [NAME]", clientid=CLIENT_IMPORTED)
    assert replies(server, c["id"])[2]["message"] == "Dear [NAME]"


def test_white_space_is_a_message_and_subjects_are_trimmed(server):
    """`empty($message)`: white space is a message, "0" is none; `Tickets::setSubject` trims."""
    t = open_ticket(server)
    ok(server, "AddTicketReply", ticketid=t["id"], message=" ", adminusername="A")
    ok(server, "AddTicketNote", ticketid=t["id"], message=" ")
    ok(server, "UpdateTicket", ticketid=t["id"], subject="  Trimmed  ")
    assert ticket(server, t["id"])["subject"] == "Trimmed"
    ok(server, "UpdateTicket", ticketid=t["id"], subject="   ")
    assert ticket(server, t["id"])["subject"] == "Trimmed"


@pytest.mark.parametrize("sent,kept", [("On Hold", "On Hold"), ("on hold", "On Hold"), ("CLOSED", "Closed"),
                                       ("Escalated", "Escalated"), ("", "Answered")])
def test_admin_reply_status(server, sent, kept):
    """Brief §5.4: titles matched case-insensitively and canonicalised."""
    t = open_ticket(server)
    ok(server, "AddTicketReply", ticketid=t["id"], message="m", adminusername="Wanda Admin", status=sent)
    assert ticket(server, t["id"])["status"] == kept


def test_client_reply_is_customer_reply_whatever_status_says(server):
    t = open_ticket(server, clientid=CLIENT_ACME)
    ok(server, "UpdateTicket", ticketid=t["id"], status="Answered")
    ok(server, "AddTicketReply", ticketid=t["id"], message="thanks", clientid=CLIENT_ACME, status="Closed")
    got = ticket(server, t["id"])
    assert got["status"] == "Customer-Reply"
    reply = got["replies"]["reply"][1]
    assert (reply["userid"], reply["contactid"], reply["name"], reply["email"], reply["requestor_type"], reply["admin"]) \
        == (str(CLIENT_ACME), "0", "Alan Acme", "alan@acme-hosting.example", "Owner", "")


def test_guest_reply(server):
    t = open_ticket(server)
    address = email_address("replier")
    ok(server, "AddTicketReply", ticketid=t["id"], message="me too", name="Other Guest", email=address)
    got = ticket(server, t["id"])
    assert got["status"] == "Customer-Reply"
    reply = got["replies"]["reply"][1]
    assert (reply["userid"], reply["name"], reply["email"], reply["requestor_name"], reply["requestor_email"],
            reply["requestor_type"]) == ("0", "Other Guest", address, "Other Guest", address, "Guest")
    # The ticket's requester stays who opened it.
    assert (got["name"], got["email"]) == (t["params"]["name"], t["params"]["email"])


def test_contact_reply_shows_the_contact(server):
    """A reply by a contact (clientid + contactid) on its client's ticket is the contact's: WHMCS keeps
    the reply's own userid/contactid and shows that person. Was finding 4."""
    t = open_ticket(server, clientid=CLIENT_IMPORTED)
    ok(server, "AddTicketReply", ticketid=t["id"], message="contact here", clientid=CLIENT_IMPORTED,
       contactid=CONTACT_OF_2)
    reply = replies(server, t["id"])[1]
    assert (reply["userid"], reply["contactid"], reply["name"], reply["email"], reply["requestor_type"]) == (
        "2", "5", "Conny Contact", "conny@imported.example", "Sub-account")


def test_reply_by_another_client_shows_that_client(server):
    t = open_ticket(server)
    ok(server, "AddTicketReply", ticketid=t["id"], message="client here", clientid=CLIENT_ACME)
    reply = replies(server, t["id"])[1]
    assert (reply["userid"], reply["name"], reply["email"]) == (str(CLIENT_ACME), "Alan Acme",
                                                                "alan@acme-hosting.example")


def test_reply_created_in_the_past(server):
    t = open_ticket(server)
    ok(server, "AddTicketReply", ticketid=t["id"], message="late", adminusername="Wanda Admin",
       created="2024-05-05 05:05:05")
    assert replies(server, t["id"])[1]["date"] == "2024-05-05 05:05:05"


def test_reply_created_in_the_past_sets_lastreply(server):
    """Brief §5.4: `lastreply` = `created` or now (the reply's date, even an earlier one)."""
    t = open_ticket(server)
    ok(server, "AddTicketReply", ticketid=t["id"], message="late", adminusername="Wanda Admin",
       created="2024-05-05 05:05:05")
    assert ticket(server, t["id"])["lastreply"] == "2024-05-05 05:05:05"


def test_reply_ids_are_a_sequence(server):
    t = open_ticket(server)
    for text in ("one", "two", "three"):
        ok(server, "AddTicketReply", ticketid=t["id"], message=text, adminusername="Wanda Admin")
    got = replies(server, t["id"])
    numbers = [int(r["replyid"]) for r in got[1:]]
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]
    assert numbers[0] > 501  # after the imported replies
    assert [r["message"] for r in got] == ["It is broken.", "one", "two", "three"]


def test_reply_to_a_closed_ticket_reopens_it(server):
    t = open_ticket(server)
    ok(server, "UpdateTicket", ticketid=t["id"], status="Closed")
    ok(server, "AddTicketReply", ticketid=t["id"], message="again", name="Gus", email="gus@example.com")
    assert ticket(server, t["id"])["status"] == "Customer-Reply"


# --- AddTicketNote -----------------------------------------------------------------------------

def test_note(server):
    t = open_ticket(server)
    before = ticket(server, t["id"])
    time.sleep(1.1)
    r = call(server, "AddTicketNote", ticketid=t["id"], message="Internal <b>only</b>")
    assert r.text == '{"result":"success"}'
    got = ticket(server, t["id"])
    note = got["notes"]["note"][0]
    assert {k: v for k, v in note.items() if k not in ("noteid", "date")} == {
        "message": "Internal &lt;b&gt;only&lt;/b&gt;", "attachment": None, "attachments": [],
        "attachments_removed": False, "admin": "Wanda Admin"}
    assert int(note["noteid"]) > 700
    # A note is no reply: status and last reply stay.
    assert (got["status"], got["lastreply"]) == (before["status"], before["lastreply"])
    assert len(got["replies"]["reply"]) == 1


def test_note_by_ticket_number_wins(server):
    one, two = open_ticket(server), open_ticket(server)
    ok(server, "AddTicketNote", ticketnum=two["tid"], ticketid=one["id"], message="for two")
    assert ticket(server, one["id"])["notes"] == []
    assert [n["message"] for n in ticket(server, two["id"])["notes"]["note"]] == ["for two"]


def test_note_created_in_the_past(server):
    t = open_ticket(server)
    ok(server, "AddTicketNote", ticketid=t["id"], message="old", created="2023-02-03T04:05:06Z")
    assert ticket(server, t["id"])["notes"]["note"][0]["date"] == "2023-02-03 04:05:06"


def test_note_by_the_admin_login(server):
    t = open_ticket(server)
    ok(server, "AddTicketNote", auth="admin", ticketid=t["id"], message="legacy")
    assert ticket(server, t["id"])["notes"]["note"][0]["admin"] == "Max Legacy"


# --- UpdateTicket ------------------------------------------------------------------------------

def test_update_answer(server):
    """Brief §5.6 (C8): `ticketid` as an int."""
    t = open_ticket(server)
    r = call(server, "UpdateTicket", ticketid=t["id"], subject="changed")
    assert r.text == php_json({"result": "success", "ticketid": t["id"]})
    r = call(server, "UpdateTicket", None, ticketid=t["id"])
    assert r.text == f"result=success;ticketid={t['id']}"


def test_update_fields(server):
    t = open_ticket(server, priority="Low")
    ok(server, "UpdateTicket", ticketid=t["id"], subject="New & improved", priority="High", deptid=DEPT_SALES,
       cc="a@example.com,b@example.com", status="In Progress", message="Replaced opening message")
    got = ticket(server, t["id"])
    assert (got["subject"], got["priority"], got["deptid"], got["deptname"], got["cc"], got["status"]) == (
        "New &amp; improved", "High", str(DEPT_SALES), "Sales", "a@example.com,b@example.com", "In Progress")
    assert got["replies"]["reply"][0]["message"] == "Replaced opening message"
    assert len(got["replies"]["reply"]) == 1


@pytest.mark.parametrize("title", STATUS_TITLES)
def test_every_status_can_be_set(server, title):
    t = open_ticket(server)
    ok(server, "UpdateTicket", ticketid=t["id"], status=title)
    assert ticket(server, t["id"])["status"] == title


def test_same_status_again_is_no_error(server):
    t = open_ticket(server)
    ok(server, "UpdateTicket", ticketid=t["id"], status="Open")
    ok(server, "UpdateTicket", ticketid=t["id"], status="Closed")
    ok(server, "UpdateTicket", ticketid=t["id"], status="Closed")
    assert ticket(server, t["id"])["status"] == "Closed"


def test_empty_fields_change_nothing(server):
    t = open_ticket(server, priority="High")
    before = ticket(server, t["id"])
    ok(server, "UpdateTicket", ticketid=t["id"], subject="", priority="", status="", deptid="", message="", flag="")
    after = ticket(server, t["id"])
    for key in ("subject", "priority", "status", "deptid", "flag"):
        assert after[key] == before[key], key
    assert after["replies"]["reply"][0]["message"] == before["replies"]["reply"][0]["message"]


def test_flag_and_remove_flag(server):
    """`flag` is an admin (agent) id; `removeFlag` clears it; GetTicket's `flag` shows it."""
    t = open_ticket(server)
    assert ticket(server, t["id"])["flag"] == "0"
    ok(server, "UpdateTicket", ticketid=t["id"], flag=server.whmcs_admin_id)
    assert ticket(server, t["id"])["flag"] == str(server.whmcs_admin_id)
    ok(server, "UpdateTicket", ticketid=t["id"], removeFlag="1")
    assert ticket(server, t["id"])["flag"] == "0"
    ok(server, "UpdateTicket", ticketid=t["id"], flag=server.whmcs_agent_id)
    ok(server, "UpdateTicket", ticketid=t["id"], removeFlag="false")  # plain truthiness: "false" is true
    assert ticket(server, t["id"])["flag"] == "0"
    ok(server, "UpdateTicket", ticketid=t["id"], flag=server.whmcs_agent_id)
    ok(server, "UpdateTicket", ticketid=t["id"], removeFlag="0")
    assert ticket(server, t["id"])["flag"] == str(server.whmcs_agent_id)


def test_assign_to_a_client_and_back_to_a_guest(server):
    t = open_ticket(server)
    ok(server, "UpdateTicket", ticketid=t["id"], userid=CLIENT_ACME)
    got = ticket(server, t["id"])
    assert (got["userid"], got["name"], got["email"], got["requestor_type"]) == (
        str(CLIENT_ACME), "Alan Acme", "alan@acme-hosting.example", "Owner")
    assert t["id"] in [int(row["id"]) for row in tickets(server, clientid=CLIENT_ACME, subject=t["subject"])]
    address = email_address("back")
    ok(server, "UpdateTicket", ticketid=t["id"], userid=0, name="Back Again", email=address)
    got = ticket(server, t["id"])
    assert (got["userid"], got["name"], got["email"], got["requestor_type"]) == ("0", "Back Again", address, "Guest")


def test_rename_a_guest(server):
    t = open_ticket(server)
    address = email_address("renamed")
    ok(server, "UpdateTicket", ticketid=t["id"], name="New Name", email=address)
    got = ticket(server, t["id"])
    assert (got["name"], got["email"], got["requestor_name"], got["requestor_email"]) == (
        "New Name", address, "New Name", address)


def test_guest_ticket_may_send_userid_zero(server):
    """[C8] checks name and e-mail only when a ticket leaves its client; a guest's ticket stays as it is."""
    t = open_ticket(server)
    ok(server, "UpdateTicket", ticketid=t["id"], userid="0", subject="still a guest")
    got = ticket(server, t["id"])
    assert (got["userid"], got["name"], got["email"], got["subject"]) == (
        "0", t["params"]["name"], t["params"]["email"], "still a guest")


def test_client_id_in_update_is_ignored(server):
    """Brief §5.6: the docs' example sends `clientid`, which UpdateTicket ignores."""
    t = open_ticket(server)
    ok(server, "UpdateTicket", ticketid=t["id"], clientid=CLIENT_ACME)
    assert ticket(server, t["id"])["userid"] == "0"


def test_created_is_checked_but_not_applied(server):
    """Documented deviation: `created` on UpdateTicket is validated, the ticket's date stays."""
    t = open_ticket(server)
    before = ticket(server, t["id"])["date"]
    ok(server, "UpdateTicket", ticketid=t["id"], created="2020-01-01 00:00:00")
    assert ticket(server, t["id"])["date"] == before


# --- UpdateTicketReply -------------------------------------------------------------------------

def test_update_reply(server):
    t = open_ticket(server)
    ok(server, "AddTicketReply", ticketid=t["id"], message="tpyo", adminusername="Wanda Admin")
    reply_id = int(replies(server, t["id"])[1]["replyid"])
    r = call(server, "UpdateTicketReply", replyid=reply_id, message="typo & fixed")
    assert r.text == php_json({"result": "success", "replyid": reply_id})
    got = replies(server, t["id"])
    assert [(x["replyid"], x["message"]) for x in got] == [("0", "It is broken."), (str(reply_id), "typo &amp; fixed")]
    r = call(server, "UpdateTicketReply", None, replyid=reply_id, message="nvp", markdown="true")
    assert r.text == f"result=success;replyid={reply_id}"


def test_update_reply_checks_created_without_applying_it(server):
    t = open_ticket(server)
    ok(server, "AddTicketReply", ticketid=t["id"], message="m", adminusername="Wanda Admin")
    reply = replies(server, t["id"])[1]
    ok(server, "UpdateTicketReply", replyid=reply["replyid"], message="edited", created="2021-01-01 00:00:00")
    edited = replies(server, t["id"])[1]
    assert (edited["message"], edited["date"]) == ("edited", reply["date"])


def test_opening_message_and_notes_are_no_replies(server):
    t = open_ticket(server)
    ok(server, "AddTicketNote", ticketid=t["id"], message="a note")
    note_id = ticket(server, t["id"])["notes"]["note"][0]["noteid"]
    assert_error(call(server, "UpdateTicketReply", replyid=note_id, message="x"), "Reply ID Not Found")
    assert_error(call(server, "UpdateTicketReply", replyid="0", message="x"), "Reply ID Required")


def test_reply_can_be_edited_again(server):
    t = open_ticket(server)
    ok(server, "AddTicketReply", ticketid=t["id"], message="v1", adminusername="Wanda Admin")
    reply_id = replies(server, t["id"])[1]["replyid"]
    ok(server, "UpdateTicketReply", replyid=reply_id, message="v2")
    ok(server, "UpdateTicketReply", replyid=reply_id, message="v3")
    assert replies(server, t["id"])[1]["message"] == "v3"
