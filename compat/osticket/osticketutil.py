"""Helpers for the osTicket face: endpoints, API-key headers and requests sent the way osTicket
integrations send them (web forms and monitoring scripts post JSON or XML with `X-API-Key`, mail
pipes post the raw message, the community extension GETs ticketInfo/staffTickets/clientTickets).

Every helper returns the `requests.Response` untouched, so tests can look at status, headers and
the exact body; `create` and `ticket` are the short forms for the happy path.
"""
import json
import re
import uuid
from email.utils import formatdate

import requests

from znunyrest import znuny_search_one

CORE_TYPE = "text/html; charset=UTF-8"  # every core answer, success and errors (spec §8)
TEXT_TYPE = "text/plain; charset=UTF-8"  # the extension's own text answers (spec §8)
JSON_TYPE = "application/json; charset=UTF-8"  # the extension's JSON answers (spec §8)

# A ticket number: digits only, no leading zero (pyosticket JSON-decodes the 201 body, spec §7).
NUMBER = re.compile(r"[1-9][0-9]{5,}")
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")

# Key order of the ticketInfo object (brief §6.1, spec §8 additions included).
TICKET_KEYS = [
    "ticket_number", "subject", "ticket_status", "statusId", "priority", "department",
    "create_timestamp", "user_name", "user_email", "user_phone", "source", "assigned_to",
    "due_timestamp", "close_timestamp", "help_topic", "last_message_timestamp",
    "last_response_timestamp", "thread_entries",
]
# Key order of a thread entry's model (spec §6.1, brief §6.1).
ENTRY_KEYS = [
    "id", "pid", "thread_id", "staff_id", "user_id", "type", "poster", "editor", "source", "title",
    "body", "message", "format", "created", "updated", "staff_name", "user_name",
]
NAME_PARTS = {"salutation", "first", "suffix", "last", "middle"}

def url(server, path, router=True):
    """`/api/http.php/<path>` (the router itself), or `/api/<path>` with router=False (the
    stock .htaccess rewrite). Both must answer the same."""
    prefix = "/api/http.php/" if router else "/api/"
    return server.base + prefix + path.lstrip("/")


def headers(key, **extra):
    """The header set of osTicket's sample clients: the key, nothing else required."""
    sent = {} if key is None else {"X-API-Key": key}
    sent.update(extra)
    return sent


def unique(prefix="t"):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def email_address(prefix="user"):
    return unique(prefix) + "@example.com"


def _body(data):
    if isinstance(data, (bytes, str)):
        return data.encode() if isinstance(data, str) else data
    return json.dumps(data).encode()


def post_json(server, data, key="default", path="tickets.json", router=True, params=None, extra_headers=None):
    """POST a JSON body (a dict/list is encoded; str/bytes are sent as they are)."""
    key = server.osticket_key if key == "default" else key
    sent = headers(key, **{"Content-Type": "application/json"})
    sent.update(extra_headers or {})
    return requests.post(url(server, path, router), data=_body(data), headers=sent, params=params, timeout=30)


def post_xml(server, xml, key="default", router=True):
    key = server.osticket_key if key == "default" else key
    sent = headers(key, **{"Content-Type": "application/xml"})
    return requests.post(url(server, "tickets.xml", router), data=_body(xml), headers=sent, timeout=30)


def post_email(server, raw, key="default", router=True):
    """The mail pipe (`api/pipe.php` / `rcron`-style scripts post the raw RFC 822 bytes)."""
    key = server.osticket_key if key == "default" else key
    sent = headers(key, **{"Content-Type": "message/rfc822"})
    return requests.post(url(server, "tickets.email", router), data=_body(raw), headers=sent, timeout=30)


def message_id():
    return f"<{uuid.uuid4().hex}@mail.compat.example>"


def mail(sender, subject, body, *, mid=None, extra=(), content_type="text/plain; charset=UTF-8",
         transfer_encoding="8bit"):
    """A raw message with CRLF line ends; `sender` None leaves out the From header."""
    lines = [] if sender is None else [f"From: {sender}"]
    lines += [
        "To: Support <support@helpdesk.example>",
        f"Subject: {subject}",
        f"Date: {formatdate(localtime=False)}",
        f"Message-ID: {mid or message_id()}",
        *extra,
        "MIME-Version: 1.0",
        f"Content-Type: {content_type}",
        f"Content-Transfer-Encoding: {transfer_encoding}",
    ]
    if isinstance(body, str):
        body = body.encode()
    return "\r\n".join(lines).encode() + b"\r\n\r\n" + body.replace(b"\n", b"\r\n")


def ticket_payload(**overrides):
    """A complete JSON create body with a fresh e-mail address; keys set to None are removed."""
    payload = {
        "alert": True, "autorespond": True, "source": "API", "name": "Jo Doe",
        "email": email_address("jo"), "subject": unique("subject"), "message": "It is broken.",
        "ip": "203.0.113.9",
    }
    payload.update(overrides)
    return {k: v for k, v in payload.items() if v is not None}


def create(server, **overrides):
    """Creates a ticket through tickets.json; returns (number, payload)."""
    payload = ticket_payload(**overrides)
    r = post_json(server, payload)
    assert r.status_code == 201, (r.status_code, r.text)
    assert NUMBER.fullmatch(r.text), r.text
    return r.text, payload


def extension_get(server, function, key="default", router=True, **params):
    """GET tickets/<function> of the extension (ticketInfo, staffTickets, clientTickets)."""
    key = server.osticket_key if key == "default" else key
    return requests.get(url(server, "tickets/" + function, router), params=params, headers=headers(key), timeout=30)


def ticket_info(server, number, key="default", router=True):
    return extension_get(server, "ticketInfo", key=key, router=router, ticketNumber=number)


def ticket(server, number):
    """The ticket object of a successful ticketInfo."""
    r = ticket_info(server, number)
    assert r.status_code == 200, (r.status_code, r.text)
    body = r.json()
    assert body["status_code"] == "0", body
    return body["ticket"]


def entries(ticket_object):
    """The thread entries' models, in thread order."""
    return [entry["model"] for entry in ticket_object["thread_entries"]]


def reply(server, payload, key="default", router=True):
    return post_json(server, payload, key=key, path="tickets/reply.json", router=router)


def pairs(text):
    """A JSON object as its list of (key, value) pairs, in the order they were sent."""
    return json.loads(text, object_pairs_hook=list)


def znuny_ticket_id(server, number):
    """TicketSearch by TicketNumber through the Znuny REST face; the one TicketID found."""
    return znuny_search_one(server, TicketNumber=number)
