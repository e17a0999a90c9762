"""/api/tickets/: create, read, list, filter, PATCH/PUT, DELETE and DRF's validation answers, as
django-helpdesk 2.6.1 gives them (spec §B.3, §E; brief §5, §6, §7)."""
import pytest

from .djhdutil import (
    DETAIL_ALLOW, FOLLOWUP_KEYS, ISO_UTC, LIST_ALLOW, NO_TICKET, NOT_FOUND, TICKET_KEYS, all_tickets,
    assert_exact, assert_json, basic_headers, caller_id, create_ticket, delete, get, keys, pairs, patch, post, put,
    ticket, ticket_payload, unique,
)


def custom_tail_ok(key_list):
    """Model keys in brief §5 order, then only `custom_<name>` keys."""
    assert key_list[:len(TICKET_KEYS)] == TICKET_KEYS, key_list
    assert all(k.startswith("custom_") for k in key_list[len(TICKET_KEYS):]), key_list


# --- create (brief §7) ------------------------------------------------------------------------

def test_create_answer(server):
    """brief §5 / §7: 201 Ticket in key order, status 1, the `Ticket Opened` follow-up (public, comment = description)."""
    payload = ticket_payload(server, priority=4)
    r = post(server, "tickets/", payload)
    assert_json(r, 201)
    assert "Location" not in r.headers
    assert r.headers.get("Allow") == LIST_ALLOW
    assert r.headers.get("Vary") == "Accept"
    custom_tail_ok(keys(r.text))
    t = r.json()
    assert isinstance(t["id"], int) and t["id"] > 0
    assert {k: t[k] for k in TICKET_KEYS if k != "followup_set" and k != "id"} == {
        "queue": server.djhd_queue_support, "title": payload["title"], "description": payload["description"],
        "resolution": None, "submitter_email": payload["submitter_email"], "assigned_to": None, "status": 1,
        "on_hold": False, "priority": 4, "due_date": None, "merged_to": None,
    }
    assert len(t["followup_set"]) == 1
    followup = t["followup_set"][0]
    followup_pairs = dict(pairs(r.text))["followup_set"][0]
    assert [k for k, _ in followup_pairs] == FOLLOWUP_KEYS
    assert isinstance(followup["id"], int)
    assert followup["ticket"] == t["id"]
    assert isinstance(followup["user"], int)
    assert followup["title"] == "Ticket Opened"
    assert followup["comment"] == payload["description"]
    assert followup["public"] is True
    assert followup["new_status"] is None
    assert followup["time_spent"] is None
    assert followup["followupattachment_set"] == []
    assert ISO_UTC.fullmatch(followup["date"]), followup["date"]
    assert followup["message_id"] is None
    # django-helpdesk mails the submitter of a new ticket and records it (docs/django-helpdesk.md).
    assert followup["email_recipients"] == [payload["submitter_email"]]


def test_create_ignores_state_fields(server):
    """spec §E: create ignores `status`, `on_hold`, `resolution`, `merged_to` (answers 1/false/null/null)."""
    other = create_ticket(server)["id"]
    t = create_ticket(server, status=4, on_hold=True, resolution="already done", merged_to=other)
    assert (t["status"], t["on_hold"], t["resolution"], t["merged_to"]) == (1, False, None, None)


def test_create_without_submitter_email(server):
    """brief §0 / §7: an omitted `submitter_email` comes back as `""`, not null."""
    t = create_ticket(server, submitter_email=None)
    assert t["submitter_email"] == ""


def test_create_by_another_agent(server):
    """brief §7: the opening follow-up's user is the caller (olga via Basic differs from root)."""
    olga = create_ticket(server, auth=basic_headers("olga", "olga-password"))["followup_set"][0]["user"]
    root = caller_id(server)
    assert isinstance(olga, int) and isinstance(root, int)
    assert olga != root


def test_create_assigned(server):
    """spec §E: creating with `assigned_to` titles the opening follow-up `Ticket Opened & Assigned to <full name>`."""
    olga = caller_id(server, auth=basic_headers("olga", "olga-password"))
    t = create_ticket(server, assigned_to=olga)
    assert t["assigned_to"] == olga
    assert t["followup_set"][0]["title"] == "Ticket Opened & Assigned to Olga Owner"


def test_create_form_urlencoded(server):
    """spec §B.1: form-urlencoded bodies are parsed like JSON (numbers as text)."""
    title = unique("form")
    form = {"queue": str(server.djhd_queue_billing), "title": title, "description": "via a form", "priority": "2"}
    r = post(server, "tickets/", data=form)
    assert_json(r, 201)
    t = r.json()
    assert (t["queue"], t["title"], t["description"], t["priority"]) == (server.djhd_queue_billing, title, "via a form", 2)


def test_numeric_strings_accepted(server):
    """spec §E: numeric strings accepted for `priority` and `queue`."""
    t = create_ticket(server, queue=str(server.djhd_queue_support), priority="5")
    assert (t["queue"], t["priority"]) == (server.djhd_queue_support, 5)


def test_strings_are_trimmed_and_raw_utf8(server):
    """brief §1 / §5: strings trimmed; non-ASCII is written raw (ensure_ascii=False), not \\u-escaped."""
    title = "  Café ☕ " + unique("u") + "  "
    r = post(server, "tickets/", ticket_payload(server, title=title))
    assert_json(r, 201)
    assert r.json()["title"] == title.strip()
    assert "Café ☕".encode() in r.content
    assert b"\\u00e9" not in r.content


@pytest.mark.parametrize("sent, answer", [
    ("2024-05-01", "2024-05-01T00:00:00Z"),
    ("2024-05-01T12:30:00+02:00", "2024-05-01T10:30:00Z"),
    ("2024-05-01T10:00Z", "2024-05-01T10:00:00Z"),
    ("2024-05-01T10:00:05", "2024-05-01T10:00:05Z"),
    ("2024-05-01T12:30:00+0200", "2024-05-01T10:30:00Z"),
    ("2024-05-01T12:30:00.123-0130", "2024-05-01T14:00:00Z"),
    ("2024-05-01T10", "2024-05-01T10:00:00Z"),
    ("20240501T103000Z", "2024-05-01T10:30:00Z"),
    ("2024-5-1 9:05", "2024-05-01T09:05:00Z"),
])
def test_due_date_formats(server, sent, answer):
    """spec §E / brief §5: a date-only `due_date` is midnight UTC, offsets come back as `Z`, naive is UTC;
    what Python 3.11's `fromisoformat` and Django's pattern read (`+0200`, hours only, basic format)."""
    t = create_ticket(server, due_date=sent)
    assert t["due_date"] == answer
    assert ticket(server, t["id"])["due_date"] == answer


# --- validation (brief §5, §6, §7) --------------------------------------------------------------

def test_empty_object(server):
    """spec §E: `{}` → 400 `{"queue":[…],"title":[…]}` (DRF stage first), compact JSON."""
    r = post(server, "tickets/", {})
    assert_exact(r, 400, '{"queue":["This field is required."],"title":["This field is required."]}')
    assert r.headers.get("Allow") == LIST_ALLOW


def test_empty_body(server):
    """brief §6: an empty body is `{}` (no parser needed), even without a Content-Type."""
    r = post(server, "tickets/", data=b"")
    assert_exact(r, 400, '{"queue":["This field is required."],"title":["This field is required."]}')


def test_missing_priority(server):
    """spec §E: the ticket form demands `priority` → `{"priority":["This field is required."]}`."""
    r = post(server, "tickets/", ticket_payload(server, priority=None))
    assert_exact(r, 400, '{"priority":["This field is required."]}')


def test_missing_title(server):
    """brief §5: title required at the DRF stage."""
    r = post(server, "tickets/", ticket_payload(server, title=None))
    assert_exact(r, 400, '{"title":["This field is required."]}')


def test_unknown_queue(server):
    """brief §0: bad `queue` → `Invalid pk "<id>" - object does not exist.`"""
    r = post(server, "tickets/", ticket_payload(server, queue=987654))
    assert_exact(r, 400, '{"queue":["Invalid pk \\"987654\\" - object does not exist."]}')


def test_queue_of_wrong_type(server):
    """brief §5: a non-int string for a pk → `Incorrect type. Expected pk value, received str.`"""
    r = post(server, "tickets/", ticket_payload(server, queue="support"))
    assert_exact(r, 400, '{"queue":["Incorrect type. Expected pk value, received str."]}')


def test_unknown_assignee(server):
    """brief §5: `assigned_to` of no user → `Invalid pk … - object does not exist.`"""
    r = post(server, "tickets/", ticket_payload(server, assigned_to=987654321))
    assert_exact(r, 400, '{"assigned_to":["Invalid pk \\"987654321\\" - object does not exist."]}')


def test_bad_priority(server):
    """brief §5: choice error `"9" is not a valid choice.`"""
    r = post(server, "tickets/", ticket_payload(server, priority=9))
    assert_exact(r, 400, '{"priority":["\\"9\\" is not a valid choice."]}')


def test_bad_due_date(server):
    """brief §5: unparsable datetime → DRF's `Datetime has wrong format…` text."""
    r = post(server, "tickets/", ticket_payload(server, due_date="next tuesday"))
    assert_json(r, 400, {"due_date": ["Datetime has wrong format. Use one of these formats instead: "
                                      "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."]})


def test_title_not_a_string(server):
    """spec §E: `title: true` → `Not a valid string.`"""
    r = post(server, "tickets/", ticket_payload(server, title=True))
    assert_exact(r, 400, '{"title":["Not a valid string."]}')


def test_errors_in_field_order(server):
    """brief §5: error dict keys follow the serializer's field order, whatever order the body used."""
    body = {"priority": 9, "title": True, "queue": 987654, "description": "x"}
    r = post(server, "tickets/", body)
    assert_exact(r, 400, '{"queue":["Invalid pk \\"987654\\" - object does not exist."],'
                         '"title":["Not a valid string."],"priority":["\\"9\\" is not a valid choice."]}')


def test_missing_description(server):
    """spec §E: omitting `description` (HTML 500 upstream) → a 400 field error."""
    r = post(server, "tickets/", ticket_payload(server, description=None))
    assert_json(r, 400)
    body = r.json()
    assert isinstance(body, dict) and body
    assert all(isinstance(v, list) and all(isinstance(m, str) for m in v) for v in body.values()), body


@pytest.mark.parametrize("description", ["", None])
def test_blank_description(server, description):
    """brief §0: `description` `""`/null → `{"body":["This field is required."]}` (the form's field name)."""
    payload = ticket_payload(server)
    payload["description"] = description
    r = post(server, "tickets/", payload)
    assert_exact(r, 400, '{"body":["This field is required."]}')


@pytest.mark.parametrize("body, text", [
    ("[]", '{"non_field_errors":["Invalid data. Expected a dictionary, but got list."]}'),
    ("[1, 2]", '{"non_field_errors":["Invalid data. Expected a dictionary, but got list."]}'),
    ("42", '{"non_field_errors":["Invalid data. Expected a dictionary, but got int."]}'),
    ('"x"', '{"non_field_errors":["Invalid data. Expected a dictionary, but got str."]}'),
    ("null", '{"non_field_errors":["No data provided"]}'),
])
def test_body_not_an_object(server, body, text):
    """spec §E / brief §6: a top level that is not an object → `non_field_errors`."""
    r = post(server, "tickets/", data=body.encode(), headers={"Content-Type": "application/json"})
    assert_exact(r, 400, text)


@pytest.mark.parametrize("body, message", [
    ("x", "Expecting value: line 1 column 1 (char 0)"),
    ("{bad", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
    ('{"a":1,}', "Expecting property name enclosed in double quotes: line 1 column 8 (char 7)"),
    ("{}x", "Extra data: line 1 column 3 (char 2)"),
    ('{"a" 1}', "Expecting ':' delimiter: line 1 column 6 (char 5)"),
    ('\n  {"title": "a" "b"}', "Expecting ',' delimiter: line 2 column 17 (char 17)"),
    ('{"title": "ab', "Unterminated string starting at: line 1 column 11 (char 10)"),
])
def test_json_parse_errors(server, body, message):
    """brief §6: malformed JSON → 400 `{"detail":"JSON parse error - <Python 3.11 json message>"}`."""
    r = post(server, "tickets/", data=body.encode(), headers={"Content-Type": "application/json"})
    assert_json(r, 400, {"detail": "JSON parse error - " + message})


def test_json_content_type_parameters_ignored(server):
    """brief §6: media type matched case-insensitively, parameters ignored."""
    import json as _json
    body = _json.dumps(ticket_payload(server)).encode()
    r = post(server, "tickets/", data=body, headers={"Content-Type": "Application/JSON; charset=utf-8"})
    assert_json(r, 201)


@pytest.mark.parametrize("content_type, shown", [("text/plain", "text/plain"), (None, "")])
def test_unsupported_media_type(server, content_type, shown):
    """brief §6: a non-empty body of another (or no) type → 415 `Unsupported media type "<type>" in request.`"""
    headers = {"Content-Type": content_type} if content_type else {}
    r = post(server, "tickets/", data=b"queue=1&title=x", headers=headers)
    assert_exact(r, 415, '{"detail":"Unsupported media type \\"%s\\" in request."}' % shown)


# --- read and list ----------------------------------------------------------------------------

def test_get_matches_create_answer(server):
    """spec §B.2: GET /api/tickets/<id>/ returns the ticket as the 201 showed it, key order included."""
    r = post(server, "tickets/", ticket_payload(server))
    assert r.status_code == 201, r.text
    got = get(server, f"tickets/{r.json()['id']}/")
    assert_json(got, 200, r.json())
    assert got.headers.get("Allow") == DETAIL_ALLOW
    assert keys(got.text) == keys(r.text)


def test_leading_zeros_find_the_ticket(server):
    """spec §E: leading zeros in an id find the ticket."""
    t = create_ticket(server)
    assert_json(get(server, f"tickets/000{t['id']}/"), 200)
    assert get(server, f"tickets/000{t['id']}/").json()["id"] == t["id"]


def test_unknown_ids(server):
    """spec §E: unknown numeric id → `No Ticket matches the given query.`; non-numeric → `Not found.`"""
    r = get(server, "tickets/987654321/")
    assert_exact(r, 404, '{"detail":"No Ticket matches the given query."}')
    assert r.headers.get("Allow") == DETAIL_ALLOW
    assert_json(get(server, "tickets/abc/"), 404, NOT_FOUND)
    assert_json(patch(server, "tickets/987654321/", {"title": "x"}), 404, NO_TICKET)


def test_lookup_comes_before_body_parsing(server):
    """brief §2 step 6: detail routes look the object up before parsing the body (404, not 400)."""
    r = patch(server, "tickets/987654321/", data=b"{broken", headers={"Content-Type": "application/json"})
    assert_json(r, 404, NO_TICKET)


def test_list_in_id_order(server):
    """spec §E: tickets listed by id ascending; each item in Ticket key order.

    SwiftDesk lists in creation order: tickets of other faces (ids above 10**9, docs/django-helpdesk.md)
    stand among them, so the order is checked on this face's own ids."""
    a, b = create_ticket(server)["id"], create_ticket(server)["id"]
    r = get(server, "tickets/", params={"page_size": 100000})
    assert_json(r, 200)
    page = dict(pairs(r.text))
    ids = [dict(item)["id"] for item in page["results"]]
    own = [i for i in ids if i < 10**9]
    assert own == sorted(own)
    assert a in ids and b in ids and a < b
    for item in page["results"]:
        custom_tail_ok([k for k, _ in item])
    assert page["count"] == len(ids)


def test_status_filter(server):
    """brief §4: `?status=` takes numbers (exact `1`..`5`); names, unknown numbers, ` 1` → no filter."""
    closed = create_ticket(server)["id"]
    assert patch(server, f"tickets/{closed}/", {"status": 4}).status_code == 200
    open_one = create_ticket(server)["id"]
    everything = all_tickets(server)
    ids_of = lambda answer: {t["id"] for t in answer["results"]}  # noqa: E731
    only_closed = all_tickets(server, status="4")
    assert closed in ids_of(only_closed) and open_one not in ids_of(only_closed)
    assert {t["status"] for t in only_closed["results"]} == {4}
    assert only_closed["count"] == len(only_closed["results"])
    open_or_closed = all_tickets(server, status="1,4")
    assert {closed, open_one} <= ids_of(open_or_closed)
    assert {t["status"] for t in open_or_closed["results"]} <= {1, 4}
    for no_filter in ("Open", "9", "01", "", "Open,Closed"):
        answer = all_tickets(server, status=no_filter)
        assert answer["count"] == everything["count"], no_filter
        assert {closed, open_one} <= ids_of(answer)


# --- PATCH / PUT / DELETE (brief §7) --------------------------------------------------------------

def test_patch_sets_fields_directly(server):
    """brief §7: PATCH sets status/on_hold/resolution/priority/merged_to directly, adds no follow-up."""
    other = create_ticket(server)["id"]
    t = create_ticket(server)
    body = {"status": 4, "on_hold": True, "resolution": "Replaced the toner.", "priority": 1, "merged_to": other}
    r = patch(server, f"tickets/{t['id']}/", body)
    assert_json(r, 200)
    custom_tail_ok(keys(r.text))
    got = r.json()
    assert {k: got[k] for k in body} == body
    assert got["title"] == t["title"] and got["description"] == t["description"]
    assert got["followup_set"] == t["followup_set"]
    assert ticket(server, t["id"]) == got


def test_patch_bad_status(server):
    """brief §5: status outside 1–5 → `"9" is not a valid choice.`"""
    t = create_ticket(server)
    r = patch(server, f"tickets/{t['id']}/", {"status": 9})
    assert_exact(r, 400, '{"status":["\\"9\\" is not a valid choice."]}')
    assert r.headers.get("Allow") == DETAIL_ALLOW
    assert ticket(server, t["id"])["status"] == 1


def test_patch_bad_boolean(server):
    """brief §5: `on_hold: "maybe"` → `Must be a valid boolean.`"""
    t = create_ticket(server)
    r = patch(server, f"tickets/{t['id']}/", {"on_hold": "maybe"})
    assert_exact(r, 400, '{"on_hold":["Must be a valid boolean."]}')


def test_put_needs_queue_and_title(server):
    """spec §E: PUT needs `queue` + `title`."""
    t = create_ticket(server)
    r = put(server, f"tickets/{t['id']}/", {})
    assert_exact(r, 400, '{"queue":["This field is required."],"title":["This field is required."]}')


def test_put_keeps_omitted_fields(server):
    """spec §E: PUT with only queue+title keeps the omitted fields (and adds no follow-up)."""
    t = create_ticket(server, priority=2)
    title = unique("moved")
    r = put(server, f"tickets/{t['id']}/", {"queue": server.djhd_queue_billing, "title": title})
    assert_json(r, 200)
    got = r.json()
    assert (got["queue"], got["title"]) == (server.djhd_queue_billing, title)
    for key in ("description", "submitter_email", "priority", "status", "on_hold", "followup_set"):
        assert got[key] == t[key], key


def test_delete(server):
    """brief §1 / spec §E: DELETE → 204, empty body, no Content-Type, `Allow` present; the ticket is gone."""
    t = create_ticket(server)
    r = delete(server, f"tickets/{t['id']}/")
    assert r.status_code == 204
    assert r.content == b""
    assert "Content-Type" not in r.headers
    assert r.headers.get("Allow") == DETAIL_ALLOW
    assert_json(get(server, f"tickets/{t['id']}/"), 404, NO_TICKET)
    assert_json(delete(server, f"tickets/{t['id']}/"), 404, NO_TICKET)


def test_delete_cascades_to_followups(server):
    """brief §7: DELETE cascades to the ticket's follow-ups."""
    t = create_ticket(server)
    followup_id = t["followup_set"][0]["id"]
    assert delete(server, f"tickets/{t['id']}/").status_code == 204
    assert_json(get(server, f"followups/{followup_id}/"), 404, {"detail": "No FollowUp matches the given query."})


def test_ids_come_from_one_sequence(server):
    """Contract: tickets of this face are numbered by its own sequence, so a new ticket gets a higher id."""
    first = create_ticket(server)["id"]
    second = create_ticket(server)["id"]
    assert second > first
    assert first < 1000000000 and second < 1000000000



def test_description_is_the_tickets_own_field(server):
    """2.6.1: `description` is a ticket column; editing or deleting the opening follow-up leaves it."""
    t = create_ticket(server, description="orig")
    opening = t["followup_set"][0]["id"]
    assert_json(patch(server, f"followups/{opening}/", {"comment": "edited opening"}), 200)
    assert ticket(server, t["id"])["description"] == "orig"
    assert delete(server, f"followups/{opening}/").status_code == 204
    assert ticket(server, t["id"])["description"] == "orig"


def test_merged_to_a_deleted_ticket_reads_null(server):
    """models.Ticket.merged_to is `on_delete=SET_NULL`: once the target is deleted it reads null."""
    source, target = create_ticket(server), create_ticket(server)
    assert patch(server, f"tickets/{source['id']}/", {"merged_to": target["id"]}).json()["merged_to"] == target["id"]
    assert delete(server, f"tickets/{target['id']}/").status_code == 204
    assert ticket(server, source["id"])["merged_to"] is None
