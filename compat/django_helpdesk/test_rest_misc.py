"""Everything around the resources: the API root, pagination, Django's 301/404, DRF's 405/406/415,
HEAD, OPTIONS, /api/users/, /api/user_tickets/ and attachments (brief §1–§12, spec §E)."""
import json
import math
import re
import time

import pytest
import requests

from .djhdutil import (
    ATTACHMENT_KEYS, DETAIL_ALLOW, HTML_404, HTML_TYPE, ISO_UTC, LIST_ALLOW, NO_PERMISSION, NO_TICKET, NOT_FOUND,
    PAGE_KEYS, PUBLIC_TICKET_KEYS, READONLY_ALLOW, TICKET_KEYS, USERS_ALLOW, all_tickets, assert_exact, assert_json,
    basic_headers, create_ticket, customer_auth, delete, get, head, host, keys, legacy, options, pairs, patch, post,
    put, root_auth, ticket, ticket_payload, token_headers, unique, url,
)

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
                    "Cross-Origin-Opener-Policy": "same-origin"}


def root_body(h, suffix="/"):
    names = ["tickets", "user_tickets", "followups", "followups-attachments", "users"]
    if suffix == "/":
        return "{" + ",".join(f'"{n}":"http://{h}/api/{n}/"' for n in names) + "}"
    return "{" + ",".join(f'"{n}":"http://{h}/api/{n}{suffix}"' for n in names) + "}"


# --- API root (brief §12) -------------------------------------------------------------------------

def test_api_root(server):
    """brief §12: GET /api/ without auth → the DRF root, absolute URLs from the Host header, compact JSON."""
    r = get(server, "", auth=None)
    assert_exact(r, 200, root_body(host(server)))
    assert r.headers.get("Allow") == READONLY_ALLOW
    assert r.headers.get("Vary") == "Accept, Cookie"


def test_api_root_follows_host_header(server):
    """brief §12: H in the root's links is whatever Host the client sent."""
    r = get(server, "", auth=None, headers={"Host": "desk.example.org:8080"})
    assert_exact(r, 200, root_body("desk.example.org:8080"))


def test_api_root_json_suffix(server):
    """brief §12: GET /api/.json → the same keys with `…/api/tickets.json` links."""
    assert_exact(get(server, ".json", auth=None), 200, root_body(host(server), suffix=".json"))


def test_pretty_json_on_request(server):
    """brief §1: `Accept: application/json; indent=2` → indented JSON, still `application/json`."""
    r = get(server, "", auth=None, headers={"Accept": "application/json; indent=2"})
    assert_json(r, 200)
    assert r.text == json.dumps(json.loads(root_body(host(server))), indent=2, ensure_ascii=False)


def test_security_headers(server):
    """brief §1: SecurityMiddleware headers on every response (JSON, 301, HTML 404)."""
    for r in (get(server, "", auth=None), get(server, "tickets", auth=None), get(server, "nothing/", auth=None),
              get(server, "tickets/", auth=None)):
        for name, value in SECURITY_HEADERS.items():
            assert r.headers.get(name) == value, (r.status_code, name, r.headers)


# --- pagination (brief §4) ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def many_tickets(server):
    """At least 27 tickets exist (so a default page of 25 is visibly cut); tests count again themselves."""
    count = all_tickets(server)["count"]
    for _ in range(max(0, 27 - count)):
        create_ticket(server)


def test_page_shape_and_links(server, many_tickets):
    """brief §4: `{count,next,previous,results}`, absolute `next`; `previous` of page 2 drops `page=`."""
    base = f"http://{host(server)}/api/tickets/"
    r = get(server, "tickets/", params={"page_size": 2})
    assert_json(r, 200)
    assert keys(r.text) == PAGE_KEYS
    first = r.json()
    assert first["count"] == all_tickets(server)["count"]
    assert (first["next"], first["previous"], len(first["results"])) == (base + "?page=2&page_size=2", None, 2)
    second = get(server, "tickets/", params={"page": 2, "page_size": 2}).json()
    assert second["previous"] == base + "?page_size=2"
    assert second["next"] == base + "?page=3&page_size=2"
    assert [t["id"] for t in first["results"]] + [t["id"] for t in second["results"]] == \
        [t["id"] for t in all_tickets(server)["results"][:4]]


@pytest.mark.parametrize("header", [("X-Forwarded-Proto", "https"), ("X-Forwarded-Ssl", "on")])
def test_links_behind_a_tls_proxy(server, many_tickets, header):
    """gunicorn believes its secure-scheme headers from a loopback peer: links are https."""
    r = get(server, "tickets/", params={"page_size": 2}, headers=dict([header]))
    assert r.json()["next"] == f"https://{host(server)}/api/tickets/?page=2&page_size=2"
    plain = get(server, "tickets/", params={"page_size": 2}, headers={"X-Forwarded-Proto": "http"})
    assert plain.json()["next"].startswith("http://")


def test_last_page(server, many_tickets):
    """brief §4: `page=last` is the last page; its `next` is null."""
    count = all_tickets(server)["count"]
    pages = math.ceil(count / 2)
    last = get(server, "tickets/", params={"page": "last", "page_size": 2}).json()
    assert last["count"] == count
    assert last["next"] is None
    assert last["previous"] == f"http://{host(server)}/api/tickets/?page={pages - 1}&page_size=2"
    assert len(last["results"]) == count - 2 * (pages - 1)


def test_links_rebuild_the_query(server, many_tickets):
    """brief §4: links keep the other parameters, keys sorted, quote_plus encoded (`,`→%2C, space→+)."""
    r = requests.get(url(server, "tickets/") + "?zz=%20a&status=1,4&page_size=1", headers=root_auth(server), timeout=30)
    assert_json(r, 200)
    assert r.json()["next"] == f"http://{host(server)}/api/tickets/?page=2&page_size=1&status=1%2C4&zz=+a"
    # parse_qs keeps every value of a repeated key, in the order sent.
    r = requests.get(url(server, "tickets/") + "?zz=2&zz=1&page_size=1", headers=root_auth(server), timeout=30)
    assert r.json()["next"] == f"http://{host(server)}/api/tickets/?page=2&page_size=1&zz=2&zz=1"


@pytest.mark.parametrize("page", ["abc", "0", "1.5", "-1", "99999"])
def test_invalid_page(server, many_tickets, page):
    """brief §4: a page that is not an int in 1..num_pages → 404 `Invalid page.`"""
    r = get(server, "tickets/", params={"page": page})
    assert_exact(r, 404, '{"detail":"Invalid page."}')
    assert r.headers.get("Allow") == LIST_ALLOW


@pytest.mark.parametrize("size", ["0", "-1", "abc"])
def test_page_size_fallback(server, many_tickets, size):
    """brief §4: `page_size` ≤0 or unparsable → the default 25."""
    r = get(server, "tickets/", params={"page_size": size}).json()
    default = get(server, "tickets/").json()
    assert len(default["results"]) == 25
    assert [t["id"] for t in r["results"]] == [t["id"] for t in default["results"]]
    assert default["next"] == f"http://{host(server)}/api/tickets/?page=2"


def test_page_size_has_no_upper_bound(server, many_tickets):
    """brief §4: no maximum page size."""
    r = get(server, "tickets/", params={"page_size": 1000}).json()
    assert len(r["results"]) == r["count"] >= 27
    assert r["next"] is None


def test_empty_list(server):
    """brief §4: an empty list is page 1 of 1 (`page=2` is invalid); the reader submitted nothing."""
    auth = token_headers(server.djhd_reader_token)
    assert_exact(get(server, "user_tickets/", auth=auth), 200, '{"count":0,"next":null,"previous":null,"results":[]}')
    assert_exact(get(server, "user_tickets/", auth=auth, params={"page": 2}), 404, '{"detail":"Invalid page."}')


# --- Django's pages: 301 and 404 (brief §1) -------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "POST"])
def test_missing_slash_redirects(server, method):
    """brief §1 (APPEND_SLASH): no trailing slash → 301, empty body, relative Location keeping the query."""
    r = requests.request(method, url(server, "tickets") + "?page=2&x=1", headers=root_auth(server),
                         allow_redirects=False, timeout=30)
    assert r.status_code == 301
    assert r.headers.get("Location") == "/api/tickets/?page=2&x=1"
    assert r.headers.get("Content-Type") == HTML_TYPE
    assert r.content == b""


def test_missing_slash_on_detail(server):
    """brief §1: a detail URL without its slash → 301 to the slashed one, no auth needed."""
    t = create_ticket(server)
    r = get(server, f"tickets/{t['id']}", auth=None)
    assert r.status_code == 301
    assert r.headers.get("Location") == f"/api/tickets/{t['id']}/"


@pytest.mark.parametrize("path", ["nothing/", "nothing", "users/1/", "tickets/1/extra/", "Tickets/"])
def test_unknown_paths_are_django_404(server, path):
    """brief §1: unknown paths under /api/ → Django's HTML 404 page, byte-exact."""
    r = get(server, path)
    assert (r.status_code, r.text) == (404, HTML_404)
    assert r.headers.get("Content-Type") == HTML_TYPE


# --- 405, 406, format, 415 (brief §2, §6) --------------------------------------------------------

def test_users_get_is_405(server):
    """spec §E: GET /api/users/ → 405 `Method "GET" not allowed.`, `Allow: POST, OPTIONS`."""
    r = get(server, "users/")
    assert_exact(r, 405, '{"detail":"Method \\"GET\\" not allowed."}')
    assert r.headers.get("Allow") == USERS_ALLOW


@pytest.mark.parametrize("method, path, allow", [
    ("PUT", "tickets/", LIST_ALLOW),
    ("DELETE", "followups/", LIST_ALLOW),
    ("PATCH", "tickets/", LIST_ALLOW),
    ("POST", "ticket-detail", DETAIL_ALLOW),
])
def test_method_not_allowed(server, method, path, allow):
    """brief §2 step 5: a method the route lacks → 405 `Method "<NAME>" not allowed.` (name as sent)."""
    if path == "ticket-detail":
        path = f"tickets/{create_ticket(server)['id']}/"
    r = requests.request(method, url(server, path), headers=root_auth(server), timeout=30)
    assert_exact(r, 405, '{"detail":"Method \\"%s\\" not allowed."}' % method)
    assert r.headers.get("Allow") == allow


def test_user_tickets_is_read_only(server):
    """brief §1: user_tickets allows `GET, HEAD, OPTIONS` only."""
    r = post(server, "user_tickets/", {}, auth=customer_auth(server))
    assert_exact(r, 405, '{"detail":"Method \\"POST\\" not allowed."}')
    assert r.headers.get("Allow") == READONLY_ALLOW


def test_unacceptable_accept_header(server):
    """brief §2 step 2: `Accept: application/xml` → 406 `Could not satisfy the request Accept header.`"""
    r = get(server, "tickets/", headers={"Accept": "application/xml"})
    assert_exact(r, 406, '{"detail":"Could not satisfy the request Accept header."}')
    assert r.headers.get("Allow") == LIST_ALLOW


@pytest.mark.parametrize("accept", ["application/json", "application/*", "*/*", "application/xml, application/json"])
def test_acceptable_accept_headers(server, accept):
    """brief §2 step 2: JSON when Accept matches application/json, application/* or */*."""
    assert_json(get(server, "tickets/", headers={"Accept": accept}), 200)


def test_format_parameter(server):
    """spec §E / brief §2: `?format=xml` → 404 `Not found.`; `?format=json` is JSON."""
    assert_exact(get(server, "tickets/", params={"format": "xml"}), 404, '{"detail":"Not found."}')
    assert_json(get(server, "tickets/", params={"format": "json"}), 200)


def test_format_suffix(server):
    """brief §12: format suffixes work on resources (`/api/tickets/<id>.json`)."""
    t = create_ticket(server)
    assert_json(get(server, f"tickets/{t['id']}.json"), 200, ticket(server, t["id"]))
    assert_json(get(server, f"tickets/{t['id']}.xml"), 404, NOT_FOUND)


def test_415_on_followups(server):
    """brief §6: 415 applies to every parsing route."""
    r = post(server, "followups/", data=b"ticket=1", headers={"Content-Type": "text/plain"})
    assert_exact(r, 415, '{"detail":"Unsupported media type \\"text/plain\\" in request."}')


# --- HEAD and OPTIONS (brief §1, §11) -------------------------------------------------------------

def test_head_is_get_without_body(server):
    """brief §1: HEAD → GET's status and headers (Content-Length of the GET body), no body."""
    t = create_ticket(server)
    for path, auth in ((f"tickets/{t['id']}/", "default"), ("", None)):
        g = get(server, path, auth=auth)
        h = head(server, path, auth=auth)
        assert h.status_code == g.status_code == 200
        assert h.content == b""
        for name in ("Content-Type", "Allow", "Vary"):
            assert h.headers.get(name) == g.headers.get(name), name
        assert h.headers.get("Content-Length") == str(len(g.content))


def test_head_errors(server):
    """brief §1: HEAD of an unknown ticket has the 404's headers, no body."""
    h = head(server, "tickets/987654321/")
    assert h.status_code == 404
    assert h.headers.get("Content-Type") == "application/json"
    assert h.content == b""


def test_options_ticket_list(server):
    """brief §11: OPTIONS /api/tickets/ → name, description, renders, parses, actions.POST in field order."""
    r = options(server, "tickets/")
    assert_json(r, 200)
    assert r.headers.get("Allow") == LIST_ALLOW
    assert keys(r.text) == ["name", "description", "renders", "parses", "actions"]
    body = r.json()
    assert body["name"] == "Ticket List"
    assert body["description"] == (
        "A viewset that provides the standard actions to handle Ticket\n\nYou can filter the tickets by status using "
        "the `status` query parameter. For example:\n\n`/api/tickets/?status=Open,Resolved` will return all the "
        "tickets that are Open or Resolved.")
    assert body["renders"] == ["application/json", "text/html"]
    assert body["parses"] == ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"]
    assert list(body["actions"]) == ["POST"]
    fields = [k for k, _ in dict(dict(pairs(r.text))["actions"])["POST"]]
    expected = TICKET_KEYS[:-1] + ["attachment", "followup_set"]
    assert fields[:len(expected)] == expected
    assert all(k.startswith("custom_") for k in fields[len(expected):])
    post_action = body["actions"]["POST"]
    assert post_action["id"] == {"type": "integer", "required": False, "read_only": True, "label": "ID"}
    assert post_action["queue"] == {"type": "field", "required": True, "read_only": False, "label": "Queue"}
    assert post_action["title"] == {"type": "string", "required": True, "read_only": False, "label": "Title",
                                    "max_length": 200}
    assert post_action["status"]["choices"] == [
        {"value": 1, "display_name": "Open"}, {"value": 2, "display_name": "Reopened"},
        {"value": 3, "display_name": "Resolved"}, {"value": 4, "display_name": "Closed"},
        {"value": 5, "display_name": "Duplicate"}]
    assert [c["display_name"] for c in post_action["priority"]["choices"]] == [
        "1. Critical", "2. High", "3. Normal", "4. Low", "5. Very Low"]


def test_options_detail_and_others(server):
    """brief §11: detail → `Ticket Instance` with actions.PUT; followups `Follow Up List`; user_tickets and root have no actions."""
    t = create_ticket(server)
    detail = options(server, f"tickets/{t['id']}/").json()
    assert detail["name"] == "Ticket Instance"
    assert list(detail["actions"]) == ["PUT"]
    assert detail["actions"]["PUT"] == options(server, "tickets/").json()["actions"]["POST"]
    # DRF leaves PUT out when get_object() finds nothing.
    missing = options(server, "tickets/999999/")
    assert_json(missing, 200)
    assert missing.json()["name"] == "Ticket Instance"
    assert "actions" not in missing.json()
    assert "actions" not in options(server, "followups/999999/").json()
    followups = options(server, "followups/").json()
    assert (followups["name"], followups["description"]) == ("Follow Up List", "")
    assert list(followups["actions"]["POST"])[:9] == ["id", "ticket", "user", "title", "comment", "public",
                                                      "new_status", "time_spent", "attachments"]
    mine = options(server, "user_tickets/", auth=customer_auth(server))
    assert_json(mine, 200)
    assert mine.json()["name"] == "User Ticket List"
    assert "actions" not in mine.json()
    root = options(server, "", auth=None)
    assert_json(root, 200)
    assert (root.json()["name"], root.json()["description"]) == ("Api Root", "The default basic root view for DefaultRouter")
    assert "actions" not in root.json()


# --- /api/users/ (brief §5 User) ----------------------------------------------------------------

def test_create_user(server):
    """brief §5: POST /api/users/ → 201 `{first_name,last_name,username,email}` (password not echoed)."""
    name = unique("dave").replace("-", "_")
    body = {"first_name": "Dave", "last_name": "", "username": name, "email": f"{name}@example.org", "password": "pw-123"}
    r = post(server, "users/", body)
    assert_exact(r, 201, '{"first_name":"Dave","last_name":"","username":"%s","email":"%s@example.org"}' % (name, name))
    assert r.headers.get("Allow") == USERS_ALLOW


def test_created_user_is_an_active_customer(server):
    """brief §5: the new user is active and not staff: Basic works on user_tickets, 403 on tickets; its id is small."""
    name = unique("erin").replace("-", "_")
    r = post(server, "users/", {"username": name, "password": "erin-pw"})
    assert_exact(r, 201, '{"first_name":"","last_name":"","username":"%s","email":""}' % name)
    auth = basic_headers(name, "erin-pw")
    assert_json(get(server, "user_tickets/", auth=auth), 200)
    assert_json(get(server, "tickets/", auth=auth), 403, NO_PERMISSION)
    found = legacy(server, "find_user", {"username": name})
    assert found.status_code == 200, found.text
    assert 0 < int(found.text) < 1000000000


def test_user_validation(server):
    """brief §5: username/password required (field order), username charset, e-mail format."""
    assert_exact(post(server, "users/", {}), 400,
                 '{"username":["This field is required."],"password":["This field is required."]}')
    r = post(server, "users/", {"username": "bad name!", "password": "x"})
    assert_json(r, 400, {"username": ["Enter a valid username. This value may contain only letters, numbers, "
                                      "and @/./+/-/_ characters."]})
    r = post(server, "users/", {"username": unique("f").replace("-", "_"), "password": "x", "email": "not-an-address"})
    assert_exact(r, 400, '{"email":["Enter a valid email address."]}')


def test_duplicate_username(server):
    """brief §5: usernames are unique, also against existing agents (`olga`)."""
    name = unique("gus").replace("-", "_")
    assert post(server, "users/", {"username": name, "password": "x"}).status_code == 201
    for taken in (name, "olga"):
        r = post(server, "users/", {"username": taken, "password": "x"})
        assert_exact(r, 400, '{"username":["A user with that username already exists."]}')


def test_customer_cannot_create_users(server):
    """brief §3: `users` is IsAdminUser: a customer → 403."""
    r = post(server, "users/", {"username": unique("h").replace("-", "_"), "password": "x"}, auth=customer_auth(server))
    assert_json(r, 403, NO_PERMISSION)


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_users_writes_need_an_administrator(server, method):
    """brief §3: `DjangoModelPermissions` wants a model permission for writes, checked before the
    method: staff without it (the agent `reader`) get 403 even for PUT and DELETE (405 for admins)."""
    auth = token_headers(server.djhd_reader_token)
    call = {"post": post, "put": put, "delete": delete}[method]
    r = call(server, "users/", auth=auth) if method == "delete" else call(server, "users/", {"username": "x"}, auth=auth)
    assert_json(r, 403, NO_PERMISSION)
    admin = call(server, "users/") if method == "delete" else call(server, "users/", {})
    assert admin.status_code == (400 if method == "post" else 405)


# --- /api/user_tickets/ (brief §5 PublicTicketListing) --------------------------------------------

@pytest.fixture(scope="module")
def cora_tickets(server):
    """Two tickets submitted by cora (1 s apart, so `created` differs) and one by somebody else."""
    older = create_ticket(server, submitter_email="cora@example.org")
    time.sleep(1.1)
    newer = create_ticket(server, submitter_email="cora@example.org")
    other = create_ticket(server, submitter_email="someone-else@example.org")
    return older, newer, other


def test_user_tickets_lists_own_tickets_newest_first(server, cora_tickets):
    """brief §4 / §5: only tickets whose submitter_email is the caller's e-mail, newest first."""
    older, newer, other = cora_tickets
    r = get(server, "user_tickets/", auth=customer_auth(server), params={"page_size": 1000})
    assert_json(r, 200)
    assert keys(r.text) == PAGE_KEYS
    ids = [t["id"] for t in r.json()["results"]]
    assert older["id"] in ids and newer["id"] in ids and other["id"] not in ids
    assert ids.index(newer["id"]) < ids.index(older["id"])
    assert all(t["submitter"] == "cora@example.org" for t in r.json()["results"])
    assert r.headers.get("Allow") == READONLY_ALLOW


def test_public_ticket_shape(server, cora_tickets):
    """brief §5: PublicTicket keys and values (`ticket` reference, queue `{title,id}`, status text, ISO `created`)."""
    older, _, _ = cora_tickets
    r = get(server, "user_tickets/", auth=customer_auth(server), params={"page_size": 1000})
    item = next(i for i in dict(pairs(r.text))["results"] if dict(i)["id"] == older["id"])
    item_keys = [k for k, _ in item]
    assert item_keys[:len(PUBLIC_TICKET_KEYS)] == PUBLIC_TICKET_KEYS
    assert all(k.startswith("custom_") for k in item_keys[len(PUBLIC_TICKET_KEYS):])
    item = dict(item)
    assert item["ticket"] == f"{older['id']} [support-{older['id']}]"
    assert item["title"] == older["title"]
    assert [tuple(p) for p in item["queue"]] == [("title", "Support"), ("id", server.djhd_queue_support)]
    assert item["status"] == "Open"
    assert ISO_UTC.fullmatch(item["created"]), item["created"]
    assert item["due_date"] is None
    assert item["submitter"] == "cora@example.org"
    assert item["kbitem"] == ""
    assert re.fullmatch(UUID, item["secret_key"]), item["secret_key"]


def test_public_ticket_detail(server, cora_tickets):
    """brief §5: /api/user_tickets/<id>/ has exactly the PublicTicket keys (no custom_*); others' ids → 404."""
    older, _, other = cora_tickets
    r = get(server, f"user_tickets/{older['id']}/", auth=customer_auth(server))
    assert_json(r, 200)
    assert keys(r.text) == PUBLIC_TICKET_KEYS
    assert r.headers.get("Allow") == READONLY_ALLOW
    listed = get(server, "user_tickets/", auth=customer_auth(server), params={"page_size": 1000}).json()["results"]
    from_list = next(t for t in listed if t["id"] == older["id"])
    assert {k: from_list[k] for k in PUBLIC_TICKET_KEYS} == r.json()
    assert_json(get(server, f"user_tickets/{other['id']}/", auth=customer_auth(server)), 404, NO_TICKET)


def test_public_status_text(server):
    """brief §5: status is the display name plus ` - On Hold` when on hold."""
    t = create_ticket(server, submitter_email="cora@example.org")
    patch(server, f"tickets/{t['id']}/", {"on_hold": True})
    got = get(server, f"user_tickets/{t['id']}/", auth=customer_auth(server)).json()
    assert got["status"] == "Open - On Hold"
    patch(server, f"tickets/{t['id']}/", {"on_hold": False, "status": 3})
    assert get(server, f"user_tickets/{t['id']}/", auth=customer_auth(server)).json()["status"] == "Resolved"


# --- attachments (brief §10, spec §E) -------------------------------------------------------------

def multipart_ticket(server, filename, content=b"hello attachment\n", mime="text/plain", **fields):
    payload = ticket_payload(server, **fields)
    form = {k: str(v) for k, v in payload.items()}
    return post(server, "tickets/", data=form, files={"attachment": (filename, content, mime)}), payload


def test_attachment_on_ticket_create(server):
    """spec §E / brief §10: multipart `attachment` → an entry of the opening follow-up; absolute /media/ URL."""
    r, payload = multipart_ticket(server, "note.txt", submitter_email="cora@example.org")
    assert_json(r, 201)
    t = r.json()
    opening = t["followup_set"][0]
    assert len(opening["followupattachment_set"]) == 1
    entry_pairs = dict(dict(pairs(r.text))["followup_set"][0])["followupattachment_set"][0]
    assert [k for k, _ in entry_pairs] == ATTACHMENT_KEYS
    att = opening["followupattachment_set"][0]
    assert isinstance(att["id"], int)
    assert att["followup"] == opening["id"]
    assert (att["filename"], att["mime_type"], att["size"]) == ("note.txt", "text/plain", 17)
    secret = get(server, f"user_tickets/{t['id']}/", auth=customer_auth(server)).json()["secret_key"]
    assert att["file"] == (f"http://{host(server)}/media/helpdesk/attachments/support-{t['id']}-{secret}/"
                           f"{opening['id']}/note.txt")
    assert ticket(server, t["id"])["followup_set"][0]["followupattachment_set"] == [att]


@pytest.mark.parametrize("filename", ["scan.PDF", "README", "photo.jpg", "mail.eml", "notes.docx"])
def test_allowed_extensions(server, filename):
    """brief §10: allowed extensions are compared lower-cased; no extension is allowed."""
    r, _ = multipart_ticket(server, filename, content=b"x" * 10, mime="application/octet-stream")
    assert_json(r, 201)
    assert r.json()["followup_set"][0]["followupattachment_set"][0]["filename"] == filename


@pytest.mark.parametrize("filename, ext", [("page.html", ".html"), ("run.exe", ".exe"), ("archive.tar.gz", ".gz")])
def test_refused_extension_on_ticket(server, filename, ext):
    """spec §E: ticket create with a bad extension → 400 `{"attachment":["Unsupported file extension: <ext>"]}`, nothing created."""
    r, payload = multipart_ticket(server, filename, content=b"<p>hi</p>", mime="text/html")
    assert_exact(r, 400, '{"attachment":["Unsupported file extension: %s"]}' % ext)
    assert payload["title"] not in {t["title"] for t in all_tickets(server)["results"]}


def test_attachments_on_followup(server):
    """spec §B.5 / brief §10: several `attachments`; `filename` keeps the original name, the URL the cleaned one."""
    t = create_ticket(server)
    files = [("attachments", ("a.txt", b"A", "text/plain")), ("attachments", ("my file.txt", b"BB", "text/plain"))]
    r = post(server, "followups/", data={"ticket": str(t["id"]), "comment": "with files"}, files=files)
    assert_json(r, 201)
    f = r.json()
    entries = {a["filename"]: a for a in f["followupattachment_set"]}
    assert set(entries) == {"a.txt", "my file.txt"}
    prefix = f"http://{host(server)}/media/helpdesk/attachments/support-{t['id']}-"
    assert entries["a.txt"]["size"] == 1 and entries["my file.txt"]["size"] == 2
    assert re.fullmatch(re.escape(prefix) + UUID + f"/{f['id']}/a\\.txt", entries["a.txt"]["file"])
    assert re.fullmatch(re.escape(prefix) + UUID + f"/{f['id']}/my_file\\.txt", entries["my file.txt"]["file"])
    assert all(a["followup"] == f["id"] for a in entries.values())
    assert ticket(server, t["id"])["followup_set"][1]["followupattachment_set"] == f["followupattachment_set"]


def test_clashing_file_names(server):
    """spec §E: a clashing file name gets a 7-character random suffix; `filename` stays the original."""
    t = create_ticket(server)
    files = [("attachments", ("dup.txt", b"one", "text/plain")), ("attachments", ("dup.txt", b"two", "text/plain"))]
    r = post(server, "followups/", data={"ticket": str(t["id"]), "comment": "twice"}, files=files)
    assert_json(r, 201)
    urls = sorted(a["file"] for a in r.json()["followupattachment_set"])
    assert [a["filename"] for a in r.json()["followupattachment_set"]] == ["dup.txt", "dup.txt"]
    names = sorted(u.rsplit("/", 1)[1] for u in urls)
    assert names[0] == "dup.txt"
    assert re.fullmatch(r"dup_[A-Za-z0-9]{7}\.txt", names[1]), names


def test_refused_extension_on_followup(server):
    """spec §E: a bad extension on /api/followups/ → 400 and nothing saved (upstream: 500 with the follow-up kept)."""
    t = create_ticket(server)
    r = post(server, "followups/", data={"ticket": str(t["id"]), "comment": "bad file"},
             files=[("attachments", ("page.html", b"<p>x</p>", "text/html"))])
    assert_json(r, 400)
    assert len(ticket(server, t["id"])["followup_set"]) == 1


def test_empty_file_refused(server):
    """brief §5: a zero-byte file → `{"attachments":{"0":["The submitted file is empty."]}}`."""
    t = create_ticket(server)
    r = post(server, "followups/", data={"ticket": str(t["id"]), "comment": "empty"},
             files=[("attachments", ("empty.txt", b"", "text/plain"))])
    assert_exact(r, 400, '{"attachments":{"0":["The submitted file is empty."]}}')
    assert len(ticket(server, t["id"])["followup_set"]) == 1


def test_followups_attachments_resource(server):
    """spec §B.2: /api/followups-attachments/ lists and reads the rows; unknown id → `No FollowUpAttachment…`."""
    t = create_ticket(server)
    f = post(server, "followups/", data={"ticket": str(t["id"]), "comment": "c"},
             files=[("attachments", ("listed.txt", b"123", "text/plain"))]).json()
    att = f["followupattachment_set"][0]
    r = get(server, "followups-attachments/", params={"page_size": 100000})
    assert_json(r, 200)
    assert keys(r.text) == PAGE_KEYS
    assert att in r.json()["results"]
    names = [a["filename"] for a in r.json()["results"]]
    assert names == sorted(names)
    one = get(server, f"followups-attachments/{att['id']}/")
    assert_json(one, 200, att)
    assert keys(one.text) == ATTACHMENT_KEYS
    assert_json(get(server, "followups-attachments/987654321/"), 404,
                {"detail": "No FollowUpAttachment matches the given query."})


def test_followups_attachments_create(server):
    """brief §8: POST /api/followups-attachments/ (multipart `followup`, `file`) adds a row; JSON `file` is refused."""
    t = create_ticket(server)
    fid = t["followup_set"][0]["id"]
    r = post(server, "followups-attachments/", data={"followup": str(fid)},
             files={"file": ("added.txt", b"added", "text/plain")})
    assert_json(r, 201)
    att = r.json()
    assert (att["followup"], att["filename"], att["size"]) == (fid, "added.txt", 5)
    assert att in ticket(server, t["id"])["followup_set"][0]["followupattachment_set"]
    r = post(server, "followups-attachments/", {"followup": fid, "file": "added.txt"})
    assert_exact(r, 400, '{"file":["The submitted data was not a file. Check the encoding type on the form."]}')
    r = post(server, "followups-attachments/", data={"followup": str(fid)},
             files={"file": ("page.html", b"<p>x</p>", "text/html")})
    assert_exact(r, 400, '{"file":["Unsupported file extension: .html"]}')


def test_delete_attachment(server):
    """spec §B.2: DELETE /api/followups-attachments/<id>/ → 204; the entry leaves the follow-up."""
    t = create_ticket(server)
    f = post(server, "followups/", data={"ticket": str(t["id"]), "comment": "c"},
             files=[("attachments", ("gone.txt", b"bye", "text/plain"))]).json()
    att = f["followupattachment_set"][0]
    r = delete(server, f"followups-attachments/{att['id']}/")
    assert r.status_code == 204 and r.content == b""
    assert ticket(server, t["id"])["followup_set"][1]["followupattachment_set"] == []
