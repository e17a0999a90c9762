"""The community extension: ticketInfo, staffTickets, clientTickets and reply.json, as mobile and
Angular apps call it (spec §6, §8; brief §6)."""
import pytest
import requests

from osticketutil import (
    CORE_TYPE, JSON_TYPE, TEXT_TYPE, TICKET_KEYS, TIMESTAMP, create, email_address, entries, extension_get,
    headers, pairs, reply, ticket, ticket_info, unique, url, znuny_ticket_id,
)
from znunyrest import znuny_update

REPLIED = '{"status_code":"0","status_msg":"reply posted successfully"}'


def assert_text(r, status, text):
    assert (r.status_code, r.text) == (status, text)
    assert r.headers["Content-Type"] == TEXT_TYPE


def assert_failure(r, payload_key):
    """§6.2 / §8: an exception → 500 JSON {<payload>: [], status_code FAILURE, status_msg}."""
    assert r.status_code == 500, r.text
    assert r.headers["Content-Type"] == JSON_TYPE
    body = pairs(r.text)
    assert [k for k, _ in body] == [payload_key, "status_code", "status_msg"]
    assert dict(body)[payload_key] == []
    assert dict(body)["status_code"] == "FAILURE"
    assert isinstance(dict(body)["status_msg"], str)


# --- ticketInfo (§6.1) ---

def test_ticket_info_envelope(server):
    """§6.1: 200 application/json, {ticket, status_code "0", status_msg} in that order."""
    number, _ = create(server)
    r = ticket_info(server, number)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == JSON_TYPE
    body = pairs(r.text)
    assert [k for k, _ in body] == ["ticket", "status_code", "status_msg"]
    assert body[1:] == [("status_code", "0"), ("status_msg", "ticket details retrieved successfully")]
    assert [k for k, _ in body[0][1]] == TICKET_KEYS


def test_ticket_info_routes(server):
    """§6: reachable as /api/http.php/tickets/ticketInfo and /api/tickets/ticketInfo."""
    number, _ = create(server)
    for router in (True, False):
        r = ticket_info(server, number, router=router)
        assert r.status_code == 200, r.text
        assert r.json()["ticket"]["ticket_number"] == number


def test_json_is_encoded_like_php(server):
    """brief §6: PHP json_encode defaults — compact, `/` as `\\/`, non-ASCII as \\uXXXX."""
    number, _ = create(server, subject="Grüße/Test")
    r = ticket_info(server, number)
    assert '"subject":"Gr\\u00fc\\u00dfe\\/Test"' in r.text
    assert '"status_code":"0","status_msg":"ticket details retrieved successfully"}' in r.text


@pytest.mark.parametrize("params", [{}, {"ticketNumber": ""}, {"ticketNumber": "0"}])
def test_ticket_info_missing_number(server, params):
    """§8: missing/empty ticketNumber → 422 `missing ticketNumber parameter ` (trailing space)."""
    r = requests.get(url(server, "tickets/ticketInfo"), params=params, headers=headers(server.osticket_key), timeout=30)
    assert_text(r, 422, "missing ticketNumber parameter ")


def test_ticket_info_bad_and_unknown_numbers(server):
    """§8: ticketNumber=abc → 404 `Invalid ticket number`; unknown → 404 `Ticket not found`."""
    assert_text(ticket_info(server, "abc"), 404, "Invalid ticket number")
    assert_text(ticket_info(server, "99999999999999999"), 404, "Ticket not found")


def test_ticket_info_needs_a_key(server):
    """§6: the extension uses the core key check and its text/html 401 bodies."""
    number, _ = create(server)
    for key, text in ((None, "Valid API key required"), (server.osticket_key_elsewhere, "Valid API key required"),
                      (server.osticket_key_inactive, "API key not found/active or source IP not authorized")):
        r = ticket_info(server, number, key=key)
        assert (r.status_code, r.text) == (401, text)
        assert r.headers["Content-Type"] == CORE_TYPE


def test_ticket_info_with_a_read_only_key(server):
    """§6.4: only reply.json needs the create right; ticketInfo works with a --no-create key."""
    number, _ = create(server)
    r = ticket_info(server, number, key=server.osticket_key_nocreate)
    assert r.status_code == 200
    assert r.json()["ticket"]["ticket_number"] == number


def test_ticket_info_wrong_method(server):
    """§8: a wrong method on an extension route → core 400 `URL not supported`."""
    r = requests.post(url(server, "tickets/ticketInfo"), params={"ticketNumber": "1"},
                      headers=headers(server.osticket_key), timeout=30)
    assert (r.status_code, r.text) == (400, "URL not supported")


# --- reply.json (§6.4) ---

def test_reply_is_posted_and_shown_as_response(server):
    """§6.4 / §8: 200 {"status_code":"0","status_msg":"reply posted successfully"}; an R entry."""
    number, _ = create(server)
    r = reply(server, {"ticketNumber": number, "staffUserName": "root@localhost", "response": "We are on it."})
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == JSON_TYPE
    assert r.text == REPLIED
    t = ticket(server, number)
    models = entries(t)
    assert [m["type"] for m in models] == ["M", "R"]
    response = models[1]
    assert "We are on it." in response["body"]
    assert response["format"] == "html"
    assert response["source"] == ""
    assert response["title"] is None
    assert isinstance(response["staff_id"], int)
    assert t["thread_entries"][1]["annotations"] == {"has_attachments": 0}
    assert TIMESTAMP.fullmatch(t["last_response_timestamp"])
    assert t["ticket_status"] == "Open"


def test_reply_with_closing_status(server):
    """§8: reply_status_id 3 closes the ticket and sets close_timestamp."""
    number, _ = create(server)
    r = reply(server, {"ticketNumber": number, "staffUserName": "root@localhost", "response": "Fixed.",
                       "reply_status_id": 3})
    assert r.text == REPLIED
    t = ticket(server, number)
    assert (t["ticket_status"], t["statusId"]) == ("Closed", 3)
    assert TIMESTAMP.fullmatch(t["close_timestamp"])


def test_reply_with_ui_fields_and_string_status(server):
    """§6.4: the field set the apps send (strings everywhere); reply_status_id "2" resolves."""
    number, _ = create(server)
    body = {"ticketNumber": number, "staffUserName": "root@localhost", "response": "<p>Resolved for you</p>",
            "reply_status_id": "2", "emailreply": "1", "emailcollab": "0", "signature": "none",
            "ip_address": "198.51.100.7", "msgId": "", "a": "reply", "cannedResp": "0", "draft_id": "",
            "cannedattachments": ""}
    r = reply(server, body, router=False)
    assert r.text == REPLIED
    t = ticket(server, number)
    assert t["ticket_status"] == "Resolved"
    assert "Resolved for you" in entries(t)[-1]["body"]


def test_reply_to_unknown_ticket(server):
    """§6.4: unknown or missing ticketNumber → 404 `Ticket not found` (text)."""
    r = reply(server, {"ticketNumber": "99999999999999999", "staffUserName": "root@localhost", "response": "x"})
    assert_text(r, 404, "Ticket not found")
    r = reply(server, {"staffUserName": "root@localhost", "response": "x"})
    assert_text(r, 404, "Ticket not found")


def test_reply_by_unknown_agent(server):
    """§8: unknown staffUserName → 500 FAILURE JSON with `tickets: []`."""
    number, _ = create(server)
    r = reply(server, {"ticketNumber": number, "staffUserName": "nobody-" + unique(), "response": "x"})
    assert_failure(r, "tickets")
    assert len(ticket(server, number)["thread_entries"]) == 1


def test_reply_with_empty_response(server):
    """brief §6.4: empty response → 500 `Unable to reply to this ticket: unknown error`."""
    number, _ = create(server)
    r = reply(server, {"ticketNumber": number, "staffUserName": "root@localhost", "response": ""})
    assert (r.status_code, r.text) == (500, "Unable to reply to this ticket: unknown error")


def test_reply_body_parsing(server):
    """§8: reply.json goes through the core JSON parser: `{}` → 400 `No errors`."""
    r = reply(server, {})
    assert (r.status_code, r.text) == (400, "No errors")
    assert r.headers["Content-Type"] == CORE_TYPE
    r = reply(server, '{"ticketNumber": ')
    assert (r.status_code, r.text) == (400, "Syntax error, malformed JSON")


def test_reply_needs_the_create_right(server):
    """§6.4: a --no-create key → 401 `API key not authorized`; no key → `Valid API key required`."""
    number, _ = create(server)
    payload = {"ticketNumber": number, "staffUserName": "root@localhost", "response": "x"}
    r = reply(server, payload, key=server.osticket_key_nocreate)
    assert (r.status_code, r.text) == (401, "API key not authorized")
    r = reply(server, payload, key=None)
    assert (r.status_code, r.text) == (401, "Valid API key required")
    assert len(ticket(server, number)["thread_entries"]) == 1


def test_reply_wrong_method(server):
    """§8: GET reply.json → core 400 `URL not supported`."""
    r = requests.get(url(server, "tickets/reply.json"), headers=headers(server.osticket_key), timeout=30)
    assert (r.status_code, r.text) == (400, "URL not supported")


# --- staffTickets (§6.2) ---

def test_staff_tickets_lists_assigned_tickets(server):
    """§6.2 / §8: a ticket assigned (through the Znuny face) to an agent is in its list.

    A new API ticket is owned by root@localhost, the account that owns unassigned tickets, so
    it reads as unassigned (docs/osticket.md)."""
    number, _ = create(server, subject=unique("assigned"))
    assert ticket(server, number)["assigned_to"] == []
    before = extension_get(server, "staffTickets", staffUserName="olga")
    assert before.status_code == 200, before.text
    assert number not in [t["ticket_number"] for t in before.json()["tickets"]]

    znuny_update(server, znuny_ticket_id(server, number), Ticket={"Owner": "olga"})

    r = extension_get(server, "staffTickets", staffUserName="olga")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == JSON_TYPE
    body = pairs(r.text)
    assert [k for k, _ in body] == ["tickets", "status_code", "status_msg"]
    assert body[1:] == [("status_code", "0"), ("status_msg", "success")]
    listed = {t["ticket_number"]: t for t in r.json()["tickets"]}
    assert number in listed
    item = listed[number]
    assert [k for k in item if k != "status"] == TICKET_KEYS
    # `Staff::getName()`: an AgentsName of first and last name, in the default `full` format.
    assert item["assigned_to"] == [{"format": "full", "parts": {"first": "Olga", "last": "Owner"}, "name": "Olga Owner"}]
    assert item["status"] == item["ticket_status"]
    assert ticket(server, number)["assigned_to"] == item["assigned_to"]

    other = extension_get(server, "staffTickets", staffUserName="reader")
    assert other.status_code == 200, other.text
    assert number not in [t["ticket_number"] for t in other.json()["tickets"]]


def test_staff_tickets_errors(server):
    """§8: unknown agent → 500 FAILURE JSON; missing param → 422 with a trailing space."""
    assert_failure(extension_get(server, "staffTickets", staffUserName="nobody-" + unique()), "tickets")
    assert_text(extension_get(server, "staffTickets"), 422, "missing staffUserName parameter ")
    assert_text(extension_get(server, "staffTickets", staffUserName=""), 422, "missing staffUserName parameter ")


# --- clientTickets (§6.3) ---

def test_client_tickets_lists_the_users_tickets(server):
    """§6.3 / §8: all tickets of the user with that e-mail, and only those."""
    address = email_address("client")
    first, _ = create(server, email=address)
    second, _ = create(server, email=address)
    stranger, _ = create(server)
    for router in (True, False):
        r = extension_get(server, "clientTickets", router=router, clientUserMail=address)
        assert r.status_code == 200, r.text
        assert r.headers["Content-Type"] == JSON_TYPE
        body = pairs(r.text)
        assert [k for k, _ in body] == ["tickets", "status_code", "status_msg"]
        assert body[1:] == [("status_code", "0"), ("status_msg", "success")]
        tickets = r.json()["tickets"]
        assert sorted(t["ticket_number"] for t in tickets) == sorted([first, second])
        assert stranger not in [t["ticket_number"] for t in tickets]
        assert all(t["user_email"]["email"] == address for t in tickets)
        assert all([k for k in t if k != "status"] == TICKET_KEYS for t in tickets)


def test_client_tickets_errors(server):
    """§8: unknown e-mail → 500 FAILURE JSON; missing param → 422 with a trailing space."""
    assert_failure(extension_get(server, "clientTickets", clientUserMail=email_address("unknown")), "tickets")
    assert_text(extension_get(server, "clientTickets"), 422, "missing clientUserMail parameter ")


def test_list_endpoints_need_a_key(server):
    """§6: staffTickets/clientTickets use the core key check."""
    r = extension_get(server, "staffTickets", key=None, staffUserName="root@localhost")
    assert (r.status_code, r.text) == (401, "Valid API key required")
    r = extension_get(server, "clientTickets", key=server.osticket_key_inactive, clientUserMail="a@example.com")
    assert (r.status_code, r.text) == (401, "API key not found/active or source IP not authorized")
