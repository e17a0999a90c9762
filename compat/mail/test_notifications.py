"""Znuny's default agent notifications (docs/mail.md): an owner change through the Znuny REST face
mails the new owner and writes Znuny's `SendAgentNotification` history row; a note (TicketUpdate's
default history type `AddNote`) mails the owner; the acting agent and agent 1 are never told."""
import time

import requests

from znunyrest import root_login, znuny_url

from .test_article_send import create, unique

TIMEOUT = 30


def history(desk, ticket_id):
    answer = requests.get(znuny_url(desk, f"/TicketHistory/{ticket_id}"), params=root_login(desk), timeout=TIMEOUT).json()
    assert "Error" not in answer, answer
    return answer["TicketHistory"][0]["History"]


def test_owner_update_and_note(desk, smtp):
    subject = unique("Notify")
    created = create(desk, subject, {"Subject": subject, "Body": "first", "ContentType": "text/plain; charset=utf8"})
    assert "Error" not in created, created
    update = dict(root_login(desk), Ticket={"Owner": "olga"},
                  Article={"Subject": "Looked at it", "Body": "The toner is empty.", "ContentType": "text/plain; charset=utf8"})
    answer = requests.patch(znuny_url(desk, f"/Ticket/{created['TicketID']}"), json=update, timeout=TIMEOUT).json()
    assert "Error" not in answer, answer

    rows = history(desk, created["TicketID"])
    sent = [row for row in rows if row["HistoryType"] == "SendAgentNotification"]
    assert [row["Name"] for row in sent] == [
        "%%Ticket owner update notification%%olga%%Email",
        "%%Ticket new note notification%%olga%%Email",
    ]
    assert all(row["ArticleID"] == 0 and row["HistoryTypeID"] == 9 for row in sent), sent
    # Written at the end of the request, after its own rows.
    assert rows[-2:] == sent

    owner_mail = smtp.received.wait_for(
        lambda m: m["rcpt_tos"] == ["olga@example.com"] and "Owner Update" in str(m["message"]["Subject"]))
    message = owner_mail["message"]
    assert message["Subject"] == f"[Ticket#{created['TicketNumber']}] Ticket Owner Update to Olga Owner: {subject}"
    assert message["From"] == "Znuny Notifications <otrs@desk.example.org>"
    assert message["Auto-Submitted"] == "auto-generated"
    note_mail = smtp.received.wait_for(lambda m: m["rcpt_tos"] == ["olga@example.com"] and "Note" in str(m["message"]["Subject"]))
    assert "The toner is empty." in note_mail["message"].get_content()


def test_no_agent_notify(desk, smtp):
    subject = unique("Quiet")
    created = create(desk, subject, {"Subject": subject, "Body": "first", "ContentType": "text/plain; charset=utf8"},
                     Owner="olga")
    update = dict(root_login(desk), Article={"Subject": "psst", "Body": "quiet", "ContentType": "text/plain; charset=utf8",
                                             "NoAgentNotify": 1})
    requests.patch(znuny_url(desk, f"/Ticket/{created['TicketID']}"), json=update, timeout=TIMEOUT).json()
    names = [row["Name"] for row in history(desk, created["TicketID"]) if row["HistoryType"] == "SendAgentNotification"]
    assert names == ["%%Ticket owner update notification%%olga%%Email"]


def test_auto_reply(desk, smtp):
    """A queue with an `auto reply` answers a new ticket's customer (GenericInterface creates ask
    for `auto reply` by default) and Znuny's `SendAutoReply` row records it."""
    desk.cli("queue", "add", "--name", "Auto Replied")
    out = desk.cli("auto-response", "add", "--name", "default reply", "--type", "auto reply",
                   "--subject", "RE: <OTRS_CUSTOMER_SUBJECT[24]>",
                   "--text", "Dear <OTRS_CUSTOMER_REALNAME>,\nwe have your request <OTRS_TICKET_TicketNumber>.")
    assert "Added auto response default reply" in out
    desk.cli("queue", "set", "--name", "Auto Replied", "--auto-response", "default reply")
    assert "default reply  auto reply" in desk.cli("auto-response", "list")
    time.sleep(6)  # the server sees a queue another process added within 5 s
    subject = unique("Printer")
    created = create(desk, subject, {"Subject": subject, "Body": "It is broken.", "ContentType": "text/plain; charset=utf8"},
                     Queue="Auto Replied")
    assert "Error" not in created, created
    got = smtp.received.wait_for(lambda m: m["rcpt_tos"] == ["cora@example.org"]
                                 and created["TicketNumber"] in str(m["message"]["Subject"]))
    assert got["message"]["Subject"] == f"[Ticket#{created['TicketNumber']}] RE: {subject}"  # under 24 characters: whole
    assert got["message"]["From"] == "Znuny System <znuny@localhost>"
    assert "Dear Cora Customer,\nwe have your request " + created["TicketNumber"] in got["message"].get_content().replace("\r\n", "\n")
    rows = [(r["HistoryType"], r["Name"]) for r in history(desk, created["TicketID"])]
    assert ("SendAutoReply", "%%\"Cora Customer\" <cora@example.org>") in rows  # the From entry as written, as Znuny
