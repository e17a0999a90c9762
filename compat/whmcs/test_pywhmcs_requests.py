"""The calls the PyPI clients make, built with `requests` as they build them (spec §6): pywhmcs
0.0.2 POSTs `username`, `password` = md5(password) hex, `responsetype`, `action` and the call's
parameters form-encoded and returns status and raw text; pywhmcs7 1.0.1 adds `accesskey`."""
import hashlib
import json

import requests

from .whmcsutil import (
    DEPT_SALES, TID, XML_TYPE, b64, email_address, php_json, replies, ticket, unique, url, xml_root,
)


class PyWHMCS:
    """A pywhmcs(7)-shaped client: one form-encoded POST per call, raw answer back."""

    def __init__(self, api_url, username, password, responsetype="json", accesskey=None):
        self.api_url = api_url
        self.username = username
        self.password = password
        self.responsetype = responsetype
        self.accesskey = accesskey

    def call(self, action, headers=None, **params):
        data = {"username": self.username, "password": hashlib.md5(self.password.encode()).hexdigest(),
                "responsetype": self.responsetype, "action": action}
        if self.accesskey is not None:
            data["accesskey"] = self.accesskey
        data.update(params)
        r = requests.post(self.api_url, data=data, headers=headers, timeout=30)
        return r.status_code, r.text


def pywhmcs(server, **kwargs):
    return PyWHMCS(url(server), server.whmcs_admin_login, server.whmcs_admin_password, **kwargs)


def test_pywhmcs_ticket_lifecycle(server):
    client = pywhmcs(server)
    subject = unique("pywhmcs")
    address = email_address("py")
    status, text = client.call("OpenTicket", deptid=DEPT_SALES, subject=subject, message="Opened by pywhmcs",
                               name="Py Thon", email=address, priority="High")
    assert status == 200
    opened = json.loads(text)
    assert TID.fullmatch(opened["tid"])
    assert text == php_json({"result": "success", "id": opened["id"], "tid": opened["tid"], "c": opened["c"]})

    status, text = client.call("AddTicketReply", ticketid=opened["id"], message="An answer", adminusername="Max Legacy")
    assert (status, text) == (200, '{"result":"success"}')
    status, text = client.call("AddTicketNote", ticketid=opened["id"], message="Internal")
    assert (status, text) == (200, '{"result":"success"}')
    status, text = client.call("UpdateTicket", ticketid=opened["id"], status="In Progress")
    assert (status, text) == (200, php_json({"result": "success", "ticketid": opened["id"]}))

    t = ticket(server, opened["id"])
    assert (t["subject"], t["priority"], t["status"], t["deptid"]) == (subject, "High", "In Progress", str(DEPT_SALES))
    assert (t["name"], t["email"], t["requestor_type"]) == ("Py Thon", address, "Guest")
    answer = t["replies"]["reply"][1]
    assert (answer["message"], answer["admin"], answer["requestor_type"]) == ("An answer", "Max Legacy", "Operator")
    note = t["notes"]["note"][0]
    assert (note["message"], note["admin"]) == ("Internal", "Max Legacy")  # the API admin's full name

    status, text = client.call("DeleteTicket", ticketid=opened["id"])
    assert (status, text) == (200, '{"result":"success"}')
    status, text = client.call("GetTicket", ticketid=opened["id"])
    assert (status, text) == (200, '{"result":"error","message":"Ticket ID Not Found"}')


def test_pywhmcs_xml(server):
    """pywhmcs's other responsetype: XML, parsed with ElementTree."""
    client = pywhmcs(server, responsetype="xml")
    status, text = client.call("OpenTicket", deptid=DEPT_SALES, subject=unique("pyxml"), message="m", name="X",
                               email=email_address())
    assert status == 200
    root = xml_root(text)
    assert root.find("result").text == "success"
    ticket_id = int(root.find("id").text)
    status, text = client.call("GetTicket", ticketid=ticket_id)
    root = xml_root(text)
    assert root.find("ticketid").text == str(ticket_id)
    assert [r.find("replyid").text for r in root.find("replies").findall("reply")] == ["0"]
    status, text = client.call("GetTickets", deptid=DEPT_SALES, limitnum=1)
    assert xml_root(text).find("numreturned").text == "1"


def test_pywhmcs_errors_come_back_as_text(server):
    client = PyWHMCS(url(server), server.whmcs_admin_login, "wrong password")
    assert client.call("GetTickets") == (403, '{"result":"error","message":"Authentication Failed"}')
    status, text = pywhmcs(server).call("GetClients")
    assert (status, text) == (200, '{"result":"error","message":"API Function Not Found"}')


def test_pywhmcs7_sends_the_access_key(server):
    """pywhmcs7 always sends `accesskey`: the right key is accepted from anywhere, a wrong one refused."""
    client = pywhmcs(server, accesskey=server.whmcs_access_key)
    status, text = client.call("GetSupportDepartments")
    assert status == 200 and json.loads(text)["result"] == "success"
    status, text = client.call("GetSupportDepartments", headers={"X-Forwarded-For": "192.0.2.44"})
    assert status == 200 and json.loads(text)["result"] == "success"
    status, text = pywhmcs(server, accesskey="not-the-key").call("GetSupportDepartments")
    assert (status, text) == (403, '{"result":"error","message":"Invalid Access Key"}')


def test_pywhmcs7_without_access_key_from_elsewhere(server):
    client = pywhmcs(server)
    status, text = client.call("GetSupportDepartments", headers={"X-Forwarded-For": "192.0.2.44"})
    assert (status, text) == (403, '{"result":"error","message":"Invalid IP 192.0.2.44"}')


def test_pre_encoded_custom_fields_and_attachments(server):
    """Both clients pass `customfields`/`attachments` only pre-encoded (spec §6)."""
    client = pywhmcs(server)
    attachments = b64(json.dumps([{"name": "log.txt", "data": b64(b"log line\n")}]).encode())
    fields = b64(b'a:1:{i:8;s:12:"mydomain.com";}')
    status, text = client.call("OpenTicket", deptid=1, subject=unique("pyenc"), message="m", name="Enc",
                               email=email_address(), attachments=attachments, customfields=fields)
    assert status == 200
    ticket_id = json.loads(text)["id"]
    assert ticket(server, ticket_id)["attachments"] == [{"filename": "log.txt", "index": 0}]
    status, text = pywhmcs(server, responsetype="json").call("GetTicketAttachment", relatedid=ticket_id, type="ticket",
                                                             index=0)
    assert json.loads(text)["data"] == b64(b"log line\n")
    assert [r["replyid"] for r in replies(server, ticket_id)] == ["0"]


def test_pywhmcs_content_type_is_form_urlencoded(server):
    """requests' `data=` sends application/x-www-form-urlencoded, which is what the server reads."""
    r = requests.post(url(server), data={"username": server.whmcs_admin_login,
                                         "password": hashlib.md5(server.whmcs_admin_password.encode()).hexdigest(),
                                         "action": "GetSupportStatuses", "responsetype": "xml"}, timeout=30)
    assert r.request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert r.headers["Content-Type"] == XML_TYPE
    assert xml_root(r.text).find("totalresults").text == "7"
