"""Agents' answers through the other faces go out by mail as those products send them: WHMCS
mails an admin's reply (and a ticket an admin opens) to the client unless `noemail`; osTicket's
reply.json always alerts the user (docs/mail.md)."""
import re
import time
import uuid

import requests

from whmcs.whmcsutil import ok, open_ticket


def unique(prefix):
    return f"{prefix} {uuid.uuid4().hex[:10]}"


def test_whmcs_admin_reply_mails_the_guest(desk, smtp):
    address = f"guest-{uuid.uuid4().hex[:8]}@example.com"
    opened = open_ticket(desk, email=address)
    ok(desk, "AddTicketReply", ticketid=opened["id"], message="We replaced the disk.", adminusername="Wanda Admin")
    got = smtp.received.wait_for(lambda m: m["rcpt_tos"] == [address])
    message = got["message"]
    assert message["To"] == f"Gus Guest <{address}>"
    # The SwiftDesk number in Znuny's tag (WHMCS's `tid` is the face's own) and the ticket's subject.
    assert re.fullmatch(r"\[Ticket#\d+\] " + re.escape(opened["subject"]), message["Subject"])
    assert "We replaced the disk." in message.get_content()
    assert message["From"] == "Znuny System <znuny@localhost>"


def test_whmcs_noemail_and_client_replies_send_nothing(desk, smtp):
    address = f"quiet-{uuid.uuid4().hex[:8]}@example.com"
    opened = open_ticket(desk, email=address)
    ok(desk, "AddTicketReply", ticketid=opened["id"], message="silent", adminusername="Wanda Admin", noemail="true")
    ok(desk, "AddTicketReply", ticketid=opened["id"], message="from the guest", name="Gus Guest", email=address)
    time.sleep(1.5)
    assert smtp.received.matching(lambda m: address in m["rcpt_tos"]) == []


def test_whmcs_ticket_opened_by_an_admin_mails_the_client(desk, smtp):
    subject = unique("Opened for you")
    ok(desk, "OpenTicket", deptid=1, subject=subject, message="We noticed a problem.", clientid=1, admin=1)
    got = smtp.received.wait_for(lambda m: subject in str(m["message"]["Subject"]))
    assert got["rcpt_tos"] == ["cynthia.reilly@client.example"]


def test_osticket_reply_alerts_the_user(desk, smtp):
    address = f"os-{uuid.uuid4().hex[:8]}@example.com"
    subject = unique("osTicket mail")
    headers = {"X-API-Key": desk.osticket_key}
    number = requests.post(desk.base + "/api/tickets.json", headers=headers, timeout=30,
                           json={"name": "Olly User", "email": address, "subject": subject, "message": "Help"}).text
    assert number.isdigit(), number
    answer = requests.post(desk.base + "/api/tickets/reply.json", headers=headers, timeout=30,
                           json={"ticketNumber": number, "staffUserName": "root@localhost", "response": "<p>Done.</p>"})
    assert answer.status_code == 200, answer.text
    got = smtp.received.wait_for(lambda m: m["rcpt_tos"] == [address])
    assert got["message"]["Subject"] == f"[Ticket#{number}] {subject}"
    assert got["message"].get_content_type() == "multipart/alternative"
