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


def test_django_helpdesk_mails_what_it_records(desk, smtp):
    """django-helpdesk mails a new ticket's submitter and public follow-ups; `email_recipients`
    lists who was mailed."""
    headers = {"Authorization": f"Token {desk.djhd_token}"}
    submitter = f"djhd-{uuid.uuid4().hex[:8]}@example.com"
    title = unique("djhd mail")
    created = requests.post(desk.base + "/api/tickets/", headers=headers, timeout=30, json={
        "queue": desk.djhd_queue_support, "title": title, "description": "Printer on fire.", "submitter_email": submitter,
        "priority": 3})
    assert created.status_code == 201, created.text
    ticket = created.json()
    assert ticket["followup_set"][0]["email_recipients"] == [submitter]
    opening = smtp.received.wait_for(lambda m: m["rcpt_tos"] == [submitter] and "Printer on fire." in m["message"].get_content())
    assert re.fullmatch(r"\[Ticket#\d+\] Ticket Opened", opening["message"]["Subject"])  # the follow-up's title
    answer = requests.post(desk.base + "/api/followups/", headers=headers, timeout=30,
                           json={"ticket": ticket["id"], "comment": "We replaced it.", "public": True})
    assert answer.status_code == 201, answer.text
    assert answer.json()["email_recipients"] == [submitter]
    assert answer.json()["message_id"] is None
    smtp.received.wait_for(lambda m: m["rcpt_tos"] == [submitter] and "We replaced it." in m["message"].get_content())
