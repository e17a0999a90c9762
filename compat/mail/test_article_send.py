"""Seed 001: TicketCreate/TicketUpdate with `ArticleSend=1` deliver the article by SMTP
(docs/mail.md). The messages are read back from a real SMTP server (aiosmtpd) and parsed with
Python's `email` package."""
import base64
import os
import re
import sys
import tempfile
import time
import uuid

import requests
from pyotrs import Article, Client, Ticket

from znunyrest import root_login, znuny_ticket_get, znuny_url

from .conftest import FQDN, REJECTED_DOMAIN

TIMEOUT = 30


def unique(prefix):
    return f"{prefix} {uuid.uuid4().hex[:10]}"


def create(desk, title, article, **ticket):
    payload = dict(root_login(desk),
                   Ticket=dict({"Title": title, "Queue": "Misc", "State": "new", "Priority": "3 normal",
                                "CustomerUser": "cora"}, **ticket),
                   Article=article)
    return requests.post(znuny_url(desk, "/Ticket"), json=payload, timeout=TIMEOUT).json()


def send_article(subject, body="Hello from the helpdesk.", **fields):
    return dict({"Subject": subject, "Body": body, "ContentType": "text/plain; charset=utf8", "ArticleSend": 1,
                 "To": "customer@acme.test"}, **fields)


# Znuny's standard signature (every queue has it) as TicketCreate/TicketUpdate append it for root.
SIGNATURE = ("\nYour Ticket-Team\n\n Admin OTRS\n\n--\n Super Support - Waterford Business Park\n"
             " 5201 Blue Lagoon Drive - 8th Floor & 9th Floor - Miami, 33126 USA\n"
             " Email: hot@example.com - Web: http://www.example.com/\n--")
HTML_SIGNATURE = ("<br />Your Ticket-Team<br /><br /> Admin OTRS<br /><br />--<br /> Super Support - Waterford Business Park"
                  "<br /> 5201 Blue Lagoon Drive - 8th Floor &amp; 9th Floor - Miami, 33126 USA<br /> Email: hot@example.com"
                  ' - Web: <a href="http://www.example.com/" title="http://www.example.com/">http://www.example.com/</a><br />--')


def with_subject(subject):
    return lambda m: subject in str(m["message"]["Subject"])


def text(part):
    """A text part's content with the line ends a mail reader shows (the wire has CRLF)."""
    return part.get_content().replace("\r\n", "\n")


def outbox(desk, *flags):
    return desk.cli("mail", "queue", *flags)


def test_create_sends_to_to_cc_and_bcc(desk, smtp):
    subject = unique("Your printer")
    created = create(desk, subject, send_article(
        subject, body="Grüße,\nyour printer is fixed.", To="Jo Doe <jo@acme.test>", Cc="cc@acme.test",
        Bcc="audit@acme.test"))
    assert "Error" not in created, created
    got = smtp.received.wait_for(with_subject(subject))
    message = got["message"]
    assert sorted(got["rcpt_tos"]) == ["audit@acme.test", "cc@acme.test", "jo@acme.test"]
    assert got["mail_from"] == "znuny@localhost"
    assert message["From"] == "Znuny System <znuny@localhost>"
    assert message["To"] == "Jo Doe <jo@acme.test>"
    assert message["Cc"] == "cc@acme.test"
    assert message["Bcc"] is None and b"audit@acme.test" not in got["raw"]
    assert message["Subject"] == f"[Ticket#{created['TicketNumber']}] {subject}"
    assert re.fullmatch(r"<\d+\.[0-9a-f]+@" + re.escape(FQDN) + ">", message["Message-ID"])
    assert message["Date"]
    assert message.get_content_type() == "text/plain"
    # The body as sent: no line break added at its end, the queue's signature appended.
    assert text(message) == "Grüße,\nyour printer is fixed." + SIGNATURE
    # The article keeps the Message-ID it went out with, and Bcc for agents.
    article = znuny_ticket_get(desk, created["TicketID"])["Article"][0]
    assert article["MessageID"] == message["Message-ID"]
    assert article["Bcc"] == "audit@acme.test"
    assert article["CommunicationChannelID"] == 1  # Email


def test_update_reply_threads(desk, smtp):
    subject = unique("Thread")
    created = create(desk, subject, send_article(subject))
    first = smtp.received.wait_for(with_subject(subject))["message"]
    # Znuny's TicketUpdate hands ArticleSend no InReplyTo or References: a caller's are dropped.
    reply = dict(root_login(desk), Article=send_article(
        "Re: " + subject, body="Second message.", InReplyTo=first["Message-ID"], References=first["Message-ID"]))
    answer = requests.patch(znuny_url(desk, f"/Ticket/{created['TicketID']}"), json=reply, timeout=TIMEOUT).json()
    assert "Error" not in answer, answer
    second = smtp.received.wait_for(lambda m: b"Second message." in m["raw"])
    # Znuny's TicketSubjectBuild (type New) drops the reply prefix.
    assert second["message"]["Subject"] == f"[Ticket#{created['TicketNumber']}] {subject}"
    assert second["message"]["In-Reply-To"] is None
    assert second["message"]["References"] is None
    assert second["message"]["Message-ID"] != first["Message-ID"]


def test_html_with_attachment(desk, smtp):
    subject = unique("Invoice ü")
    article = send_article(subject, body="<p>See the <b>attached</b> invoice.</p>", ContentType="text/html; charset=utf-8")
    payload = dict(root_login(desk), Ticket={"Title": subject, "Queue": "Misc", "State": "new",
                                             "Priority": "3 normal", "CustomerUser": "cora"},
                   Article=article,
                   Attachment=[{"Content": base64.b64encode(b"%PDF-1.4 test").decode(), "ContentType": "application/pdf",
                                "Filename": "Rechnung März.pdf"}])
    created = requests.post(znuny_url(desk, "/Ticket"), json=payload, timeout=TIMEOUT).json()
    assert "Error" not in created, created
    message = smtp.received.wait_for(with_subject(subject))["message"]
    assert message["Subject"] == f"[Ticket#{created['TicketNumber']}] {subject}"
    assert message.get_content_type() == "multipart/mixed"
    body, attachment = message.iter_parts()
    assert body.get_content_type() == "multipart/alternative"
    plain, html = body.iter_parts()
    assert plain.get_content_type() == "text/plain" and "See the attached invoice." in text(plain)
    assert html.get_content_type() == "text/html" and text(html) == "<p>See the <b>attached</b> invoice.</p>" + HTML_SIGNATURE
    assert attachment.get_filename() == "Rechnung März.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == b"%PDF-1.4 test"


def test_pyotrs_article_send(desk, smtp):
    session_file = os.path.join(tempfile.mkdtemp(), "session")
    client = Client(desk.base, "root@localhost", desk.root_password, session_id_file=session_file)
    assert client.session_create()
    subject = unique("PyOTRS mail")
    ticket = Ticket.create_basic(Title=subject, Queue="Misc", State="new", Priority="3 normal", CustomerUser="cora")
    article = Article({"Subject": subject, "Body": "sent by pyotrs", "MimeType": "text/plain", "Charset": "UTF8",
                       "ArticleSend": 1, "To": "pyotrs@acme.test"})
    created = client.ticket_create(ticket, article)
    got = smtp.received.wait_for(with_subject(subject))
    assert got["rcpt_tos"] == ["pyotrs@acme.test"]
    assert got["message"]["Subject"] == f"[Ticket#{created['TicketNumber']}] {subject}"


def test_invalid_recipient_sends_nothing(desk, smtp):
    subject = unique("Nobody")
    answer = create(desk, subject, send_article(subject, To="not an address"))
    assert answer["Error"]["ErrorCode"] == "TicketCreate.InvalidParameter"
    assert "Article->To parameter must be a valid email address" in answer["Error"]["ErrorMessage"]
    answer = create(desk, subject, send_article(subject, Cc="broken@"))
    assert "Error" in answer, answer
    time.sleep(1.5)
    assert smtp.received.matching(with_subject(subject)) == []


def test_header_injection_is_refused(desk, smtp):
    # Znuny's ArticleCreate removes line breaks from header fields: an injected subject becomes
    # one line of text, and a To with an injected header is no valid address any more.
    subject = unique("Injected")
    answer = create(desk, subject, send_article(subject + "\r\nBcc: victim@acme.test"))
    assert "Error" not in answer, answer
    answer = create(desk, subject, send_article(subject, To="a@acme.test\r\nBcc: victim@acme.test"))
    assert "Error" in answer, answer
    time.sleep(1.5)
    assert smtp.received.matching(lambda m: "victim@acme.test" in m["rcpt_tos"]) == []


def test_rejected_recipient_is_a_permanent_failure(desk, smtp):
    subject = unique("Rejected")
    created = create(desk, subject, send_article(subject, To=f"ghost@{REJECTED_DOMAIN}"))
    assert "Error" not in created, created
    deadline = time.time() + 20
    while time.time() < deadline:
        listing = outbox(desk)
        line = next((l for l in listing.splitlines() if f"ticket {created['TicketID']}" in l), None)
        if line and " failed " in line:
            break
        time.sleep(0.2)
    assert line and " failed " in line and "550 5.1.1" in line, listing
    message_id = line.split()[0]
    assert "is queued again" in desk.cli("mail", "retry", message_id)


def test_smtp_down_then_up_loses_nothing(desk, smtp):
    smtp.stop()
    try:
        subject = unique("While down")
        created = create(desk, subject, send_article(subject))
        assert "Error" not in created, created
        deadline = time.time() + 20
        listing = ""
        while time.time() < deadline:
            listing = outbox(desk)
            line = next((l for l in listing.splitlines() if f"ticket {created['TicketID']}" in l), "")
            if "queued" in line and "attempts 0" not in line:
                break
            time.sleep(0.2)
        assert "queued" in line and "attempts 0" not in line, listing
    finally:
        smtp.start()
    got = smtp.received.wait_for(with_subject(subject), timeout=30)
    assert got["rcpt_tos"] == ["customer@acme.test"]
    assert f"ticket {created['TicketID']}" not in outbox(desk)
    assert f"ticket {created['TicketID']}" in outbox(desk, "--all")


def test_slow_relay_gets_several_messages_at_once_in_order_per_ticket(desk, smtp):
    """The sender delivers several messages at once (SWIFTDESK_MAIL_CONNECTIONS, default 4), each
    over its own connection; the messages of one ticket still arrive in the order they were queued."""
    smtp.received.delay = 0.5
    smtp.received.most_in_data = 0
    try:
        tag = uuid.uuid4().hex[:10]
        thread = create(desk, f"Thread {tag}", send_article(f"Thread {tag}", body="first"))
        assert "Error" not in thread, thread
        for body in ("second", "third"):
            reply = dict(root_login(desk), Article=send_article(f"Thread {tag}", body=body))
            answer = requests.patch(znuny_url(desk, f"/Ticket/{thread['TicketID']}"), json=reply, timeout=TIMEOUT).json()
            assert "Error" not in answer, answer
        for n in range(6):
            created = create(desk, f"Side {tag} {n}", send_article(f"Side {tag} {n}"))
            assert "Error" not in created, created
        for n in range(6):
            smtp.received.wait_for(with_subject(f"Side {tag} {n}"))
        deadline = time.time() + 20
        while len(smtp.received.matching(with_subject(f"Thread {tag}"))) < 3 and time.time() < deadline:
            time.sleep(0.1)
        bodies = [text(m["message"]).removesuffix(SIGNATURE) for m in smtp.received.matching(with_subject(f"Thread {tag}"))]
        assert bodies == ["first", "second", "third"]
        assert smtp.received.most_in_data >= 2
    finally:
        smtp.received.delay = 0


def test_a_slow_message_does_not_hold_up_mail_queued_after_it(desk, smtp):
    """A message the relay takes long over keeps only its own connection: mail queued while it is
    on its way is claimed and delivered at once, not after it."""
    tag = uuid.uuid4().hex[:10]
    slow = f"slow-{tag}@acme.test"
    smtp.received.slow_recipients[slow] = 6
    try:
        created = create(desk, f"Slow {tag}", send_article(f"Slow {tag}", To=slow))
        assert "Error" not in created, created
        deadline = time.time() + 10
        while slow not in smtp.received.slow_started and time.time() < deadline:
            time.sleep(0.05)
        assert slow in smtp.received.slow_started
        queued = time.time()
        created = create(desk, f"Quick {tag}", send_article(f"Quick {tag}"))
        assert "Error" not in created, created
        smtp.received.wait_for(with_subject(f"Quick {tag}"), timeout=10)
        assert time.time() - queued < 4
        assert not smtp.received.matching(with_subject(f"Slow {tag}"))
        smtp.received.wait_for(with_subject(f"Slow {tag}"), timeout=15)
    finally:
        smtp.received.slow_recipients.clear()


def wait_for_outbox_line(desk, ticket_id, condition, timeout=20):
    deadline = time.time() + timeout
    listing = ""
    while time.time() < deadline:
        listing = outbox(desk, "--all")
        line = next((l for l in listing.splitlines() if f"ticket {ticket_id}" in l), "")
        if condition(line):
            return line
        time.sleep(0.2)
    raise AssertionError(listing)


def test_killed_between_commit_and_send_loses_nothing(desk, smtp):
    """The message is in the database with its article: a server killed with SIGKILL before it
    could deliver sends it once it runs again."""
    smtp.stop()
    try:
        subject = unique("Killed")
        created = create(desk, subject, send_article(subject))
        assert "Error" not in created, created
        desk.process.kill()
        desk.process.wait(timeout=10)
        desk.process = None
    finally:
        smtp.start()
    desk.start()
    got = smtp.received.wait_for(with_subject(subject), timeout=30)
    assert got["rcpt_tos"] == ["customer@acme.test"]
    assert len(smtp.received.matching(with_subject(subject))) == 1


def test_graceful_stop_finishes_the_message_on_its_way(desk, smtp):
    """SIGTERM while the relay is still taking a message: the server lets that delivery finish
    and records it before it exits, so the message is neither cut off nor sent again later."""
    tag = uuid.uuid4().hex[:10]
    slow = f"stop-{tag}@acme.test"
    smtp.received.slow_recipients[slow] = 3
    try:
        subject = f"Stopping {tag}"
        created = create(desk, subject, send_article(subject, To=slow))
        assert "Error" not in created, created
        deadline = time.time() + 10
        while slow not in smtp.received.slow_started and time.time() < deadline:
            time.sleep(0.05)
        assert slow in smtp.received.slow_started
        desk.process.terminate()
        assert desk.process.wait(timeout=30) == 0
        desk.process = None
        assert len(smtp.received.matching(with_subject(subject))) == 1
    finally:
        smtp.received.slow_recipients.clear()
    desk.start()
    line = wait_for_outbox_line(desk, created["TicketID"], lambda line: line != "")
    assert " sent " in line, line
    time.sleep(2)  # a message recorded as failed would be retried after 1 s here
    assert len(smtp.received.matching(with_subject(subject))) == 1


def test_sendmail_module(desk, smtp):
    """`SendmailModule Sendmail` pipes the message to the command, sender and recipients as arguments."""
    workdir = tempfile.mkdtemp()
    script = os.path.join(workdir, "fake-sendmail")
    with open(script, "w") as f:
        f.write("#!%s\nimport sys\nopen(%r, 'a').write(repr(sys.argv[1:]) + '\\n')\nopen(%r, 'ab').write(sys.stdin.buffer.read())\n"
                % (sys.executable, os.path.join(workdir, "args"), os.path.join(workdir, "message")))
    os.chmod(script, 0o755)
    desk.cli("config", "set", "SendmailModule::CMD", f"{script} -i -f")
    desk.cli("config", "set", "SendmailModule", "Sendmail")
    try:
        time.sleep(6)  # the server reads settings changed by another process within 5 s
        subject = unique("Via sendmail")
        created = create(desk, subject, send_article(subject, To="a@acme.test", Cc="b@acme.test"))
        assert "Error" not in created, created
        wait_for_outbox_line(desk, created["TicketID"], lambda line: " sent " in line)
        with open(os.path.join(workdir, "args")) as f:
            assert f.read() == repr(["-i", "-f", "znuny@localhost", "--", "a@acme.test", "b@acme.test"]) + "\n"
        with open(os.path.join(workdir, "message"), "rb") as f:
            raw = f.read()
        assert f"Subject: [Ticket#{created['TicketNumber']}] {subject}".encode() in raw
        assert b"\r\n" not in raw  # sendmail takes local line ends
    finally:
        desk.cli("config", "set", "SendmailModule", "SMTP")
        time.sleep(6)


def test_do_not_send_email(desk, smtp):
    """`SendmailModule DoNotSendEmail` (Znuny's module for test systems): the message is recorded
    as sent and reaches no server."""
    desk.cli("config", "set", "SendmailModule", "DoNotSendEmail")
    try:
        time.sleep(6)  # the server reads settings changed by another process within 5 s
        subject = unique("Dropped")
        created = create(desk, subject, send_article(subject))
        assert "Error" not in created, created
        wait_for_outbox_line(desk, created["TicketID"], lambda line: " sent " in line)
        time.sleep(1)
        assert smtp.received.matching(with_subject(subject)) == []
    finally:
        desk.cli("config", "set", "SendmailModule", "SMTP")
        time.sleep(6)


def test_smtp_auth(desk, smtp):
    """`SendmailModule::AuthUser`/`AuthPassword`: AUTH PLAIN (here without TLS, as a local relay
    allows), with the credentials as configured."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    from .conftest import Received, free_port

    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == b"desk" and auth_data.password == b"relay-secret"
        logins.append((mechanism, auth_data.login, ok))
        return AuthResult(success=ok)

    received = Received()
    port = free_port()
    controller = Controller(received, hostname="127.0.0.1", port=port, authenticator=authenticator,
                            auth_require_tls=False, auth_required=True)
    controller.start()
    try:
        for key, value in (("SendmailModule::Port", str(port)), ("SendmailModule::AuthUser", "desk"),
                           ("SendmailModule::AuthPassword", "relay-secret")):
            desk.cli("config", "set", key, value)
        time.sleep(6)  # the server reads settings changed by another process within 5 s
        subject = unique("Authenticated")
        create(desk, subject, send_article(subject))
        received.wait_for(with_subject(subject))
        assert logins[-1] == ("PLAIN", b"desk", True)
    finally:
        controller.stop()
        for key, value in (("SendmailModule::Port", str(smtp.port)), ("SendmailModule::AuthUser", ""),
                           ("SendmailModule::AuthPassword", "")):
            desk.cli("config", "set", key, value)
        time.sleep(6)


def test_html_text_part_decodes_entities_once(desk, smtp):
    # The plain part is Znuny's HTML-to-ASCII (HTML::Entities in one pass): `&amp;lt;` is the text `&lt;`.
    subject = unique("Entities")
    article = send_article(subject, body="<p>Write &amp;lt;b&amp;gt; for bold &amp; &quot;quotes&quot; &lt;ok&gt;</p>",
                           ContentType="text/html; charset=utf-8")
    payload = dict(root_login(desk), Ticket={"Title": subject, "Queue": "Misc", "State": "new",
                                             "Priority": "3 normal", "CustomerUser": "cora"}, Article=article)
    created = requests.post(znuny_url(desk, "/Ticket"), json=payload, timeout=TIMEOUT).json()
    assert "Error" not in created, created
    message = smtp.received.wait_for(with_subject(subject))["message"]
    plain, _ = message.iter_parts()
    assert 'Write &lt;b&gt; for bold & "quotes" <ok>' in text(plain)
