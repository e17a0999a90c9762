"""Helpers for the WHMCS face: `POST /includes/api.php`, form-encoded, answered in JSON, XML or NVP.

Requests are built the way WHMCS integrations build them: PHP's `http_build_query` (form-encoded,
arrays as `key[i][name]=…`), the API credential pair (`identifier`/`secret`), the same pair in the
legacy fields (`username`/`password`), or an admin username with the MD5 hex of its password
(pywhmcs, pywhmcs7). Every wrapper returns the `requests.Response` untouched so tests can look at
the status, the headers and the exact body; `ok`, `open_ticket` and `ticket` are the short forms of
the happy path.

References: spec = /work/shared/spec/whmcs.md, brief = /work/notes/whmcs-brief.md (the face follows
the brief where the two disagree).
"""
import base64
import html as html_module
import hashlib
import json
import os
import re
import time
import uuid
import xml.etree.ElementTree as ET

import requests

from znunyrest import znuny_search_title, znuny_ticket_get

TIMEOUT = 30
API_PATH = "/includes/api.php"

# Content types (brief §1.3-1.5, §9.3).
JSON_TYPE = "application/json"
XML_TYPE = "application/xml; charset=utf-8"
NVP_TYPE = "text/plain; charset=utf-8"

VERSION = "8.7.2"  # <whmcsapi version="…"> on success, empty on errors (brief §1.4)
XML_DECL = '<?xml version="1.0" encoding="utf-8"?>'

# The seeded department and the ones conftest adds (`whmcs department add`, `whmcs import`).
DEPT_SAMPLE = 1  # "Sample Support Department" (seeded)
DEPT_SALES = 2  # `whmcs department add --name Sales`
DEPT_TECH = 7  # imported: "Technical &amp; Network" (stored decoded); holds only the imported tickets
DEPT_COUNTING = 9  # `whmcs department add --name Counting --id 9`: only the counting tests use it
DEPT_EMPTY = 11  # `whmcs department add --name "Zeta Empty" --id 11`: never gets a ticket

# Clients and contacts: 1 and 4 from `whmcs client add`, 2 and 3 (+ contacts 5 of 2, 6 of 3) imported.
CLIENT_SAMPLE = 1  # the docs' sample sends clientid 1
CLIENT_ACME = 4
CLIENT_IMPORTED = 2
CONTACT_OF_2 = 5

# The imported WHMCS data (compat/whmcs/fixtures/whmcs-import.json, imported by compat/whmcs/conftest.py).
FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "whmcs-import.json")

STATUS_TITLES = ["Open", "Answered", "Customer-Reply", "Escalated", "On Hold", "In Progress", "Closed"]  # by sortorder

TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
TID = re.compile(r"[A-Z]{3}-[0-9]{6}")  # the 8.x default mask %A%A%A-%n%n%n%n%n%n (brief §4)
ACCESS_CODE = re.compile(r"[0-9a-zA-Z]{8}")
STORED_NAME = re.compile(r"[0-9]{6}_(.+)")

# Keys of a GetTickets row / the ticket part of GetTicket (brief §5.2 C8 order).
TICKET_KEYS = ["id", "ticketid", "tid", "c", "deptid", "deptname", "userid", "contactid", "name", "owner_name",
               "email", "requestor_name", "requestor_email", "requestor_type", "cc", "date", "subject", "status",
               "priority", "admin", "attachment", "attachments", "attachments_removed", "lastreply", "flag", "service"]
REPLY_KEYS = ["replyid", "userid", "contactid", "name", "email", "requestor_name", "requestor_email",
              "requestor_type", "date", "message", "attachment", "attachments", "attachments_removed", "admin"]
NOTE_KEYS = ["noteid", "date", "message", "attachment", "attachments", "attachments_removed", "admin"]
NOTE_ROW_KEYS = ["id", "admin", "date", "message", "attachments", "attachments_removed"]  # WHMCS 8.7 getticketnotes.php selects `attachments`


def url(server):
    return server.base + API_PATH


def unique(prefix="t"):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def email_address(prefix="guest"):
    return unique(prefix) + "@example.com"


def md5hex(text):
    return hashlib.md5(text.encode()).hexdigest()


# --- credentials ---------------------------------------------------------------------------------

def credentials(server, mode="credential"):
    """The auth fields of a request: `credential` (identifier/secret, the 7.2+ way), `legacy`
    (the same pair in username/password), `admin` (admin username + md5 hex of its password),
    `reader` (a credential of an agent with read-only rights), `none`."""
    if mode == "credential":
        return {"identifier": server.whmcs_identifier, "secret": server.whmcs_secret}
    if mode == "legacy":
        return {"username": server.whmcs_identifier, "password": server.whmcs_secret}
    if mode == "admin":
        return {"username": server.whmcs_admin_login, "password": md5hex(server.whmcs_admin_password)}
    if mode == "reader":
        return {"identifier": server.whmcs_reader_identifier, "secret": server.whmcs_reader_secret}
    if mode == "none":
        return {}
    raise ValueError(mode)


def _pairs(fields):
    """Form pairs from a dict (None dropped; lists/tuples of pairs kept as they are)."""
    if isinstance(fields, (list, tuple)):
        return [(k, v) for k, v in fields if v is not None]
    return [(k, v) for k, v in fields.items() if v is not None]


def call(server, action, responsetype="json", auth="credential", *, files=None, headers=None, query=None,
         method="POST", extra=None, **params):
    """One API call. `responsetype=None` leaves the field out; `action=None` likewise. `extra` is a
    list of further (key, value) pairs (PHP array syntax such as `attachments[0][name]`)."""
    fields = dict(credentials(server, auth)) if isinstance(auth, str) else dict(auth)
    if action is not None:
        fields["action"] = action
    if responsetype is not None:
        fields["responsetype"] = responsetype
    fields.update(params)
    pairs = _pairs(fields) + list(extra or [])
    if method == "GET":
        return requests.get(url(server), params=pairs + _pairs(query or {}), headers=headers, timeout=TIMEOUT)
    return requests.post(url(server), params=_pairs(query or {}) or None, data=pairs, files=files, headers=headers,
                         timeout=TIMEOUT)


def ok(server, action, auth="credential", **params):
    """A JSON call that must succeed; the decoded object."""
    r = call(server, action, "json", auth, **params)
    assert r.status_code == 200, (r.status_code, r.text)
    assert r.headers["Content-Type"] == JSON_TYPE, r.headers
    body = r.json()
    assert body["result"] == "success", body
    return body


def error_json(message):
    return php_json({"result": "error", "message": message})


def assert_error(r, message, status=200, fmt="json", action=None):
    """The exact error answer in `fmt` (XML needs the action as echoed)."""
    assert r.status_code == status, (r.status_code, r.text)
    if fmt == "json":
        assert r.headers["Content-Type"] == JSON_TYPE
        assert r.text == error_json(message)
    elif fmt == "nvp":
        assert r.headers["Content-Type"] == NVP_TYPE
        assert r.text == f"result=error;message={message}"
    else:
        assert r.headers["Content-Type"] == XML_TYPE
        assert r.text == xml_document(action, [("result", "error"), ("message", message)], version="")


def open_ticket(server, auth="credential", **overrides):
    """OpenTicket as a guest in the sample department with a unique subject; returns the answer
    (id, tid, c) plus the subject sent."""
    params = {"deptid": DEPT_SAMPLE, "subject": unique("subject"), "message": "It is broken.",
              "name": "Gus Guest", "email": email_address()}
    if overrides.get("clientid"):
        del params["name"], params["email"]
    params.update(overrides)
    params = {k: v for k, v in params.items() if v is not None}
    body = ok(server, "OpenTicket", auth=auth, **params)
    assert list(body) == ["result", "id", "tid", "c"], body
    body["subject"] = params["subject"]
    body["params"] = params
    return body


def ticket(server, ticket_id, **params):
    """GetTicket in JSON."""
    return ok(server, "GetTicket", ticketid=ticket_id, **params)


def replies(server, ticket_id, **params):
    return ticket(server, ticket_id, **params)["replies"]["reply"]


def tickets(server, **filters):
    """GetTickets in JSON; the list of rows ([] when the answer has no `tickets`)."""
    body = ok(server, "GetTickets", **filters)
    return body.get("tickets", {"ticket": []})["ticket"]


# --- the wire formats ----------------------------------------------------------------------------

# json_encode's escapes under JSON_HEX_TAG|HEX_APOS|HEX_AMP|HEX_QUOT (and its usual ones).
_PHP_ESCAPES = {
    '"': "\\u0022", "\\": "\\\\", "<": "\\u003C", ">": "\\u003E", "&": "\\u0026", "'": "\\u0027",
    "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f",
}


def _php_string(text):
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in _PHP_ESCAPES:
            out.append(_PHP_ESCAPES[ch])
        elif code < 0x20 or 0x80 <= code < 0x10000:
            out.append("\\u%04x" % code)
        elif code < 0x80:
            out.append(ch)
        else:
            code -= 0x10000
            out.append("\\u%04x\\u%04x" % (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)))
    out.append('"')
    return "".join(out)


def php_json(value):
    """PHP 8's json_encode with WHMCS's flags 79 (JSON_HEX_TAG|APOS|AMP|QUOT|UNESCAPED_SLASHES),
    compact, keys in the given order (brief §1.3)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _php_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(php_json(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(_php_string(k) + ":" + php_json(v) for k, v in value.items()) + "}"
    raise TypeError(type(value))


def html(text):
    """PHP's htmlspecialchars(ENT_QUOTES): how WHMCS stores input and sends it back in JSON/NVP."""
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("'", "&#039;")
            .replace("<", "&lt;").replace(">", "&gt;"))


def xml_document(action, elements, version=VERSION):
    """The XML answer: declaration, root with version, `<action>` first, one element per line, no
    trailing newline (brief §1.4). `elements` are (name, text) pairs or raw lines (str)."""
    lines = [XML_DECL, f'<whmcsapi version="{version}">', f"<action>{action}</action>"]
    for item in elements:
        lines.append(item if isinstance(item, str) else f"<{item[0]}>{item[1]}</{item[0]}>")
    lines.append("</whmcsapi>")
    return "\n".join(lines)


def xml_root(text):
    """The parsed <whmcsapi> element (CDATA sections become text)."""
    return ET.fromstring(text.encode())


def nvp(text):
    """NVP as a list of (key, value) pairs (split on `;`, then on the first `=`)."""
    return [tuple(part.split("=", 1)) for part in text.split(";")]


def pairs(text):
    """A JSON object as its list of (key, value) pairs, in the order they were sent."""
    return json.loads(text, object_pairs_hook=list)


# --- encoded parameters (brief §3) ---------------------------------------------------------------

def php_serialize(value):
    """PHP's serialize() for scalars and arrays (dicts and lists); lengths are UTF-8 bytes."""
    if value is None:
        return "N;"
    if value is True or value is False:
        return f"b:{int(value)};"
    if isinstance(value, int):
        return f"i:{value};"
    if isinstance(value, float):
        return f"d:{repr(value)};"
    if isinstance(value, str):
        return f's:{len(value.encode())}:"{value}";'
    if isinstance(value, (list, tuple)):
        value = dict(enumerate(value))
    if isinstance(value, dict):
        body = "".join(php_serialize(k) + php_serialize(v) for k, v in value.items())
        return f"a:{len(value)}:{{{body}}}"
    raise TypeError(type(value))


def customfields(value):
    """`base64(serialize(array(...)))`; a str is taken as the serialized text itself."""
    text = value if isinstance(value, str) else php_serialize(value)
    return base64.b64encode(text.encode()).decode()


def attachments_json(files):
    """The documented form: base64(json_encode([{name, data: base64(bytes)}, …]))."""
    listed = [{"name": name, "data": base64.b64encode(content).decode()} for name, content in files]
    return base64.b64encode(json.dumps(listed, separators=(",", ":")).encode()).decode()


def attachments_form(files):
    """The form-array form: attachments[0][name]=…&attachments[0][data]=… (data in base64)."""
    out = []
    for i, (name, content) in enumerate(files):
        out.append((f"attachments[{i}][name]", name))
        out.append((f"attachments[{i}][data]", base64.b64encode(content).decode()))
    return out


def b64(content):
    return base64.b64encode(content).decode()


def dynamic_fields(server, title):
    """The ticket's dynamic fields as {name: value}, read through the Znuny REST face."""
    got = znuny_ticket_get(server, znuny_search_title(server, title), DynamicFields=1)
    return {f["Name"]: f["Value"] for f in got.get("DynamicField", [])}


# --- an independent rendering of WHMCS 8's XML from a JSON answer (brief §1.4) --------------------

def _xml_scalar(value):
    if value is True:
        text = "1"
    elif value is False or value is None:
        text = ""
    else:
        text = html_module.unescape(str(value))
    if "<![CDATA[" not in text and any(c in text for c in '&<>"'):
        text = "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"
    return text


def _xml_walk(value, lastk="", printed=False):
    out = ""
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        numeric = isinstance(key, int)
        if isinstance(item, (dict, list)):
            if not item:
                continue  # an empty array prints nothing
            if lastk != "" and numeric:
                if not printed:
                    out += f"<{lastk}>\n" + _xml_walk(item, lastk, True) + f"</{lastk}>\n"
                else:
                    out += _xml_walk(item, lastk)
            elif lastk == "":
                out += f"<{key}>\n" + _xml_walk(item, key, True) + f"</{key}>\n"
            elif not printed:
                out += f"<{lastk}>\n" + _xml_walk(item, key, False) + f"</{lastk}>\n"
            else:
                out += _xml_walk(item, key)
        else:
            name = lastk if numeric else key
            out += f"<{name}>{_xml_scalar(item)}</{name}>\n"
    return out


def whmcs_xml(action, answer):
    """The XML document WHMCS 8 makes of `answer` (the decoded JSON answer of the same call)."""
    body = _xml_walk(dict([("action", action)] + list(answer.items()))).strip()
    version = "" if "<result>error</result>" in body else VERSION
    return "\n".join([XML_DECL, f'<whmcsapi version="{version}">', body, "</whmcsapi>"])


def setting(server, key, value):
    """`swiftdesk config set KEY VALUE` on the running server's database, then a wait: the server
    trusts its cached face configuration for 5 seconds (SQLDeskStore's catalogLifetime)."""
    server.cli("config", "set", key, value)
    time.sleep(5.5)
