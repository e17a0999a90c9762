"""Znuny's default agent notifications (docs/mail.md): an owner change through the Znuny REST face
mails the new owner and writes Znuny's `SendAgentNotification` history row; a note (TicketUpdate's
default history type `AddNote`) mails the owner; the acting agent and agent 1 are never told."""
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
