"""The three answer formats (brief §1.2-1.5): the default responsetype per action, the format
errors, JSON with WHMCS's flags and key order, the XML layout (declaration, `<whmcsapi version>`,
`<action>` first, one element per line, no trailing newline, CDATA, empty arrays omitted) and NVP
(`k=v` joined by `;`, no escaping, `Array`, booleans as 1/empty)."""
import pytest

from .whmcsutil import (
    ACCESS_CODE, DEPT_SAMPLE, JSON_TYPE, NVP_TYPE, TID, XML_TYPE, attachments_json, call, html, nvp, ok,
    open_ticket, pairs, php_json, ticket, unique, whmcs_xml, xml_document, xml_root,
)

LIST_ACTIONS = ["GetSupportDepartments", "GetSupportStatuses", "GetTicket", "GetTicketNotes", "GetTicketPredefinedCats",
                "GetTicketPredefinedReplies", "GetTickets"]
OTHER_ACTIONS = ["OpenTicket", "AddTicketReply", "AddTicketNote", "UpdateTicket", "DeleteTicket", "DeleteTicketNote",
                 "DeleteTicketReply", "UpdateTicketReply", "GetTicketCounts", "GetTicketAttachment", "BlockTicketSender",
                 "MergeTicket"]


# --- choosing the format ----------------------------------------------------------------------

@pytest.mark.parametrize("action", LIST_ACTIONS)
def test_list_actions_default_to_xml(server, action):
    r = call(server, action, None, ticketid=100)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == XML_TYPE
    assert r.text.startswith('<?xml version="1.0" encoding="utf-8"?>\n<whmcsapi version="8.7.2">\n<action>'
                             + action.lower() + "</action>\n<result>success</result>\n")


@pytest.mark.parametrize("action", OTHER_ACTIONS)
def test_other_actions_default_to_nvp(server, action):
    """Brief §1.2: everything but the list actions defaults to NVP (GetTicketCounts and
    GetTicketAttachment included); called without parameters most answer an error, in NVP."""
    r = call(server, action, None)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == NVP_TYPE
    assert r.text.startswith("result=")
    assert not r.text.endswith(";")


@pytest.mark.parametrize("action", LIST_ACTIONS)
def test_nvp_is_refused_for_list_actions(server, action):
    r = call(server, action, "nvp", ticketid=100)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == NVP_TYPE
    assert r.text == "result=error;message=This API action only supports the XML or JSON response type formats"


@pytest.mark.parametrize("action", ["GetTickets", "OpenTicket", "GetTicketCounts"])
@pytest.mark.parametrize("requested,shown", [("foo", "foo"), ("FOO", "foo"), ("php", "php"), ("x<y", "x&lt;y")])
def test_unsupported_responsetype(server, action, requested, shown):
    """Brief §1.2: lower-cased first; the value appears as stored (HTML-encoded); NVP, HTTP 200."""
    r = call(server, action, requested)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == NVP_TYPE
    assert r.text == (f'result=error;message=Unsupported API response type format "{shown}". '
                      "Supported formats include: json, xml, nvp")


def test_unsupported_responsetype_creates_nothing(server):
    subject = unique("never")
    r = call(server, "OpenTicket", "yaml", deptid=DEPT_SAMPLE, subject=subject, message="m", name="n",
             email="n@example.com")
    assert r.text.startswith("result=error;message=Unsupported API response type format")
    assert ok(server, "GetTickets", subject=subject)["totalresults"] == 0


def test_empty_responsetype_is_the_default(server):
    assert call(server, "GetTickets", "").headers["Content-Type"] == XML_TYPE
    assert call(server, "GetTicketCounts", "").headers["Content-Type"] == NVP_TYPE


# --- OpenTicket in the three formats ----------------------------------------------------------

def test_open_ticket_json(server):
    """Brief §5.1 (C8): `id` int, `tid` and `c` strings, in that order; compact, no newline."""
    r = call(server, "OpenTicket", deptid=DEPT_SAMPLE, subject=unique("json"), message="m", name="Jo",
             email="jo@example.com")
    assert r.status_code == 200 and r.headers["Content-Type"] == JSON_TYPE
    got = pairs(r.text)
    assert [k for k, _ in got] == ["result", "id", "tid", "c"]
    body = dict(got)
    assert body["result"] == "success"
    assert isinstance(body["id"], int) and body["id"] > 0
    assert TID.fullmatch(body["tid"]) and ACCESS_CODE.fullmatch(body["c"])
    assert r.text == php_json(body)


def test_open_ticket_nvp(server):
    r = call(server, "OpenTicket", None, deptid=DEPT_SAMPLE, subject=unique("nvp"), message="m", name="Jo",
             email="jo@example.com")
    assert r.headers["Content-Type"] == NVP_TYPE
    got = nvp(r.text)
    assert [k for k, _ in got] == ["result", "id", "tid", "c"]
    body = dict(got)
    assert r.text == f"result=success;id={body['id']};tid={body['tid']};c={body['c']}"
    assert body["id"].isdigit() and TID.fullmatch(body["tid"]) and ACCESS_CODE.fullmatch(body["c"])


def test_open_ticket_xml(server):
    r = call(server, "OpenTicket", "xml", deptid=DEPT_SAMPLE, subject=unique("xml"), message="m", name="Jo",
             email="jo@example.com")
    assert r.headers["Content-Type"] == XML_TYPE
    root = xml_root(r.text)
    assert root.tag == "whmcsapi" and root.attrib == {"version": "8.7.2"}
    assert [child.tag for child in root] == ["action", "result", "id", "tid", "c"]
    values = {child.tag: child.text for child in root}
    assert r.text == xml_document("openticket", [("result", "success"), ("id", values["id"]), ("tid", values["tid"]),
                                                 ("c", values["c"])])
    assert not r.text.endswith("\n")


# --- text encoding ----------------------------------------------------------------------------

def test_input_comes_back_html_encoded_in_json(server):
    """Brief §1.1/§1.3: `A & "B"` is stored as `A &amp; &quot;B&quot;` and JSON-escaped with HEX flags."""
    t = open_ticket(server, subject='A & "B"')
    r = call(server, "GetTicket", ticketid=t["id"])
    assert '"subject":"A \\u0026amp; \\u0026quot;B\\u0026quot;"' in r.text
    assert r.json()["subject"] == "A &amp; &quot;B&quot;"


def test_json_escapes(server):
    """`'`→&#039;, `<>`→&lt;&gt; (then \\u0026), `/` unescaped, non-ASCII as lower-case \\uXXXX with
    surrogate pairs, control characters escaped."""
    subject = "it's <b> a/b é 𝄞"  # an astral character processUtf8Mb4 keeps (emoji are cut)
    t = open_ticket(server, subject=subject, message="line 1\nline\t2")
    r = call(server, "GetTicket", ticketid=t["id"])
    assert ('"subject":"it\\u0026#039;s \\u0026lt;b\\u0026gt; a/b \\u00e9 \\ud834\\udd1e"') in r.text
    assert '"message":"line 1\\nline\\t2"' in r.text
    body = r.json()
    assert body["subject"] == html(subject)
    assert r.text == php_json(body)  # the whole answer, byte for byte


def test_nul_bytes_are_dropped(server):
    t = open_ticket(server, subject="nul\x00byte")
    assert ticket(server, t["id"])["subject"] == "nulbyte"


def test_xml_decodes_and_uses_cdata(server):
    """Brief §1.4: values are entity-decoded; text with & < > " goes in CDATA; `'` alone does not
    (WHMCS 8.7.2 checks with htmlspecialchars(ENT_COMPAT)); a `]]>` splits the CDATA section."""
    t = open_ticket(server, subject='A & "B"', message="it's fine")
    text = call(server, "GetTicket", "xml", ticketid=t["id"]).text
    assert '<subject><![CDATA[A & "B"]]></subject>' in text.splitlines()
    assert "<message>it's fine</message>" in text.splitlines()
    t = open_ticket(server, subject="x ]]> y")
    text = call(server, "GetTicket", "xml", ticketid=t["id"]).text
    assert "<subject><![CDATA[x ]]]]><![CDATA[> y]]></subject>" in text.splitlines()
    assert xml_root(text).find("subject").text == "x ]]> y"


def test_nvp_has_no_escaping(server):
    """Brief §1.5: a `;` or `=` in a value goes out as it is (and corrupts the NVP, as in WHMCS)."""
    r = call(server, "OpenTicket", None, deptid=DEPT_SAMPLE, subject=unique("nvp"), message="m", name="Jo",
             email="jo@example.com")
    t = dict(nvp(r.text))
    r = call(server, "DeleteTicketNote", None, noteid="0;x=1")
    assert r.text == "result=error;message=Note ID Not Found"
    r = call(server, "UpdateTicket", None, ticketid=t["id"], subject="a;b=c & d")
    assert r.text == f"result=success;ticketid={t['id']}"
    assert ticket(server, int(t["id"]))["subject"] == "a;b=c &amp; d"


def test_nvp_arrays_print_array(server):
    """Brief §1.5: GetTicketCounts in NVP: `filteredDepartments=Array`, numbers as digits."""
    r = call(server, "GetTicketCounts", None, includeCountsByStatus=1)
    assert r.headers["Content-Type"] == NVP_TYPE
    keys = [k for k, _ in nvp(r.text)]
    assert keys == ["result", "filteredDepartments", "allActive", "awaitingReply", "flaggedTickets", "status"]
    got = dict(nvp(r.text))
    assert got["filteredDepartments"] == "Array" and got["status"] == "Array"
    assert all(got[k].isdigit() for k in ("allActive", "awaitingReply", "flaggedTickets"))


def test_nvp_booleans(server):
    """true → 1, false → empty (BlockTicketSender's `deleted`)."""
    kept = open_ticket(server)
    r = call(server, "BlockTicketSender", None, ticketid=kept["id"])
    assert r.text == "result=success;deleted="
    gone = open_ticket(server)
    r = call(server, "BlockTicketSender", None, ticketid=gone["id"], delete=1)
    assert r.text == "result=success;deleted=1"


# --- XML layout -------------------------------------------------------------------------------

def test_xml_get_ticket_layout(server):
    """A ticket with two attachments and a note: the ticket's own `attachments` is one wrapper with the
    entries concatenated, a reply's `attachments` one wrapper per entry, `true`/`false` as 1/empty,
    `notes` present; one element per line, no indentation."""
    t = open_ticket(server, attachments=attachments_json([("a.png", b"png"), ("b.txt", b"txt")]))
    ok(server, "AddTicketNote", ticketid=t["id"], message="a note")
    data = ticket(server, t["id"])
    text = call(server, "GetTicket", "xml", ticketid=t["id"]).text
    lines = text.split("\n")
    assert all(line == line.strip() for line in lines)
    start = lines.index("<attachments>")
    assert lines[start:start + 6] == ["<attachments>", "<filename>a.png</filename>", "<index>0</index>",
                                      "<filename>b.txt</filename>", "<index>1</index>", "</attachments>"]
    reply = lines.index("<reply>")
    nested = lines.index("<attachments>", reply)
    assert lines[nested:nested + 8] == ["<attachments>", "<filename>a.png</filename>", "<index>0</index>",
                                        "</attachments>", "<attachments>", "<filename>b.txt</filename>",
                                        "<index>1</index>", "</attachments>"]
    assert "<attachments_removed></attachments_removed>" in lines
    note = data["notes"]["note"][0]
    assert lines[-12:] == ["</replies>", "<notes>", "<note>", f"<noteid>{note['noteid']}</noteid>",
                           f"<date>{note['date']}</date>", "<message>a note</message>", "<attachment></attachment>",
                           "<attachments_removed></attachments_removed>", "<admin>Wanda Admin</admin>", "</note>",
                           "</notes>", "</whmcsapi>"]
    assert lines[-1] == "</whmcsapi>"
    assert text == whmcs_xml("getticket", data)


def test_xml_omits_empty_arrays(server):
    """Brief §1.4/§5.3: no notes → no `<notes>` in XML (JSON sends `"notes":[]`); no attachments →
    no `<attachments>`."""
    t = open_ticket(server)
    r = call(server, "GetTicket", ticketid=t["id"])
    assert r.text.endswith(',"notes":[]}')
    text = call(server, "GetTicket", "xml", ticketid=t["id"]).text
    assert "<notes>" not in text and "<attachments>" not in text
    assert text.endswith("</reply>\n</replies>\n</whmcsapi>")


@pytest.mark.parametrize("action,params", [
    ("GetTickets", {"deptid": 7}), ("GetTickets", {"subject": "no such subject at all"}), ("GetTicket", {"ticketid": 100}),
    ("GetTicketNotes", {"ticketid": 100}), ("GetSupportDepartments", {}), ("GetSupportStatuses", {}),
    ("GetTicketPredefinedCats", {}), ("GetTicketPredefinedReplies", {}), ("GetTicketCounts", {"includeCountsByStatus": 1}),
    ("GetTicket", {"ticketid": 987654}),
], ids=lambda v: str(v) if isinstance(v, str) else "-".join(map(str, v.values())) or "none")
def test_xml_is_the_json_answer_walked_the_whmcs_way(server, action, params):
    """Every structured answer: the XML equals WHMCS 8's array walk applied to the JSON answer."""
    data = call(server, action, "json", **params).json()
    assert call(server, action, "xml", **params).text == whmcs_xml(action.lower(), data)


def test_xml_get_ticket_counts_layout(server):
    """The `status` object loses its keys in XML (WHMCS's walk), `filteredDepartments` repeats its name."""
    text = call(server, "GetTicketCounts", "xml", includeCountsByStatus=1).text
    lines = text.split("\n")
    assert lines[:4] == ['<?xml version="1.0" encoding="utf-8"?>', '<whmcsapi version="8.7.2">',
                         "<action>getticketcounts</action>", "<result>success</result>"]
    assert lines[4:6] == ["<filteredDepartments>", "<filteredDepartments>1</filteredDepartments>"]
    start = lines.index("<status>")
    assert [line for line in lines[start + 1:-2] if line.startswith("<title>")] == [
        "<title>Open</title>", "<title>Answered</title>", "<title>Customer-Reply</title>", "<title>Closed</title>",
        "<title>On Hold</title>", "<title>In Progress</title>", "<title>Escalated</title>"]
    assert lines[-2:] == ["</status>", "</whmcsapi>"]


def test_errors_in_every_format(server):
    """Brief §1.3-1.5: `{"result":"error","message":…}`, `result=error;message=…`, and XML with an
    empty version."""
    assert call(server, "GetTicket", ticketid=987654).text == '{"result":"error","message":"Ticket ID Not Found"}'
    assert call(server, "DeleteTicket", None, ticketid=987654).text == "result=error;message=Ticket ID not found"
    assert call(server, "GetTicket", "xml", ticketid=987654).text == (
        '<?xml version="1.0" encoding="utf-8"?>\n<whmcsapi version="">\n<action>getticket</action>\n'
        "<result>error</result>\n<message>Ticket ID Not Found</message>\n</whmcsapi>")


def test_too_many_parameters(server):
    """SwiftDesk's form limit (10,000 pairs): 400 with the envelope in NVP, before anything else."""
    fields = [(f"p{i}", "x") for i in range(10001)]
    r = call(server, "GetTickets", extra=fields)
    assert (r.status_code, r.headers["Content-Type"], r.text) == (
        400, NVP_TYPE, "result=error;message=Invalid request parameters")


# --- every write action's success answer in the three formats ----------------------------------

def _setup_reply(server):
    t = open_ticket(server)
    ok(server, "AddTicketReply", ticketid=t["id"], message="r", adminusername="Wanda Admin")
    return t, ticket(server, t["id"])["replies"]["reply"][1]["replyid"]


def _setup_note(server):
    t = open_ticket(server)
    ok(server, "AddTicketNote", ticketid=t["id"], message="n")
    return t, ticket(server, t["id"])["notes"]["note"][0]["noteid"]


def _success(server, action):
    """(params, answer members after result) for one write action on fresh tickets."""
    if action == "AddTicketReply":
        return {"ticketid": open_ticket(server)["id"], "message": "m", "adminusername": "A"}, []
    if action == "AddTicketNote":
        return {"ticketid": open_ticket(server)["id"], "message": "m"}, []
    if action == "UpdateTicket":
        t = open_ticket(server)
        return {"ticketid": t["id"], "status": "On Hold"}, [("ticketid", t["id"])]
    if action == "UpdateTicketReply":
        _, reply_id = _setup_reply(server)
        return {"replyid": reply_id, "message": "edited"}, [("replyid", int(reply_id))]
    if action == "DeleteTicket":
        return {"ticketid": open_ticket(server)["id"]}, []
    if action == "DeleteTicketNote":
        _, note_id = _setup_note(server)
        return {"noteid": note_id}, [("noteid", note_id)]
    if action == "DeleteTicketReply":
        t, reply_id = _setup_reply(server)
        return {"ticketid": t["id"], "replyid": reply_id}, []
    if action == "MergeTicket":
        target, source = open_ticket(server), open_ticket(server)
        return {"ticketid": target["id"], "mergeticketids": str(source["id"])}, [("ticketid", target["id"])]
    raise ValueError(action)


WRITES = ["AddTicketReply", "AddTicketNote", "UpdateTicket", "UpdateTicketReply", "DeleteTicket", "DeleteTicketNote",
          "DeleteTicketReply", "MergeTicket"]


@pytest.mark.parametrize("action", WRITES)
@pytest.mark.parametrize("fmt", ["json", "xml", "nvp", None])
def test_write_success_in_every_format(server, action, fmt):
    params, members = _success(server, action)
    r = call(server, action, fmt, **params)
    assert r.status_code == 200
    if fmt == "json":
        assert r.headers["Content-Type"] == JSON_TYPE
        assert r.text == php_json(dict([("result", "success")] + members))
    elif fmt == "xml":
        assert r.headers["Content-Type"] == XML_TYPE
        assert r.text == xml_document(action.lower(), [("result", "success")] + members)
    else:
        assert r.headers["Content-Type"] == NVP_TYPE
        assert r.text == ";".join(f"{k}={v}" for k, v in [("result", "success")] + members)
