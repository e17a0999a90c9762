"""POST /api/tickets.json as web forms, monitoring scripts and pyosticket send it, read back through
the extension's ticketInfo (spec §2, §5, §6.1, §8; brief §1, §2, §6.1)."""
import base64
import json

import pytest
import requests

from osticketutil import (
    CORE_TYPE, ENTRY_KEYS, NAME_PARTS, NUMBER, TICKET_KEYS, TIMESTAMP, create, email_address, entries,
    headers, post_json, ticket, ticket_payload, unique, url,
)


def assert_name_object(value, name):
    assert value["format"] == "original"
    assert set(value["parts"]) == NAME_PARTS
    assert value["name"] == name


def test_create_answers_201_with_the_number_only(server):
    """§1 / §8: 201, text/html; charset=UTF-8, body = the ticket number and nothing else."""
    r = post_json(server, ticket_payload())
    assert r.status_code == 201, r.text
    assert r.headers["Content-Type"] == CORE_TYPE
    assert NUMBER.fullmatch(r.text), repr(r.text)
    assert int(r.headers["Content-Length"]) == len(r.content)


def test_numbers_are_unique(server):
    """§1: every create gets its own number."""
    numbers = {create(server)[0] for _ in range(3)}
    assert len(numbers) == 3


def test_ticket_info_shows_the_created_ticket(server):
    """§6.1 / brief §6.1: the ticket object's keys in order, defaults of a fresh install (§5)."""
    number, sent = create(server, name="Jo Doe", subject=unique("Printer"), message="It is broken.")
    t = ticket(server, number)
    assert list(t) == TICKET_KEYS
    assert t["ticket_number"] == number
    assert t["subject"] == sent["subject"]
    assert t["ticket_status"] == "Open"
    assert t["statusId"] == 1
    assert t["priority"] == "Normal"
    assert t["department"] == "Support"
    assert TIMESTAMP.fullmatch(t["create_timestamp"])
    assert t["user_name"] == "Jo Doe"
    assert t["user_email"] == {"email": sent["email"], "address": f"\"Jo Doe\" <{sent['email']}>"}
    assert t["user_phone"] == ""
    assert t["source"] == "API"
    assert t["assigned_to"] == []
    assert t["due_timestamp"] is None or TIMESTAMP.fullmatch(t["due_timestamp"])
    assert t["close_timestamp"] is None
    assert t["help_topic"] is None
    assert TIMESTAMP.fullmatch(t["last_message_timestamp"])
    assert t["last_response_timestamp"] is None
    assert len(t["thread_entries"]) == 1


def test_first_thread_entry_is_the_customer_message(server):
    """§6.1: thread entry {model, annotations}, type M, text body, name object of the poster."""
    number, sent = create(server, name="Jo Doe", message="The printer is on fire.")
    entry = ticket(server, number)["thread_entries"][0]
    assert list(entry) == ["model", "annotations"]
    assert entry["annotations"] == {"has_attachments": 0}
    model = entry["model"]
    assert list(model) == ENTRY_KEYS
    assert isinstance(model["id"], int) and isinstance(model["thread_id"], int)
    assert model["type"] == "M"
    assert model["poster"] == "Jo Doe"
    assert model["source"] == "API"
    assert model["title"] == sent["subject"]
    assert model["body"] == "The printer is on fire."
    assert model["format"] == "text"
    assert model["message"] == {"body": "The printer is on fire.", "type": "text", "stripped_images": [],
                                "embedded_images": [], "options": {"strip-embedded": True}}
    assert TIMESTAMP.fullmatch(model["created"])
    assert isinstance(model["updated"], str)
    assert model["staff_name"] is None
    assert_name_object(model["user_name"], "Jo Doe")
    assert model["user_name"]["parts"]["first"] == "Jo"
    assert model["user_name"]["parts"]["last"] == "Doe"


def test_phone_with_extension_is_formatted(server):
    """§2 / §8: `phone` with an X extension, shown US style in user_phone."""
    number, _ = create(server, phone="3185558634x123")
    assert ticket(server, number)["user_phone"] == "(318) 555-8634 x123"


def test_missing_name_is_lenient(server):
    """§8 lenient: no `name` → 201; the user is named after the e-mail's local part (brief §2.3)."""
    address = email_address("nameless")
    number, _ = create(server, name=None, email=address)
    assert ticket(server, number)["user_name"] == address.split("@")[0]


@pytest.mark.parametrize("sent, stored", [
    ("Doe, John", "John Doe"),
    ("Doe, John, Jr.", "John Doe Jr."),
    ("john.smith_ab@example.org", "John Smith_Ab"),
    ("Name " * 40, ("Name " * 40)[:128]),
])
def test_new_user_name_as_osticket_saves_it(server, sent, stored):
    """osTicket 1.18.1's `User::save`: `Last, First` reordered, an address made a title-cased
    mailbox name; the column keeps 128 characters."""
    number, _ = create(server, name=sent, email=email_address("named"))
    assert ticket(server, number)["user_name"] == stored


def test_crlf_message_is_stored_with_lf(server):
    """A textarea's CR LF line ends come out as LF (`Format::html_balance` parses with libxml)."""
    number, _ = create(server, message="line one\r\nline two\r\n\r\n\r\n\r\nend")
    assert entries(ticket(server, number))[0]["body"] == "line one\nline two\n\n\n\nend"


def test_base_url_with_a_trailing_slash(server):
    """Apache merges `//`: a client whose base URL ends in `/` still reaches the route."""
    for path in ("/api//tickets.json", "/api/http.php//tickets.json"):
        r = requests.post(server.base + path, data=json.dumps(ticket_payload()).encode(),
                          headers=headers(server.osticket_key, **{"Content-Type": "application/json"}), timeout=30)
        assert r.status_code == 201 and NUMBER.fullmatch(r.text), (path, r.status_code, r.text)


def test_empty_message_is_lenient(server):
    """§8 lenient: `message: ""` is accepted."""
    number, _ = create(server, message="")
    assert ticket(server, number)["thread_entries"][0]["model"]["type"] == "M"


def test_unknown_keys_and_unknown_topic_are_ignored(server):
    """§8 lenient: unknown keys, unknown/non-numeric topicId → 201 without a help topic."""
    for topic in (999, "abc", 0):
        number, _ = create(server, topicId=topic, favouriteColour="teal", nested={"a": [1, 2]})
        t = ticket(server, number)
        assert t["help_topic"] is None
        assert t["department"] == "Support"


def test_help_topics_of_a_fresh_install(server):
    """§5: topics set help_topic, department and priority."""
    t = ticket(server, create(server, topicId=1)[0])
    assert (t["help_topic"], t["priority"]) == ("General Inquiry", "Normal")
    t = ticket(server, create(server, topicId=2)[0])
    assert (t["help_topic"], t["priority"]) == ("Feedback", "Low")
    t = ticket(server, create(server, topicId=10)[0])
    assert (t["help_topic"], t["department"], t["priority"]) == ("Report a Problem", "Maintenance", "Normal")
    t = ticket(server, create(server, topicId=11)[0])
    assert (t["help_topic"], t["priority"]) == ("Report a Problem / Access Issue", "High")


def test_priority_and_priority_id(server):
    """§2 / brief §2.3: `priority` and `priorityId` take ids 1–4; priorityId applies last."""
    assert ticket(server, create(server, priority=4)[0])["priority"] == "Emergency"
    assert ticket(server, create(server, priorityId=3)[0])["priority"] == "High"
    assert ticket(server, create(server, priorityId=1)[0])["priority"] == "Low"
    assert ticket(server, create(server, priority=4, priorityId=1)[0])["priority"] == "Low"


def test_html_data_url_message_and_attachment(server):
    """§2: `data:text/html,…` message → HTML entry; data-URL attachment list → has_attachments 1."""
    attachment = "data:text/plain;base64," + base64.b64encode(b"hello from a file\n").decode()
    number, _ = create(server, message="data:text/html,<p>It is <b>broken</b></p>",
                       attachments=[{"file.txt": attachment}])
    entry = ticket(server, number)["thread_entries"][0]
    assert entry["model"]["format"] == "html"
    assert entry["model"]["message"]["type"] == "html"
    assert "<b>broken</b>" in entry["model"]["body"]
    assert entry["annotations"]["has_attachments"] == 1


def test_data_url_charsets(server):
    """Spec Ambiguity 6 / brief §2.4 [rec]: charset + base64 decoded; charset-less UTF-8 kept."""
    encoded = base64.b64encode("Grüße aus Köln".encode()).decode()
    number, _ = create(server, message=f"data:text/plain;charset=utf-8;base64,{encoded}")
    assert entries(ticket(server, number))[0]["body"] == "Grüße aus Köln"
    number, _ = create(server, message="data:text/html,<p>héllo wörld</p>")
    assert "héllo wörld" in entries(ticket(server, number))[0]["body"]
    latin1 = base64.b64encode("Café".encode("iso-8859-1")).decode()
    number, _ = create(server, message=f"data:text/plain;charset=iso-8859-1;base64,{latin1}")
    assert entries(ticket(server, number))[0]["body"] == "Café"


def test_bad_base64_attachment_is_decoded_leniently(server):
    """§8 lenient: `Format::parseRfc2397` uses PHP's non-strict `base64_decode`, which skips
    characters outside the alphabet: the file is kept (6 bytes from `notbase6`)."""
    number, _ = create(server, attachments=[{"bad.bin": "data:application/octet-stream;base64,!!not base64!!"}])
    assert ticket(server, number)["thread_entries"][0]["annotations"]["has_attachments"] == 1


def test_plain_text_attachment(server):
    """`Format::parseRfc2397`: an attachment that is not a data URL is the file's text, text/plain."""
    number, _ = create(server, attachments=[{"log.txt": "plain log text"}])
    assert ticket(server, number)["thread_entries"][0]["annotations"]["has_attachments"] == 1


def test_alert_and_autorespond_values(server):
    """§2 / §8: alert/autorespond as booleans or strings (`"false"`) are accepted."""
    create(server, alert=False, autorespond=False)
    create(server, alert="false", autorespond="0")


def test_source_api_in_any_case(server):
    """§8: `source` API in any case works; no source means API."""
    create(server, source="api")
    create(server, source="Api")
    number, _ = create(server, source=None)
    assert ticket(server, number)["source"] == "API"


def test_web_source_with_a_topic(server):
    """brief §2.3: origin `Web` requires topicId and then creates the ticket."""
    number, _ = create(server, source="Web", topicId=1)
    assert ticket(server, number)["help_topic"] == "General Inquiry"


def test_content_type_is_never_read(server):
    """§8: JSON sent as form-urlencoded (what curl does with a string body) still creates."""
    r = post_json(server, ticket_payload(), extra_headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 201, r.text
    r = requests.post(url(server, "tickets.json"), data=json.dumps(ticket_payload()),
                      headers=headers(server.osticket_key), timeout=30)
    assert r.status_code == 201, r.text


def test_routes_with_and_without_the_router(server):
    """§1: /api/tickets.json and /api/http.php/tickets.json; URL-decoded path; _method override."""
    r = post_json(server, ticket_payload(), router=False)
    assert r.status_code == 201 and NUMBER.fullmatch(r.text), r.text
    r = requests.post(server.base + "/api/tickets%2Ejson", data=json.dumps(ticket_payload()),
                      headers=headers(server.osticket_key), timeout=30)
    assert r.status_code == 201 and NUMBER.fullmatch(r.text), r.text
    r = requests.put(url(server, "tickets.json"), params={"_method": "POST"}, data=json.dumps(ticket_payload()),
                     headers=headers(server.osticket_key), timeout=30)
    assert r.status_code == 201 and NUMBER.fullmatch(r.text), r.text


def test_api_key_matches_case_insensitively(server):
    """§8: the key matches case-insensitively."""
    r = post_json(server, ticket_payload(), key=server.osticket_key.lower())
    assert r.status_code == 201, r.text


def test_key_made_by_the_cli_works(server):
    """CLI: a key from `osticket apikey add --ip 127.0.0.1` can create tickets."""
    r = post_json(server, ticket_payload(), key=server.osticket_key_generated)
    assert r.status_code == 201, r.text


def test_pyosticket_style_request(server):
    """§7: pyosticket posts with `json=` and JSON-decodes the 201 body into an int."""
    session = requests.Session()
    session.headers.update({"X-API-Key": server.osticket_key})
    body = {"source": "API", "name": "Py Osticket", "email": email_address("py"), "ip": "",
            "subject": "from pyosticket", "topicId": 1, "message": "hello", "attachments": []}
    r = session.post(server.base + "/api/tickets.json", json=body, timeout=30)
    r.raise_for_status()
    assert r.json() == int(r.text)


def test_same_email_reuses_the_user(server):
    """brief §2.3: an existing user keeps its name; both tickets belong to it."""
    address = email_address("repeat")
    first, _ = create(server, email=address, name="First Name")
    second, _ = create(server, email=address, name="Other Name")
    assert first != second
    assert ticket(server, second)["user_name"] == "First Name"
    assert ticket(server, second)["user_email"]["email"] == address


def test_text_message_is_stored_as_osticket_stores_text(server):
    """TextThreadEntryBody::getClean (1.18): a text message is trimmed, three or more line breaks
    become two, and & < > " are HTML-escaped (existing entities kept); ticketInfo shows that."""
    number, _ = create(server, message='Disk < 10% & "db01" &gt; full\n\n\n\nplease check\n')
    body = entries(ticket(server, number))[0]["body"]
    assert body == "Disk &lt; 10% &amp; &quot;db01&quot; &gt; full\n\nplease check"
    # htmlspecialchars(…, ENT_COMPAT | ENT_HTML401, 'UTF-8', false), as PHP 8.2 answers it.
    number, _ = create(server, message="&foo; &#233; &apos; &amp; &#xE9; &#x; &# &euro; &Euro;")
    assert entries(ticket(server, number))[0]["body"] == (
        "&amp;foo; &#233; &amp;apos; &amp; &#xE9; &amp;#x; &amp;# &euro; &amp;Euro;")


def test_thread_entry_title_is_sanitized(server):
    """ThreadEntry::create stores `Format::sanitize($title, true)` (htmLawed, PHP 8.2): `&`, `<`,
    `>` escaped, quotes kept, runs of spaces made one."""
    number, _ = create(server, subject='Fish & Chips > "more"  now')
    t = ticket(server, number)
    assert t["subject"] == 'Fish & Chips > "more"  now'
    assert entries(t)[0]["title"] == 'Fish &amp; Chips &gt; "more" now'
