"""The encoded parameters (spec §3, brief §3.2-3.3): `customfields` (base64 of a PHP-serialized
array; only imported support fields of the ticket's department; anything malformed silently
ignored) and `attachments` (base64 JSON, a form array, or multipart files; disallowed types
silently dropped), listed by GetTicket and fetched with GetTicketAttachment.

Custom field values land in ticket dynamic fields `WHMCSField<id>`, read here through the Znuny
REST face. The imported fields: 8 `Domain` (department 1), 9 `Server Name` (department 7) and 10
(a client field, not imported); like WHMCS, a field applies to tickets of any department."""
import base64
import subprocess
import shutil

import pytest
import requests

from .whmcsutil import (
    DEPT_SAMPLE, DEPT_TECH, STORED_NAME, attachments_form, attachments_json, b64, call, credentials, customfields,
    dynamic_fields, ok, open_ticket, php_json, php_serialize, replies, setting, ticket, unique, url,
)


def fields(server, subject):
    got = dynamic_fields(server, subject)
    return {k: v for k, v in got.items() if k.startswith("WHMCSField")}


NONE = {"WHMCSField8": None, "WHMCSField9": None}


# --- customfields ------------------------------------------------------------------------------

def test_php_serialize_helper_matches_php():
    """The helper agrees with the documented example (and with php -r when php is there)."""
    assert php_serialize({8: "mydomain.com"}) == 'a:1:{i:8;s:12:"mydomain.com";}'
    assert customfields({8: "mydomain.com"}) == "YToxOntpOjg7czoxMjoibXlkb21haW4uY29tIjt9"
    assert customfields({1: "Google"}) == "YToxOntpOjE7czo2OiJHb29nbGUiO30="
    if shutil.which("php"):
        value = {8: "día", "Domain": 5, 3: True, 4: None, 5: 1.5}
        php = subprocess.run(
            ["php", "-r", 'echo serialize([8 => "día", "Domain" => 5, 3 => true, 4 => null, 5 => 1.5]);'],
            capture_output=True, text=True, timeout=60).stdout
        assert php_serialize(value) == php


def test_documented_example(server):
    """[D] `serialize(array(8 => "mydomain.com"))` → field 8 of department 1."""
    t = open_ticket(server, customfields="YToxOntpOjg7czoxMjoibXlkb21haW4uY29tIjt9")
    assert fields(server, t["subject"]) == {"WHMCSField8": "mydomain.com", "WHMCSField9": None}


@pytest.mark.parametrize("value,stored", [
    ({"Domain": "by-name.example"}, "by-name.example"),  # a string key names the field
    ({"8": "numeric string key"}, "numeric string key"),
    ({8: 5}, "5"), ({8: True}, "1"), ({8: 1.5}, "1.5"),
    ({8: "día.example"}, "día.example"),  # s: counts UTF-8 bytes
    ({8: None}, None),
    ({8: "kept", 99: "unknown field", 10: "a client field"}, "kept"),
])
def test_values(server, value, stored):
    t = open_ticket(server, customfields=customfields(value))
    assert fields(server, t["subject"]) == {"WHMCSField8": stored, "WHMCSField9": None}


def test_fields_of_any_department_apply(server):
    """[C8] saveCustomFields(…, "support", true) looks a field up by id and type only, not by the
    ticket's department."""
    t = open_ticket(server, deptid=DEPT_SAMPLE, customfields=customfields({9: "srv-1", 8: "d.example"}))
    assert fields(server, t["subject"]) == {"WHMCSField8": "d.example", "WHMCSField9": "srv-1"}
    t = open_ticket(server, deptid=DEPT_SAMPLE, customfields=customfields({"Server Name": "by name"}))
    assert fields(server, t["subject"]) == {"WHMCSField8": None, "WHMCSField9": "by name"}


@pytest.mark.parametrize("raw", [
    b64(b'{"8":"json is not accepted"}'),  # brief §3.2: no JSON alternative
    b64(b'[{"8":"json list"}]'),
    "!!! not base64 !!!",
    customfields('a:1:{i:8;s:11:"día.example";}'),  # character count instead of bytes
    customfields('a:1:{i:8;s:3:"abc";}trailing'),  # trailing bytes invalidate the whole value
    customfields('a:2:{i:8;s:3:"abc";}'),  # wrong member count
    customfields('O:8:"stdClass":1:{s:1:"8";s:1:"x";}'),  # objects are refused
    customfields('s:3:"abc";'),  # not an array
    customfields({8: [1, 2]}),  # an array is no field value
    customfields('a:1:{i:8;a:1:{i:0;a:1:{i:0;a:1:{i:0;a:1:{i:0;s:1:"x";}}}}}'),  # deeper than allowed
    "",
])
def test_malformed_custom_fields_are_ignored(server, raw):
    """Never an error: the ticket is made, the fields stay empty."""
    t = open_ticket(server, customfields=raw)
    assert fields(server, t["subject"]) == NONE


def test_plus_sent_as_space_is_put_back(server):
    """Brief §3.2 tip: a `+` that arrives as a space (a value not URL-encoded) is mapped back."""
    value = "x?>~" * 3
    raw = customfields({8: value})
    assert "+" in raw
    subject = unique("plus")
    body = "&".join(f"{k}={v}" for k, v in dict(credentials(server), action="OpenTicket", responsetype="json",
                                                 deptid="1", subject=subject, message="m", name="n",
                                                 email="plus@example.com").items())
    body += "&customfields=" + raw  # '+' unencoded: a form decoder reads it as a space
    r = requests.post(url(server), data=body.encode(), headers={"Content-Type": "application/x-www-form-urlencoded"},
                      timeout=30)
    assert r.json()["result"] == "success"
    assert fields(server, subject)["WHMCSField8"] == value


def test_reply_and_update_save_custom_fields(server):
    t = open_ticket(server, customfields=customfields({8: "first"}))
    ok(server, "AddTicketReply", ticketid=t["id"], message="m", adminusername="Wanda Admin",
       customfields=customfields({8: "from reply"}))
    assert fields(server, t["subject"])["WHMCSField8"] == "from reply"
    ok(server, "UpdateTicket", ticketid=t["id"], customfields=customfields({"Domain": "from update"}))
    assert fields(server, t["subject"])["WHMCSField8"] == "from update"
    ok(server, "UpdateTicket", ticketid=t["id"], customfields=b64(b"garbage"))
    assert fields(server, t["subject"])["WHMCSField8"] == "from update"


def test_department_change_with_fields(server):
    """UpdateTicket with `deptid` and `customfields` in one call."""
    t = open_ticket(server)
    ok(server, "UpdateTicket", ticketid=t["id"], deptid=DEPT_TECH, customfields=customfields({9: "srv-9"}))
    try:
        assert fields(server, t["subject"]) == {"WHMCSField8": None, "WHMCSField9": "srv-9"}
    finally:
        ok(server, "DeleteTicket", ticketid=t["id"])  # department 7's counts stay the imported ones


# --- attachments -------------------------------------------------------------------------------

def listed(server, ticket_id):
    got = ticket(server, ticket_id)
    return got["attachment"], got["attachments"]


def test_documented_attachment_value(server):
    """Brief §3.3: the exact value of the docs' example."""
    value = "W3sibmFtZSI6InNhbXBsZV90ZXh0X2ZpbGUudHh0IiwiZGF0YSI6IlZHaHBjeUJwY3lCaElITmhiWEJzWlNCMFpYaDBJR1pwYkdVZ1kyOXVkR1Z1ZEhNPSJ9XQ=="
    assert attachments_json([("sample_text_file.txt", b"This is a sample text file contents")]) == value
    t = open_ticket(server, attachments=value)
    stored, files = listed(server, t["id"])
    assert files == [{"filename": "sample_text_file.txt", "index": 0}]
    assert STORED_NAME.fullmatch(stored).group(1) == "sample_text_file.txt"
    got = ok(server, "GetTicketAttachment", relatedid=t["id"], type="ticket", index=0)
    assert got == {"result": "success", "filename": "sample_text_file.txt",
                   "data": b64(b"This is a sample text file contents")}


def test_allowed_types_names_and_order(server):
    """Default types .jpg .gif .jpeg .png .txt .pdf (any case); .php .pl .cgi .htaccess never; names
    cleaned to letters, digits, - _ space and .; entries without data dropped."""
    t = open_ticket(server, attachments=attachments_json([
        ("../../etc/pa ss?wd.txt", b"x"), ("Photo.PNG", b"p"), ("noext", b"n"), (".htaccess", b"h"), ("a.pl", b"x"),
        ("x.php", b"<?php"), ("run.cgi", b"#!"), ("ok.pdf", b"%PDF"), ("empty.txt", b""), ("ümlaut.jpg", b"j"),
        ("a.b.c.gif", b"g"), ("tool.exe", b"MZ"), ("pic.jpeg", b"jj")]))
    stored, files = listed(server, t["id"])
    names = ["pa sswd.txt", "Photo.PNG", "ok.pdf", "mlaut.jpg", "a.b.c.gif", "pic.jpeg"]
    assert files == [{"filename": n, "index": i} for i, n in enumerate(names)]
    assert [STORED_NAME.fullmatch(s).group(1) for s in stored.split("|")] == names
    # The stored names are stable across reads.
    assert listed(server, t["id"])[0] == stored
    opening = ticket(server, t["id"])["replies"]["reply"][0]
    assert (opening["attachment"], opening["attachments"]) == (stored, files)
    for index, content in enumerate([b"x", b"p", b"%PDF", b"j", b"g", b"jj"]):
        got = ok(server, "GetTicketAttachment", relatedid=t["id"], type="ticket", index=index)
        assert (got["filename"], base64.b64decode(got["data"])) == (names[index], content)


def test_binary_content_round_trips(server):
    content = bytes(range(256)) * 40
    t = open_ticket(server, attachments=attachments_json([("blob.png", content)]))
    r = call(server, "GetTicketAttachment", relatedid=t["id"], type="ticket", index=0)
    assert r.text == php_json({"result": "success", "filename": "blob.png", "data": b64(content)})
    assert "\\/" not in r.text  # JSON_UNESCAPED_SLASHES


def test_form_array(server):
    """`attachments[0][name]=…&attachments[0][data]=…` (used as-is, no base64/JSON wrapper)."""
    t = open_ticket(server, extra=attachments_form([("form.txt", b"form data"), ("form.exe", b"MZ"),
                                                    ("second.gif", b"GIF89a")]))
    assert listed(server, t["id"])[1] == [{"filename": "form.txt", "index": 0}, {"filename": "second.gif", "index": 1}]
    got = ok(server, "GetTicketAttachment", relatedid=t["id"], type="ticket", index=1)
    assert base64.b64decode(got["data"]) == b"GIF89a"


def test_multipart_files(server):
    """Without an `attachments` parameter, multipart uploads in the file field `attachments[]`."""
    fields_ = dict(credentials(server), action="OpenTicket", responsetype="json", deptid="1",
                   subject=unique("multipart"), message="with files", name="Multi Part", email="mp@example.com")
    files = [("attachments[]", ("multi.txt", b"multipart body", "text/plain")),
             ("attachments[]", ("multi.png", b"\x89PNG\r\n", "image/png")),
             ("attachments[]", ("bad.php", b"<?php", "text/plain"))]
    r = requests.post(url(server), data=fields_, files=files, timeout=30)
    assert r.json()["result"] == "success", r.text
    ticket_id = r.json()["id"]
    assert listed(server, ticket_id)[1] == [{"filename": "multi.txt", "index": 0}, {"filename": "multi.png", "index": 1}]
    got = ok(server, "GetTicketAttachment", relatedid=ticket_id, type="ticket", index=1)
    assert base64.b64decode(got["data"]) == b"\x89PNG\r\n"
    assert ticket(server, ticket_id)["replies"]["reply"][0]["message"] == "with files"


@pytest.mark.parametrize("raw", ["%%%garbage%%%", b64(b'{"name":"x.txt","data":"eA=="}'), b64(b"[1,2,3]"),
                                 b64(b'[{"name":"x.txt"},{"data":"eA=="}]'), ""])
def test_unusable_attachments_are_ignored(server, raw):
    t = open_ticket(server, attachments=raw)
    assert listed(server, t["id"]) == ("", [])


def test_reply_attachments(server):
    t = open_ticket(server)
    ok(server, "AddTicketReply", ticketid=t["id"], message="see file", adminusername="Wanda Admin",
       attachments=attachments_json([("r.txt", b"reply file"), ("r.exe", b"MZ")]))
    reply = replies(server, t["id"])[1]
    assert reply["attachments"] == [{"filename": "r.txt", "index": 0}]
    assert STORED_NAME.fullmatch(reply["attachment"]).group(1) == "r.txt"
    got = ok(server, "GetTicketAttachment", relatedid=reply["replyid"], type="reply", index=0)
    assert got == {"result": "success", "filename": "r.txt", "data": b64(b"reply file")}
    # The ticket's own attachments are the opening message's.
    assert listed(server, t["id"]) == ("", [])


def test_note_attachments_skip_the_type_check(server):
    """Brief §3.3: AddTicketNote (an admin path) keeps any type, but never .php etc."""
    t = open_ticket(server)
    ok(server, "AddTicketNote", ticketid=t["id"], message="tools",
       attachments=attachments_json([("tool.exe", b"MZ"), ("s.php", b"x"), ("notes.txt", b"n")]))
    note = ticket(server, t["id"])["notes"]["note"][0]
    # WHMCS 8.7.2's GetTicket never shows a note's files (its Note model reads `attachment`, the
    # column is `attachments`); GetTicketNotes lists them.
    assert (note["attachment"], note["attachments"]) == (None, [])
    row = ok(server, "GetTicketNotes", ticketid=t["id"])["notes"]["note"][0]
    names = row["attachments"].split("|")
    assert [name[7:] for name in names] == ["tool.exe", "notes.txt"]
    got = ok(server, "GetTicketAttachment", relatedid=note["noteid"], type="note", index=0)
    assert got == {"result": "success", "filename": "tool.exe", "data": b64(b"MZ")}


def test_attachment_kinds_must_match(server):
    t = open_ticket(server, attachments=attachments_json([("t.txt", b"t")]))
    ok(server, "AddTicketReply", ticketid=t["id"], message="m", adminusername="A",
       attachments=attachments_json([("r.txt", b"r")]))
    ok(server, "AddTicketNote", ticketid=t["id"], message="n", attachments=attachments_json([("n.txt", b"n")]))
    got = ticket(server, t["id"])
    reply_id, note_id = got["replies"]["reply"][1]["replyid"], got["notes"]["note"][0]["noteid"]
    r = call(server, "GetTicketAttachment", relatedid=note_id, type="reply", index=0)
    assert r.json() == {"result": "error", "message": "Related ID Not Found"}
    r = call(server, "GetTicketAttachment", relatedid=reply_id, type="note", index=0)
    assert r.json() == {"result": "error", "message": "Related ID Not Found"}
    assert ok(server, "GetTicketAttachment", relatedid=reply_id, type="reply", index=0)["filename"] == "r.txt"
    assert ok(server, "GetTicketAttachment", relatedid=note_id, type="note", index=0)["filename"] == "n.txt"


def test_get_ticket_attachment_nvp_default(server):
    t = open_ticket(server, attachments=attachments_json([("n.txt", b"nvp")]))
    r = call(server, "GetTicketAttachment", None, relatedid=t["id"], type="ticket", index=0)
    assert r.text == f"result=success;filename=n.txt;data={b64(b'nvp')}"


def test_allowed_file_types_setting(server):
    """WHMCS::AllowedFileTypes replaces the list; .php stays banned even when listed."""
    setting(server, "WHMCS::AllowedFileTypes", ".zip,txt,.PHP")
    try:
        t = open_ticket(server, attachments=attachments_json([("a.zip", b"PK"), ("b.png", b"p"), ("c.txt", b"t"),
                                                              ("d.php", b"<?php")]))
        assert [f["filename"] for f in listed(server, t["id"])[1]] == ["a.zip", "c.txt"]
    finally:
        setting(server, "WHMCS::AllowedFileTypes", "")
    t = open_ticket(server, attachments=attachments_json([("a.zip", b"PK"), ("b.png", b"p")]))
    assert [f["filename"] for f in listed(server, t["id"])[1]] == ["b.png"]
