"""The core API's refusals, exactly as osTicket 1.18.1 words them: routing, API keys, parsing,
validation (spec §1, §1.3, §8; brief §1, §2). Every core answer is text/html plain text."""
import json

import pytest
import requests

from osticketutil import CORE_TYPE, email_address, headers, post_json, post_xml, ticket_payload, url

CANNOT = "Unable to create new ticket :"


def assert_answer(r, status, text):
    assert (r.status_code, r.text) == (status, text)
    assert r.headers["Content-Type"] == CORE_TYPE


# --- routing (§1, §8) ---

@pytest.mark.parametrize("path", ["tickets.yaml", "Tickets.json", "tickets.JSON", "tickets.json/", "tickets",
                                  "nowhere"])
def test_unknown_routes(server, path):
    """§8: unknown route → 400 `URL not supported` (matching is case-sensitive, no trailing slash)."""
    for router in (True, False):
        r = requests.post(url(server, path, router), data=json.dumps(ticket_payload()),
                          headers=headers(server.osticket_key), timeout=30)
        assert_answer(r, 400, "URL not supported")


def test_wrong_methods(server):
    """§8: GET tickets.json, GET tasks/cron and `_method=GET` on a POST → 400 `URL not supported`."""
    key = headers(server.osticket_key)
    assert_answer(requests.get(url(server, "tickets.json"), headers=key, timeout=30), 400, "URL not supported")
    assert_answer(requests.get(url(server, "tasks/cron"), headers=key, timeout=30), 400, "URL not supported")
    r = requests.post(url(server, "tickets.json"), params={"_method": "GET"}, data=json.dumps(ticket_payload()),
                      headers=key, timeout=30)
    assert_answer(r, 400, "URL not supported")


def test_routing_comes_before_auth(server):
    """§8: GET /api/tickets.json without a key → 400, not 401."""
    assert_answer(requests.get(url(server, "tickets.json", router=False), timeout=30), 400, "URL not supported")


def test_head_is_400_without_body(server):
    """§8: HEAD → 400 with an empty body."""
    r = requests.head(url(server, "tickets.json"), headers=headers(server.osticket_key), timeout=30)
    assert r.status_code == 400
    assert r.content == b""


def test_cron(server):
    """§8: POST /api/tasks/cron with a key → 200 `Completed`; without a key → 401."""
    for router in (True, False):
        r = requests.post(url(server, "tasks/cron", router), headers=headers(server.osticket_key), timeout=30)
        assert_answer(r, 200, "Completed")
    r = requests.post(url(server, "tasks/cron"), timeout=30)
    assert_answer(r, 401, "Valid API key required")


# --- API keys (§1.1, §8) ---

def test_missing_empty_and_unknown_keys(server):
    """§8: no key, empty key, unknown key → 401 `Valid API key required`."""
    for key in (None, "", "00000000000000000000000000000000", "not-a-key"):
        assert_answer(post_json(server, ticket_payload(), key=key), 401, "Valid API key required")


def test_key_in_other_places_is_not_read(server):
    """§8: the key as `?apikey=` or `Authorization: Bearer` is not accepted."""
    r = post_json(server, ticket_payload(), key=None, params={"apikey": server.osticket_key})
    assert_answer(r, 401, "Valid API key required")
    r = post_json(server, ticket_payload(), key=None,
                  extra_headers={"Authorization": f"Bearer {server.osticket_key}"})
    assert_answer(r, 401, "Valid API key required")


def test_key_bound_to_another_ip(server):
    """§1.1 / §8: a valid key used from another IP → `Valid API key required`."""
    assert_answer(post_json(server, ticket_payload(), key=server.osticket_key_elsewhere), 401, "Valid API key required")


def test_inactive_and_disabled_keys(server):
    """§1.1: inactive key (imported --inactive, or `apikey disable`) → the not-found/active text."""
    text = "API key not found/active or source IP not authorized"
    assert_answer(post_json(server, ticket_payload(), key=server.osticket_key_inactive), 401, text)
    assert_answer(post_json(server, ticket_payload(), key=server.osticket_key_disabled), 401, text)
    assert_answer(post_json(server, ticket_payload(), key=server.osticket_key_inactive.lower()), 401, text)


def test_key_without_create_right(server):
    """§1.1: key without can_create_tickets → 401 `API key not authorized` (JSON, XML, e-mail)."""
    assert_answer(post_json(server, ticket_payload(), key=server.osticket_key_nocreate), 401, "API key not authorized")
    xml = "<ticket><name>n</name><email>n@example.com</email><subject>s</subject><message>m</message></ticket>"
    assert_answer(post_xml(server, xml, key=server.osticket_key_nocreate), 401, "API key not authorized")


def test_auth_comes_before_parsing(server):
    """§8: no key + malformed JSON → 401, not 400."""
    assert_answer(post_json(server, "{broken", key=None), 401, "Valid API key required")


def test_cli_lists_keys(server):
    """CLI: `osticket apikey list` shows each key by its first 8 characters (keys are stored as digests) with its IP."""
    out = server.cli("osticket", "apikey", "list")
    assert server.osticket_key[:8] + "…" in out
    assert server.osticket_key_elsewhere[:8] + "…" in out
    assert "10.9.9.9" in out
    assert server.osticket_key_generated[:8] + "…" in out
    assert server.osticket_key not in out


# --- JSON parsing (§1.3, §8, brief §1.2) ---

@pytest.mark.parametrize("body", ["{}", "[]", "42", "null", "true", '"x"', "0"])
def test_valid_json_that_is_not_a_ticket(server, body):
    """§8: empty object, empty array, scalars → 400 `No errors`."""
    assert_answer(post_json(server, body), 400, "No errors")


@pytest.mark.parametrize("body", ["", '{"name": "Jo"', '{"name": "Jo",}', "name=Jo&email=jo%40example.com",
                                  "\ufeff{\"name\": \"Jo\"}", "{'name': 'Jo'}"])
def test_malformed_json(server, body):
    """§8: empty, truncated, trailing comma, form-urlencoded, BOM → `Syntax error, malformed JSON`."""
    assert_answer(post_json(server, body), 400, "Syntax error, malformed JSON")


def test_invalid_utf8(server):
    """§8: invalid UTF-8 → `Malformed UTF-8 characters, possibly incorrectly encoded`."""
    body = b'{"name": "J\xff\xfe", "email": "a@example.com", "subject": "s", "message": "m"}'
    assert_answer(post_json(server, body), 400, "Malformed UTF-8 characters, possibly incorrectly encoded")


def test_deep_nesting(server):
    """§8: nesting deeper than 512 → `Maximum stack depth exceeded`."""
    body = '{"subject": ' + "[" * 1000 + "]" * 1000 + "}"
    assert_answer(post_json(server, body), 400, "Maximum stack depth exceeded")


def test_control_character_in_string(server):
    """§1.3 / brief §1.2: a raw control character inside a string → `Unexpected control character found`."""
    body = b'{"name": "Jo\x01Doe", "email": "a@example.com", "subject": "s", "message": "m"}'
    assert_answer(post_json(server, body), 400, "Unexpected control character found")


# --- attachments of the wrong shape (§8, brief §1.3) ---

@pytest.mark.parametrize("attachments", [{"file.txt": "data:text/plain,hello"}, ["data:text/plain,hello"]])
def test_attachments_not_a_list_of_objects(server, attachments):
    """§8: attachments as an object, or a list of strings (PHP fatal upstream: `reset()` of a string) →
    400 `Unexpected or invalid data received`."""
    r = post_json(server, ticket_payload(attachments=attachments))
    assert_answer(r, 400, "Unexpected or invalid data received")


@pytest.mark.parametrize("attachments", ["file.txt", 7, True])
def test_attachments_as_a_scalar_are_ignored(server, attachments):
    """PHP's `foreach` over a scalar only warns: the ticket is created without files."""
    r = post_json(server, ticket_payload(attachments=attachments))
    assert r.status_code == 201, r.text


# --- validation (§8, brief §2) ---

def test_missing_subject(server):
    """§8: missing subject → 500 `:20\\nIssue Summary is a required field`."""
    r = post_json(server, ticket_payload(subject=None))
    assert_answer(r, 500, CANNOT + "20\nIssue Summary is a required field")


def test_missing_message(server):
    """§8: missing message → 500 `:21\\nIssue Details is a required field`."""
    r = post_json(server, ticket_payload(message=None))
    assert_answer(r, 500, CANNOT + "21\nIssue Details is a required field")


@pytest.mark.parametrize("address", [None, "", "not-an-e-mail", "Jo Doe <jo@example.com>"])
def test_bad_or_missing_email(server, address):
    """§8: any e-mail problem → 500 `:user\\nIncomplete client information`."""
    r = post_json(server, ticket_payload(email=address))  # None leaves the key out
    assert_answer(r, 500, CANNOT + "user\nIncomplete client information")


def test_all_errors_in_order(server):
    """brief §2.1–2.2: user, then subject, then message, pairs joined with newlines."""
    r = post_json(server, {"favouriteColour": "teal"})
    assert_answer(r, 500, CANNOT + "user\nIncomplete client information\n20\nIssue Summary is a required field"
                                   "\n21\nIssue Details is a required field")


def test_non_empty_array_body(server):
    """brief §1.2: a non-empty JSON array is taken as an object with numeric keys → validation error."""
    r = post_json(server, '["a", "b"]')
    assert r.status_code == 500
    assert r.text.startswith(CANNOT)


@pytest.mark.parametrize("source", ["Phone", "Fax", "Other", ""])
def test_invalid_origin(server, source):
    """§8: source other than API/Email/Web/Staff → `:origin\\nInvalid ticket origin given\\nerr\\nNo fields set up`."""
    r = post_json(server, ticket_payload(source=source))
    assert_answer(r, 500, CANNOT + "origin\nInvalid ticket origin given\nerr\nNo fields set up")


def test_email_origin_through_json(server):
    """§8: source Email through JSON needs a system e-mail id."""
    r = post_json(server, ticket_payload(source="Email"))
    assert_answer(r, 500, CANNOT + "emailId\nUnknown system email\nerr\n"
                                   "Missing or invalid data \u2014 Correct any errors below and try again")


def test_web_origin_without_topic(server):
    """brief §2.3: source Web requires topicId (`Select a Help Topic`)."""
    r = post_json(server, ticket_payload(source="Web"))
    assert r.status_code == 500
    assert r.headers["Content-Type"] == CORE_TYPE
    assert r.text.startswith(CANNOT + "topicId\nSelect a Help Topic")


# --- XML errors (§8, brief §3) ---

def test_xml_mismatched_tag(server):
    """§8: mismatched tag → 400 `XML error: Mismatched tag at line L:C`."""
    r = post_xml(server, "<ticket><name>Jo</email></ticket>")
    assert r.status_code == 400
    assert r.headers["Content-Type"] == CORE_TYPE
    assert r.text.startswith("XML error: ")
    assert " at line " in r.text


def test_xml_empty_body(server):
    """§8: empty XML body → 400 `XML error: No error at line 1:1`."""
    assert_answer(post_xml(server, ""), 400, "XML error: No error at line 1:1")


@pytest.mark.parametrize("body", ['{"name": "Jo"}', "hello"])
def test_xml_route_with_no_markup(server, body):
    """Text that is no markup at all (JSON sent to the XML route) is expat's invalid token at its
    first character (osTicket 1.18.1)."""
    assert_answer(post_xml(server, body), 400, "XML error: Not well-formed (invalid token) at line 1:1")


@pytest.mark.parametrize("xml", ["<ticket/>", "<request><name>Jo</name><email>%s</email></request>"])
def test_xml_without_ticket_fields(server, xml):
    """§8: another root element or an empty <ticket/> → 500 validation."""
    r = post_xml(server, xml.replace("%s", email_address("root")))
    assert r.status_code == 500
    assert r.headers["Content-Type"] == CORE_TYPE
    assert r.text == (CANNOT + "user\nIncomplete client information\n20\nIssue Summary is a required field"
                               "\n21\nIssue Details is a required field")


def test_xml_missing_subject(server):
    """§3: XML goes through the same validation as JSON."""
    xml = f"<ticket><name>Jo</name><email>{email_address('xmlval')}</email><message>m</message></ticket>"
    assert_answer(post_xml(server, xml), 500, CANNOT + "20\nIssue Summary is a required field")
