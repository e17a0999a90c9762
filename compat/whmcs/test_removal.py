"""DeleteTicket, DeleteTicketNote, DeleteTicketReply, BlockTicketSender and MergeTicket (spec
§4.7, §4.15-4.16; brief §5.7, §5.15-5.16)."""
import time

import pytest

from .whmcsutil import (
    CLIENT_ACME, assert_error, call, ok, open_ticket, php_json, replies, ticket, tickets, unique,
)


# --- DeleteTicket ------------------------------------------------------------------------------

def test_delete_ticket(server):
    t = open_ticket(server)
    ok(server, "AddTicketReply", ticketid=t["id"], message="r", adminusername="Wanda Admin")
    ok(server, "AddTicketNote", ticketid=t["id"], message="n")
    r = call(server, "DeleteTicket", ticketid=t["id"])
    assert r.text == '{"result":"success"}'
    assert_error(call(server, "GetTicket", ticketid=t["id"]), "Ticket ID Not Found")
    assert_error(call(server, "GetTicket", ticketnum=t["tid"]), "Ticket ID Not Found")
    assert ok(server, "GetTickets", subject=t["subject"])["totalresults"] == 0
    assert_error(call(server, "DeleteTicket", ticketid=t["id"]), "Ticket ID not found")


def test_delete_ticket_nvp(server):
    t = open_ticket(server)
    assert call(server, "DeleteTicket", None, ticketid=t["id"]).text == "result=success"


# --- DeleteTicketNote / DeleteTicketReply ------------------------------------------------------

def test_delete_note_echoes_the_id(server):
    """Brief §5.7 (C8): `{"result":"success","noteid":"5"}`, the request value as a string."""
    t = open_ticket(server)
    ok(server, "AddTicketNote", ticketid=t["id"], message="keep")
    ok(server, "AddTicketNote", ticketid=t["id"], message="drop")
    keep, drop = ticket(server, t["id"])["notes"]["note"]
    r = call(server, "DeleteTicketNote", noteid=drop["noteid"])
    assert r.text == php_json({"result": "success", "noteid": drop["noteid"]})
    assert [n["noteid"] for n in ticket(server, t["id"])["notes"]["note"]] == [keep["noteid"]]
    assert_error(call(server, "DeleteTicketNote", noteid=drop["noteid"]), "Note ID Not Found")


def test_delete_reply(server):
    t = open_ticket(server)
    for text in ("first", "second"):
        ok(server, "AddTicketReply", ticketid=t["id"], message=text, adminusername="Wanda Admin")
    first, second = replies(server, t["id"])[1:]
    r = call(server, "DeleteTicketReply", ticketid=t["id"], replyid=first["replyid"])
    assert r.text == '{"result":"success"}'
    assert [x["message"] for x in replies(server, t["id"])] == ["It is broken.", "second"]
    assert_error(call(server, "DeleteTicketReply", ticketid=t["id"], replyid=first["replyid"]), "Reply ID Not Found")


def test_reply_must_belong_to_the_ticket(server):
    one, two = open_ticket(server), open_ticket(server)
    ok(server, "AddTicketReply", ticketid=one["id"], message="mine", adminusername="Wanda Admin")
    reply_id = replies(server, one["id"])[1]["replyid"]
    assert_error(call(server, "DeleteTicketReply", ticketid=two["id"], replyid=reply_id), "Reply ID Not Found")
    assert len(replies(server, one["id"])) == 2


def test_notes_and_replies_are_not_interchangeable(server):
    t = open_ticket(server)
    ok(server, "AddTicketReply", ticketid=t["id"], message="a reply", adminusername="Wanda Admin")
    ok(server, "AddTicketNote", ticketid=t["id"], message="a note")
    got = ticket(server, t["id"])
    reply_id, note_id = got["replies"]["reply"][1]["replyid"], got["notes"]["note"][0]["noteid"]
    assert_error(call(server, "DeleteTicketNote", noteid=reply_id), "Note ID Not Found")
    assert_error(call(server, "DeleteTicketReply", ticketid=t["id"], replyid=note_id), "Reply ID Not Found")
    got = ticket(server, t["id"])
    assert len(got["replies"]["reply"]) == 2 and len(got["notes"]["note"]) == 1


# --- BlockTicketSender -------------------------------------------------------------------------

def test_block_sender_keeps_the_ticket(server):
    """Brief §5.15 (C8): `deleted` is a boolean."""
    t = open_ticket(server)
    r = call(server, "BlockTicketSender", ticketid=t["id"])
    assert r.text == '{"result":"success","deleted":false}'
    assert ticket(server, t["id"])["ticketid"] == str(t["id"])
    # Blocking the same address again is fine.
    assert call(server, "BlockTicketSender", ticketid=t["id"]).text == '{"result":"success","deleted":false}'


def test_block_sender_of_a_guest_ticket_an_admin_opened(server):
    """blockticketsender.php reads the ticket's own `email` column: the guest's, though the admin opened it."""
    t = open_ticket(server, admin=1)
    assert call(server, "BlockTicketSender", ticketid=t["id"]).text == '{"result":"success","deleted":false}'


def test_block_sender_and_delete(server):
    t = open_ticket(server)
    r = call(server, "BlockTicketSender", ticketid=t["id"], delete="1")
    assert r.text == '{"result":"success","deleted":true}'
    assert_error(call(server, "GetTicket", ticketid=t["id"]), "Ticket ID Not Found")


def test_block_sender_delete_uses_php_truthiness(server):
    t = open_ticket(server)
    assert call(server, "BlockTicketSender", ticketid=t["id"], delete="0").json()["deleted"] is False
    assert call(server, "BlockTicketSender", ticketid=t["id"], delete="false").json()["deleted"] is True


def test_block_sender_xml(server):
    t = open_ticket(server)
    text = call(server, "BlockTicketSender", "xml", ticketid=t["id"]).text
    assert text.split("\n")[2:] == ["<action>blockticketsender</action>", "<result>success</result>",
                                    "<deleted></deleted>", "</whmcsapi>"]


def test_blocked_senders_are_listed(server):
    """The address goes to the face's blocked-sender list (lower-cased): `swiftdesk whmcs blocked-sender`."""
    address = unique("Blocked.Person") + "@Example.com"
    t = open_ticket(server, email=address)
    ok(server, "BlockTicketSender", ticketid=t["id"])
    assert address.lower() in server.cli("whmcs", "blocked-sender", "list").split()
    assert server.cli("whmcs", "blocked-sender", "remove", address.lower()).strip() == f"Unblocked {address.lower()}."
    assert address.lower() not in server.cli("whmcs", "blocked-sender", "list").split()
    with pytest.raises(RuntimeError, match="is not blocked"):
        server.cli("whmcs", "blocked-sender", "remove", address.lower())


def test_a_client_cannot_be_blocked(server):
    t = open_ticket(server, clientid=CLIENT_ACME)
    assert_error(call(server, "BlockTicketSender", ticketid=t["id"], delete=1), "A Client Cannot Be Blocked")
    assert ticket(server, t["id"])["userid"] == str(CLIENT_ACME)


# --- MergeTicket -------------------------------------------------------------------------------

def test_merge(server):
    """Brief §5.16: sources' replies and notes move to the target, their opening messages become
    replies, ` [MERGED]` is appended, cc values merge, sources vanish from lists."""
    prefix = unique("merge")
    target = open_ticket(server, subject=prefix + " target")
    source = open_ticket(server, subject=prefix + " source", message="Source opening")
    other = open_ticket(server, subject=prefix + " other", message="Other opening")
    ok(server, "UpdateTicket", ticketid=target["id"], cc="x@example.com")
    ok(server, "UpdateTicket", ticketid=source["id"], cc="y@example.com, X@example.com")
    ok(server, "AddTicketReply", ticketid=source["id"], message="Source reply", adminusername="Wanda Admin")
    ok(server, "AddTicketNote", ticketid=source["id"], message="Source note")
    r = call(server, "MergeTicket", ticketid=target["id"], mergeticketids=f"{source['id']},{other['id']},")
    assert r.text == php_json({"result": "success", "ticketid": target["id"]})
    got = ticket(server, target["id"])
    assert got["subject"] == prefix + " target [MERGED]"
    assert got["cc"] == "x@example.com,y@example.com"
    assert sorted(r["message"] for r in got["replies"]["reply"]) == sorted(
        ["It is broken.", "Source opening", "Other opening", "Source reply"])
    assert got["replies"]["reply"][0]["replyid"] == "0"
    assert all(int(r["replyid"]) > 0 for r in got["replies"]["reply"][1:])
    assert [n["message"] for n in got["notes"]["note"]] == ["Source note"]
    assert [int(t["id"]) for t in tickets(server, subject=prefix)] == [target["id"]]
    assert ticket(server, source["id"])["status"] == "Closed"


def test_merge_new_subject_and_no_double_marker(server):
    target, source = open_ticket(server), open_ticket(server)
    ok(server, "MergeTicket", ticketid=target["id"], mergeticketids=str(source["id"]), newsubject="Combined")
    assert ticket(server, target["id"])["subject"] == "Combined [MERGED]"
    third = open_ticket(server)
    ok(server, "MergeTicket", ticketid=target["id"], mergeticketids=str(third["id"]))
    assert ticket(server, target["id"])["subject"] == "Combined [MERGED]"


def test_merge_ignores_subject(server):
    """[D]'s example sends `subject`; the code reads `newsubject` only."""
    target, source = open_ticket(server), open_ticket(server)
    ok(server, "MergeTicket", ticketid=target["id"], mergeticketids=str(source["id"]), subject="Ignored")
    assert ticket(server, target["id"])["subject"] == target["subject"] + " [MERGED]"


def test_merge_takes_the_latest_status(server):
    """The target takes the latest `lastreply` and that ticket's status."""
    target, source = open_ticket(server), open_ticket(server)
    time.sleep(1.1)
    ok(server, "AddTicketReply", ticketid=source["id"], message="latest", adminusername="Wanda Admin",
       status="In Progress")
    ok(server, "MergeTicket", ticketid=target["id"], mergeticketids=str(source["id"]))
    got = ticket(server, target["id"])
    assert got["status"] == "In Progress"
    assert got["lastreply"] == [r for r in got["replies"]["reply"] if r["message"] == "latest"][0]["date"]


def test_merged_replies_can_be_edited_and_deleted(server):
    """Replies that came with a merge (opening messages included) are addressable by their reply ids."""
    target, source = open_ticket(server), open_ticket(server, message="came along")
    ok(server, "MergeTicket", ticketid=target["id"], mergeticketids=str(source["id"]))
    moved = [r for r in replies(server, target["id"]) if r["message"] == "came along"][0]
    ok(server, "UpdateTicketReply", replyid=moved["replyid"], message="edited after merge")
    assert [r["message"] for r in replies(server, target["id"])] == ["It is broken.", "edited after merge"]
    ok(server, "DeleteTicketReply", ticketid=target["id"], replyid=moved["replyid"])
    assert [r["message"] for r in replies(server, target["id"])] == ["It is broken."]


def test_a_merged_ticket_is_no_target(server):
    """[C8] mergeticket.php: the target must not be merged (`Ticket ID Invalid`); merge ids only have to
    exist, so an already merged ticket in the list is no invalid id."""
    target, source, third = open_ticket(server), open_ticket(server), open_ticket(server)
    ok(server, "MergeTicket", ticketid=target["id"], mergeticketids=str(source["id"]))
    assert_error(call(server, "MergeTicket", ticketid=source["id"], mergeticketids=str(third["id"])), "Ticket ID Invalid")
    # The merged target is refused before the merge ids are looked at.
    assert_error(call(server, "MergeTicket", ticketid=source["id"], mergeticketids=""), "Ticket ID Invalid")
    r = call(server, "MergeTicket", ticketid=third["id"], mergeticketids=f"{source['id']}, 424242 ,abc")
    assert_error(r, "Invalid Merge Ticket IDs: 424242, abc")
    r = call(server, "MergeTicket", ticketid=third["id"], mergeticketids=str(source["id"]))
    assert r.json() == {"result": "success", "ticketid": third["id"]}
    got = ticket(server, third["id"])
    assert got["subject"] == third["subject"] + " [MERGED]"
    assert [r["message"] for r in got["replies"]["reply"]] == ["It is broken."]


def test_merge_skips_the_target_in_the_list(server):
    target = open_ticket(server)
    r = call(server, "MergeTicket", ticketid=target["id"], mergeticketids=f"{target['id']}")
    assert r.text == php_json({"result": "success", "ticketid": target["id"]})


def test_merged_ticket_is_still_readable(server):
    """GetTicket finds a merged (closed) source by id."""
    target, source = open_ticket(server), open_ticket(server)
    ok(server, "MergeTicket", ticketid=target["id"], mergeticketids=str(source["id"]))
    got = ticket(server, source["id"])
    assert (got["ticketid"], got["status"]) == (str(source["id"]), "Closed")


def test_merged_ticket_keeps_a_reply_zero(server):
    """[C8] getticket.php always lists the ticket's own message as reply "0"; a merge empties the
    source's message (mergeOtherTicketsInToThis copies it into a reply of the target), so reply "0"
    of a merged ticket has an empty message."""
    target, source = open_ticket(server), open_ticket(server, message="my own words")
    ok(server, "MergeTicket", ticketid=target["id"], mergeticketids=str(source["id"]))
    got = ticket(server, source["id"])
    assert [(r["replyid"], r["message"]) for r in got["replies"]["reply"]] == [("0", "")]
