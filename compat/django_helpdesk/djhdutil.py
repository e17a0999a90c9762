"""Helpers for the django-helpdesk face (`djhd`): the DRF API under /api/ and the legacy form-POST
API under /api/<method>/, called the way django-helpdesk 2.6.1 clients call them (requests with
`Authorization: Token …` or `Basic …`, JSON, form-urlencoded or multipart bodies).

Every wrapper returns the `requests.Response` untouched, so tests can look at status, headers and
the exact body; `create_ticket`, `ticket` and `add_followup` are the short forms of the happy path.
References: spec = /work/shared/spec/django-helpdesk.md, brief = /work/notes/django-helpdesk-brief.md.
"""
import base64
import json
import re
import uuid

import requests

TIMEOUT = 30
JSON_TYPE = "application/json"  # every DRF answer, errors too, no charset (brief §1)
HTML_TYPE = "text/html; charset=utf-8"  # Django's own pages: 301, 404 (brief §1)

LIST_ALLOW = "GET, POST, HEAD, OPTIONS"
DETAIL_ALLOW = "GET, PUT, PATCH, DELETE, HEAD, OPTIONS"
READONLY_ALLOW = "GET, HEAD, OPTIONS"  # user_tickets list + detail, the API root
USERS_ALLOW = "POST, OPTIONS"

# Django's DEBUG=False 404 page, byte for byte (brief §1).
HTML_404 = ('\n<!doctype html>\n<html lang="en">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n'
            '  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n')

# Key orders (brief §5).
TICKET_KEYS = ["id", "queue", "title", "description", "resolution", "submitter_email", "assigned_to", "status",
               "on_hold", "priority", "due_date", "merged_to", "followup_set"]
FOLLOWUP_KEYS = ["id", "ticket", "user", "title", "comment", "public", "new_status", "time_spent",
                 "followupattachment_set", "date", "message_id", "email_recipients"]
ATTACHMENT_KEYS = ["id", "followup", "file", "filename", "mime_type", "size"]
PUBLIC_TICKET_KEYS = ["ticket", "id", "title", "queue", "status", "created", "due_date", "submitter", "kbitem",
                      "secret_key"]
PAGE_KEYS = ["count", "next", "previous", "results"]

# UTC ISO-8601 as DRF writes it: `YYYY-MM-DDTHH:MM:SS[.ffffff]Z` (brief §5 value formats).
ISO_UTC = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?Z")
TOKEN_LINE = re.compile(r"^Token: ([0-9a-f]{40})$", re.MULTILINE)
QUEUE_LINE = re.compile(r"^Queue (\d+): (.*) \(([^()]*)\)$", re.MULTILINE)

AUTH_MISSING = {"detail": "Authentication credentials were not provided."}
NO_PERMISSION = {"detail": "You do not have permission to perform this action."}
NOT_FOUND = {"detail": "Not found."}
NO_TICKET = {"detail": "No Ticket matches the given query."}
REQUIRED = "This field is required."


def url(server, path):
    """`tickets/` → http://127.0.0.1:port/api/tickets/; a path starting with `/` is taken from the site root."""
    if path.startswith("/"):
        return server.base + path
    return server.base + "/api/" + path


def host(server):
    """The Host header requests sends, which DRF builds absolute links from (brief §4, §12)."""
    return server.base[len("http://"):]


def token_headers(token, keyword="Token"):
    return {"Authorization": f"{keyword} {token}"}


def basic_headers(login, password):
    raw = f"{login}:{password}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


def root_auth(server):
    """The admin's DRF token (default credentials of every wrapper)."""
    return token_headers(server.djhd_token)


def customer_auth(server):
    return token_headers(server.djhd_customer_token)


def _headers(server, auth, extra):
    sent = {}
    if auth == "default":
        sent.update(root_auth(server))
    elif auth is not None:
        sent.update(auth)
    sent.update(extra or {})
    return sent


def _send(method, server, path, auth="default", json_body=None, data=None, files=None, headers=None,
          params=None, allow_redirects=False):
    """One request. `json_body` is JSON-encoded (compact, as python clients send it); `data` is sent
    as given (dict → form-urlencoded, str/bytes → raw); `files` makes it multipart."""
    sent = _headers(server, auth, headers)
    if json_body is not None:
        data = json.dumps(json_body).encode()
        sent.setdefault("Content-Type", "application/json")
    return requests.request(method, url(server, path), data=data, files=files, headers=sent, params=params,
                            timeout=TIMEOUT, allow_redirects=allow_redirects)


def get(server, path, auth="default", **kw):
    return _send("GET", server, path, auth=auth, **kw)


def head(server, path, auth="default", **kw):
    return _send("HEAD", server, path, auth=auth, **kw)


def options(server, path, auth="default", **kw):
    return _send("OPTIONS", server, path, auth=auth, **kw)


def post(server, path, body=None, auth="default", **kw):
    return _send("POST", server, path, auth=auth, json_body=body, **kw)


def put(server, path, body=None, auth="default", **kw):
    return _send("PUT", server, path, auth=auth, json_body=body, **kw)


def patch(server, path, body=None, auth="default", **kw):
    return _send("PATCH", server, path, auth=auth, json_body=body, **kw)


def delete(server, path, auth="default", **kw):
    return _send("DELETE", server, path, auth=auth, **kw)


def pairs(text):
    """A JSON object as its list of [key, value] pairs, in the order they were sent."""
    return json.loads(text, object_pairs_hook=list)


def keys(text):
    """The top-level keys of a JSON object, in order."""
    return [k for k, _ in pairs(text)]


def unique(prefix="t"):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def assert_json(r, status, body=None):
    """Status, `application/json` (no charset) and, if given, the decoded body."""
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers.get("Content-Type") == JSON_TYPE, r.headers
    if body is not None:
        assert r.json() == body, r.text


def assert_exact(r, status, text):
    """Status, `application/json` and the byte-exact compact body (brief §1: `separators=(",",":")`)."""
    assert (r.status_code, r.text) == (status, text)
    assert r.headers.get("Content-Type") == JSON_TYPE, r.headers


# --- tickets and follow-ups ------------------------------------------------------------------

def ticket_payload(server, **overrides):
    """A complete create body in the Support queue; keys set to None are removed."""
    payload = {
        "queue": server.djhd_queue_support,
        "title": unique("djhd"),
        "description": "Printer on fire.\nSecond line.",
        "submitter_email": unique("sub") + "@example.net",
        "priority": 3,
    }
    payload.update(overrides)
    return {k: v for k, v in payload.items() if v is not None}


def create_ticket(server, auth="default", **overrides):
    """POST /api/tickets/ and return the 201 Ticket (a dict)."""
    r = post(server, "tickets/", ticket_payload(server, **overrides), auth=auth)
    assert r.status_code == 201, (r.status_code, r.text)
    return r.json()


def ticket(server, ticket_id, auth="default"):
    r = get(server, f"tickets/{ticket_id}/", auth=auth)
    assert r.status_code == 200, (r.status_code, r.text)
    return r.json()


def add_followup(server, ticket_id, auth="default", **fields):
    r = post(server, "followups/", dict(fields, ticket=ticket_id), auth=auth)
    assert r.status_code == 201, (r.status_code, r.text)
    return r.json()


def caller_id(server, auth="default"):
    """The face's user id of the caller: the `user` of the opening follow-up of a ticket it creates."""
    return create_ticket(server, auth=auth)["followup_set"][0]["user"]


def all_tickets(server, auth="default", **params):
    """Every ticket of the list (one big page)."""
    r = get(server, "tickets/", auth=auth, params=dict(params, page_size=100000))
    assert r.status_code == 200, (r.status_code, r.text)
    return r.json()


# --- legacy form-POST API (spec §A, brief §13) --------------------------------------------------

def legacy(server, method, data=None, user="root", password=None, files=None, http_method="POST", headers=None):
    """POST /api/<method>/ with `user`/`password` form fields. user="root" means root@localhost
    with the fixture's password; user=None sends no credentials."""
    form = {}
    if user == "root":
        form.update(user="root@localhost", password=server.root_password)
    elif user is not None:
        form.update(user=user, password=password)
    form.update(data or {})
    return requests.request(http_method, url(server, method + "/"), data=form, files=files, headers=headers,
                            timeout=TIMEOUT, allow_redirects=False)


def assert_plain(r, status, text):
    """Legacy answer: status, `text/plain` exactly (no charset) and the exact body."""
    assert (r.status_code, r.text) == (status, text)
    assert r.headers.get("Content-Type") == "text/plain", r.headers


def legacy_create(server, user="root", password=None, **fields):
    """create_ticket with a complete form; returns the new ticket id (int)."""
    form = {"queue": str(server.djhd_queue_support), "title": unique("legacy"), "body": "Sent by a 2010 script."}
    form.update({k: v for k, v in fields.items() if v is not None})
    r = legacy(server, "create_ticket", form, user=user, password=password)
    assert r.status_code == 200, (r.status_code, r.text)
    assert re.fullmatch(r"[1-9][0-9]*", r.text), r.text
    return int(r.text)
