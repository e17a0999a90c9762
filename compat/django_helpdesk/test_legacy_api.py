"""The legacy form-POST API (`/api/<method>/`, django-helpdesk ≤0.2): dispatch order, plain-text
answers, every method and its error texts (spec §A, brief §13). SwiftDesk follows the documented
contract where the original had bugs: `public=n` is private, `resolve` stores the resolution,
a non-numeric ticket id is 400."""
import re

import pytest
import requests

from .djhdutil import (
    HTML_404, HTML_TYPE, QUEUE_LINE, assert_plain, caller_id, create_ticket, get, legacy, legacy_create, ticket,
    unique, url,
)

REQUIRED = "This field is required."


def form_errors(*pairs_):
    """Django's `ErrorDict.as_text()`: `* field` then `  * message` lines, no trailing newline."""
    lines = []
    for field, message in pairs_:
        lines += [f"* {field}", f"  * {message}"]
    return "\n".join(lines)


# --- transport and dispatch order (spec §A.1, §A.2; brief §13) --------------------------------------

@pytest.mark.parametrize("method", ["GET", "POST", "PUT"])
def test_help_page(server, method):
    """brief §13: /api/help/ answers any HTTP method without auth with the HTML documentation page."""
    r = requests.request(method, url(server, "help/"), timeout=30)
    assert r.status_code == 200
    assert r.headers.get("Content-Type") == HTML_TYPE
    assert "create_ticket" in r.text


@pytest.mark.parametrize("user, password", [("root", None), ("root@localhost", "wrong"), (None, None)])
def test_not_post_is_405(server, user, password):
    """spec §A.2: any method but POST → 405, empty text/plain body, no `Allow`; checked before credentials."""
    r = legacy(server, "hold_ticket", {"ticket": "1"}, user=user, password=password, http_method="GET")
    assert_plain(r, 405, "")
    assert "Allow" not in r.headers


def test_unknown_method_with_get_is_404(server):
    """brief §1/§13: a GET to an unknown `api/<name>/` finds no route in 2.6.1 (Django's 404 page); a known
    legacy method name still answers 405 to GET (test_get_is_405)."""
    r = legacy(server, "no_such_method", http_method="GET")
    assert r.status_code == 404 and "Not Found" in r.text


@pytest.mark.parametrize("user, password", [("root@localhost", "wrong"), ("nobody", "nothing"), (None, None),
                                            ("cora", "olga-password")])
def test_bad_credentials_are_403(server, user, password):
    """spec §A.2: failed `authenticate()` → 403 with an empty text/plain body."""
    assert_plain(legacy(server, "list_queues", user=user, password=password), 403, "")


def test_credentials_before_method_lookup(server):
    """spec §A.1 dispatch order: an unknown method with bad credentials → 403, not 400."""
    assert_plain(legacy(server, "no_such_method", user="root@localhost", password="wrong"), 403, "")


def test_json_body_has_no_credentials(server):
    """brief §13: parameters come from the form body only; a JSON body → no user → 403."""
    r = requests.post(url(server, "list_queues/"), json={"user": "root@localhost", "password": server.root_password},
                      timeout=30)
    assert_plain(r, 403, "")


def test_credentials_in_query_are_not_read(server):
    """spec §A.1: parameters are read from POST data only, not the query string."""
    r = requests.post(url(server, "list_queues/"), params={"user": "root@localhost", "password": server.root_password},
                      timeout=30)
    assert_plain(r, 403, "")


@pytest.mark.parametrize("method", ["no_such_method", "create-ticket", "api"])
def test_unknown_method_is_400(server, method):
    """spec §A.2: an unknown method (valid credentials) → 400 with an empty body."""
    assert_plain(legacy(server, method), 400, "")


def test_method_names_are_lower_case(server):
    """brief §13: `[A-Z]` in the name matches no route → Django's HTML 404."""
    r = legacy(server, "Create_ticket")
    assert (r.status_code, r.text) == (404, HTML_404)
    assert r.headers.get("Content-Type") == HTML_TYPE


def test_missing_slash_redirects(server):
    """brief §1 / §13: `/api/create_ticket` → 301 to `/api/create_ticket/` (also for POST)."""
    r = requests.post(url(server, "create_ticket"), data={"user": "x"}, allow_redirects=False, timeout=30)
    assert r.status_code == 301
    assert r.headers.get("Location") == "/api/create_ticket/"


# --- create_ticket (spec §A.3, brief §13) ----------------------------------------------------------

def test_create_ticket(server):
    """spec §A.3: 200 with the new id as text; the ticket (same id space as REST) has body, priority 3, `Ticket Opened`."""
    title = unique("legacy")
    r = legacy(server, "create_ticket", {"queue": str(server.djhd_queue_support), "title": title,
                                         "body": "Line one\nLine two", "submitter_email": "legacy@example.net"})
    assert r.status_code == 200, r.text
    assert r.headers.get("Content-Type") == "text/plain"
    assert re.fullmatch(r"[1-9][0-9]*", r.text), r.text
    t = ticket(server, int(r.text))
    assert (t["queue"], t["title"], t["description"], t["submitter_email"]) == (
        server.djhd_queue_support, title, "Line one\nLine two", "legacy@example.net")
    assert (t["priority"], t["status"], t["on_hold"], t["assigned_to"]) == (3, 1, False, None)
    opening = t["followup_set"]
    assert len(opening) == 1
    assert (opening[0]["title"], opening[0]["comment"], opening[0]["public"]) == ("Ticket Opened", "Line one\nLine two", True)
    assert opening[0]["user"] == caller_id(server)


def test_create_ticket_shares_the_rest_sequence(server):
    """Contract: legacy and REST tickets are numbered by the same sequence."""
    legacy_id = legacy_create(server)
    rest_id = create_ticket(server)["id"]
    assert rest_id > legacy_id
    assert legacy_create(server) > rest_id


def test_create_ticket_with_priority(server):
    """spec §A.3: `priority` 1–5 is kept."""
    assert ticket(server, legacy_create(server, priority="1"))["priority"] == 1


def test_create_ticket_as_customer(server):
    """spec §A.1: any active user may call the API (no staff check): cora creates a ticket."""
    t = ticket(server, legacy_create(server, user="cora", password="cora-password", submitter_email="cora@example.org"))
    assert isinstance(t["followup_set"][0]["user"], int)
    assert t["followup_set"][0]["user"] != caller_id(server)


def test_customer_is_always_its_own_submitter(server):
    """Deviation (docs/django-helpdesk.md): a customer cannot open a ticket in another address's name."""
    t = ticket(server, legacy_create(server, user="cora", password="cora-password", submitter_email="someone.else@example.org"))
    assert t["submitter_email"] == "cora@example.org"
    assert t["on_hold"] is False


def test_create_ticket_assigned(server):
    """brief §13: `assigned_to` (a user id from find_user) → assigned; opening follow-up `Ticket Opened & Assigned to <full name>`."""
    olga = legacy(server, "find_user", {"username": "olga"}).text
    t = ticket(server, legacy_create(server, assigned_to=olga))
    assert t["assigned_to"] == int(olga)
    assert t["followup_set"][0]["title"] == "Ticket Opened & Assigned to Olga Owner"


@pytest.mark.parametrize("fields, answer", [
    ({"due_date_year": "2024", "due_date_month": "5", "due_date_day": "1"}, "2024-05-01T00:00:00Z"),
    ({"due_date": "2024-05-01"}, "2024-05-01T00:00:00Z"),
    ({"due_date": "2024-05-01 10:30"}, "2024-05-01T10:30:00Z"),
    # Django 1.10's DATETIME_INPUT_FORMATS (the 0.2 form's DateTimeField).
    ({"due_date": "05/01/2024 10:30"}, "2024-05-01T10:30:00Z"),
    ({"due_date": "5/1/24"}, "2024-05-01T00:00:00Z"),
    ({"due_date": "2024-5-1"}, "2024-05-01T00:00:00Z"),
])
def test_create_ticket_due_date(server, fields, answer):
    """spec Ambiguity 2 / brief §13: the split-date widget fields and a single `due_date` value are both accepted (UTC)."""
    assert ticket(server, legacy_create(server, **fields))["due_date"] == answer


def test_create_ticket_attachment_and_empty_split_date(server):
    """TicketForm (0.2): `attachment` is kept on the opening follow-up, spaces in its name made
    `_`, typed from the name; split due-date fields of 0/0/0 mean no due date."""
    form = {"user": "root@localhost", "password": server.root_password, "queue": str(server.djhd_queue_support),
            "title": unique("upload"), "body": "see file", "due_date_year": "0", "due_date_month": "0",
            "due_date_day": "0"}
    r = requests.post(url(server, "create_ticket/"), data=form, timeout=30,
                      files={"attachment": ("my report.pdf", b"%PDF-1.4", "application/octet-stream")})
    assert r.status_code == 200, r.text
    t = ticket(server, int(r.text))
    assert t["due_date"] is None
    files = t["followup_set"][0]["followupattachment_set"]
    assert [(f["filename"], f["mime_type"], f["size"]) for f in files] == [("my_report.pdf", "application/pdf", 8)]
    # The 0.2 view binds its form to request.POST only: an upload never fails a create.
    empty = requests.post(url(server, "create_ticket/"), data=form, timeout=30,
                          files={"attachment": ("empty.txt", b"", "text/plain")})
    assert empty.status_code == 200, empty.text
    assert ticket(server, int(empty.text))["followup_set"][0]["followupattachment_set"] == []


def test_create_ticket_required_fields(server):
    """brief §13: no fields → queue, title, body required, in form order, as `as_text()`."""
    r = legacy(server, "create_ticket", {})
    assert_plain(r, 400, form_errors(("queue", REQUIRED), ("title", REQUIRED), ("body", REQUIRED)))


@pytest.mark.parametrize("field, value, message", [
    ("queue", "987654", "Select a valid choice. 987654 is not one of the available choices."),
    ("title", "x" * 101, "Ensure this value has at most 100 characters (it has 101)."),
    ("submitter_email", "not-an-address", "Enter a valid email address."),
    ("assigned_to", "987654321", "Select a valid choice. 987654321 is not one of the available choices."),
    ("priority", "9", "Select a valid choice. 9 is not one of the available choices."),
    # ChoiceField compares text: "+3" and "03" are no choices, though int() reads them.
    ("priority", "+3", "Select a valid choice. +3 is not one of the available choices."),
    ("priority", "03", "Select a valid choice. 03 is not one of the available choices."),
    ("due_date", "someday", "Enter a valid date/time."),
    ("due_date", "2024-05-01T10:30:00", "Enter a valid date/time."),
])
def test_create_ticket_field_errors(server, field, value, message):
    """brief §13: Django form messages per field, 400 text/plain."""
    form = {"queue": str(server.djhd_queue_support), "title": unique("bad"), "body": "b"}
    form[field] = value
    assert_plain(legacy(server, "create_ticket", form), 400, form_errors((field, message)))


def test_create_ticket_error_order(server):
    """brief §13: errors in form field order: queue, title, submitter_email, body, assigned_to, priority."""
    form = {"priority": "0", "assigned_to": "987654321", "submitter_email": "nope", "queue": "987654"}
    r = legacy(server, "create_ticket", form)
    assert_plain(r, 400, form_errors(
        ("queue", "Select a valid choice. 987654 is not one of the available choices."),
        ("title", REQUIRED),
        ("submitter_email", "Enter a valid email address."),
        ("body", REQUIRED),
        ("assigned_to", "Select a valid choice. 987654321 is not one of the available choices."),
        ("priority", "Select a valid choice. 0 is not one of the available choices."),
    ))


def test_title_of_100_characters_is_fine(server):
    """brief §13: title max length is 100 (inclusive)."""
    prefix = unique("t")
    title = prefix + "x" * (100 - len(prefix))
    assert len(title) == 100
    assert ticket(server, legacy_create(server, title=title))["title"] == title


# --- ticket actions (spec §A.3) --------------------------------------------------------------------

@pytest.mark.parametrize("value", ["987654321", "abc", "", None, "1.5"])
def test_invalid_ticket_ids(server, value):
    """spec §A.3 / brief §13: unknown, missing or non-numeric ticket → 400 `Invalid ticket ID` (not 500)."""
    data = {} if value is None else {"ticket": value}
    for method, extra in (("hold_ticket", {}), ("unhold_ticket", {}), ("add_followup", {"message": "m"}),
                          ("resolve", {"resolution": "r"}), ("delete_ticket", {"confirm": "yes"})):
        assert_plain(legacy(server, method, dict(data, **extra)), 400, "Invalid ticket ID")


def test_hold_and_unhold(server):
    """spec §A.3: hold_ticket / unhold_ticket → 200 empty; `on_hold` visible through REST; ` 12 ` style ids work."""
    tid = legacy_create(server)
    assert_plain(legacy(server, "hold_ticket", {"ticket": str(tid)}), 200, "")
    assert ticket(server, tid)["on_hold"] is True
    assert_plain(legacy(server, "unhold_ticket", {"ticket": f" {tid} "}), 200, "")
    assert ticket(server, tid)["on_hold"] is False


def test_delete_ticket(server):
    """spec §A.3: `confirm` is checked first (`No confirmation provided`), then the ticket; success → 200 empty, gone from REST."""
    tid = legacy_create(server)
    assert_plain(legacy(server, "delete_ticket", {"ticket": str(tid)}), 400, "No confirmation provided")
    assert_plain(legacy(server, "delete_ticket", {"ticket": str(tid), "confirm": ""}), 400, "No confirmation provided")
    assert_plain(legacy(server, "delete_ticket", {"ticket": "987654321"}), 400, "No confirmation provided")
    assert ticket(server, tid)["id"] == tid
    assert_plain(legacy(server, "delete_ticket", {"ticket": str(tid), "confirm": "yes"}), 200, "")
    assert get(server, f"tickets/{tid}/").status_code == 404


@pytest.mark.parametrize("flag, public", [("y", True), ("n", False), (None, False)])
def test_add_followup(server, flag, public):
    """spec §A.3: add_followup → 200 empty; follow-up `Comment Added` by the caller; `y` public, `n`/absent private."""
    tid = legacy_create(server)
    data = {"ticket": str(tid), "message": "<b>Looked</b> into it"}
    if flag is not None:
        data["public"] = flag
    assert_plain(legacy(server, "add_followup", data), 200, "")
    t = ticket(server, tid)
    assert len(t["followup_set"]) == 2
    f = t["followup_set"][1]
    assert (f["title"], f["comment"], f["public"], f["new_status"]) == ("Comment Added", "<b>Looked</b> into it", public, None)
    assert f["user"] == t["followup_set"][0]["user"]
    assert t["status"] == 1


def test_add_followup_errors_in_order(server):
    """spec §A.3: ticket first, then `Invalid 'public' flag`, then `Blank message`."""
    tid = str(legacy_create(server))
    assert_plain(legacy(server, "add_followup", {"ticket": "987654321", "public": "x"}), 400, "Invalid ticket ID")
    assert_plain(legacy(server, "add_followup", {"ticket": tid, "public": "yes"}), 400, "Invalid 'public' flag")
    assert_plain(legacy(server, "add_followup", {"ticket": tid, "public": "y"}), 400, "Blank message")
    assert_plain(legacy(server, "add_followup", {"ticket": tid, "message": ""}), 400, "Blank message")
    assert len(ticket(server, int(tid))["followup_set"]) == 1


def test_add_followup_as_customer(server):
    """spec §A.1: a customer login may add follow-ups (SwiftDesk: to its own tickets, docs/django-helpdesk.md)."""
    tid = legacy_create(server, submitter_email="cora@example.org")
    r = legacy(server, "add_followup", {"ticket": str(tid), "message": "from cora", "public": "y"},
               user="cora", password="cora-password")
    assert_plain(r, 200, "")
    f = ticket(server, tid)["followup_set"][1]
    assert f["comment"] == "from cora" and isinstance(f["user"], int)


def test_resolve(server):
    """spec §A.3 (contract): resolve → status 3, `resolution` stored, public follow-up `Resolved` with the text."""
    tid = legacy_create(server)
    assert_plain(legacy(server, "resolve", {"ticket": str(tid), "resolution": "Rebooted it."}), 200, "")
    t = ticket(server, tid)
    assert (t["status"], t["resolution"]) == (3, "Rebooted it.")
    f = t["followup_set"][-1]
    assert (f["title"], f["comment"], f["public"]) == ("Resolved", "Rebooted it.", True)


def test_resolve_blank(server):
    """spec §A.3: empty or missing `resolution` → `Blank resolution`; the ticket is unchanged."""
    tid = legacy_create(server)
    assert_plain(legacy(server, "resolve", {"ticket": str(tid), "resolution": ""}), 400, "Blank resolution")
    assert_plain(legacy(server, "resolve", {"ticket": str(tid)}), 400, "Blank resolution")
    assert ticket(server, tid)["status"] == 1


# --- list_queues and find_user (spec §A.3, brief §13) ----------------------------------------------

def test_list_queues(server):
    """brief §13: `text/json`, `[{"id": "<id>", "title": …}, …]` ordered by title, ids as strings, `", "` separators."""
    queues = [(int(m.group(1)), m.group(2)) for m in QUEUE_LINE.finditer(server.cli("djhd", "queue", "list"))]
    assert (server.djhd_queue_support, "Support") in queues and (server.djhd_queue_billing, "Billing") in queues
    expected = "[" + ", ".join('{"id": "%d", "title": "%s"}' % (qid, title)
                               for qid, title in sorted(queues, key=lambda q: q[1])) + "]"
    r = legacy(server, "list_queues")
    assert (r.status_code, r.text) == (200, expected)
    assert r.headers.get("Content-Type") == "text/json"
    assert r.text.index('"Billing"') < r.text.index('"Support"')


def test_list_queues_for_customers(server):
    """spec §A.1: a customer login may list queues too."""
    r = legacy(server, "list_queues", user="cora", password="cora-password")
    assert r.status_code == 200
    assert r.headers.get("Content-Type") == "text/json"
    assert '"title": "Support"' in r.text


def test_find_user(server):
    """spec §A.3: find_user → the user's id as text (the id REST uses for the same user)."""
    r = legacy(server, "find_user", {"username": "root@localhost"})
    assert r.status_code == 200 and r.headers.get("Content-Type") == "text/plain"
    assert int(r.text) == caller_id(server)
    for login in ("olga", "cora"):
        found = legacy(server, "find_user", {"username": login})
        assert found.status_code == 200 and re.fullmatch(r"[1-9][0-9]*", found.text), found.text
    assert legacy(server, "find_user", {"username": "olga"}).text != legacy(server, "find_user", {"username": "cora"}).text


@pytest.mark.parametrize("username", ["OLGA", "nobody-here", "", None])
def test_find_user_unknown(server, username):
    """spec §A.3: unknown (case-sensitive) or missing username → 400 `Invalid username provided`."""
    data = {} if username is None else {"username": username}
    assert_plain(legacy(server, "find_user", data), 400, "Invalid username provided")
