"""POST /api/tickets.email: the mail pipe posts raw RFC 822 messages (spec §4, §8; brief §4)."""
import base64

from osticketutil import (
    CORE_TYPE, NUMBER, create, email_address, entries, extension_get, mail, message_id, post_email, ticket, unique,
    znuny_ticket_id,
)
from znunyrest import znuny_ticket_get


def piped(server, raw):
    r = post_email(server, raw)
    assert r.status_code == 201, (r.status_code, r.text)
    assert r.headers["Content-Type"] == CORE_TYPE
    assert NUMBER.fullmatch(r.text), r.text
    return r.text


def test_plain_mail_creates_a_ticket(server):
    """§4: a new mail → 201 with a new number; source Email; sender becomes the user."""
    address, subject = email_address("mailer"), unique("Mail subject")
    number = piped(server, mail(f'"Erika Mustermann" <{address}>', subject, "Hello,\nthe printer is on fire.\n"))
    t = ticket(server, number)
    assert t["subject"] == subject
    assert t["source"] == "Email"
    assert t["user_name"] == "Erika Mustermann"
    assert t["user_email"]["email"] == address
    assert t["ticket_status"] == "Open"
    model = entries(t)[0]
    assert model["type"] == "M"
    assert model["source"] == "Email"
    assert "the printer is on fire." in model["body"]


def test_mail_pipe_without_router(server):
    """§1: /api/tickets.email answers like /api/http.php/tickets.email."""
    r = post_email(server, mail(email_address("norouter"), unique("norouter"), "body\n"), router=False)
    assert r.status_code == 201 and NUMBER.fullmatch(r.text), r.text


def test_multipart_with_attachment(server):
    """§4: multipart/mixed with a text part and a base64 attachment → has_attachments 1."""
    attachment = base64.encodebytes(b"Printer log\n" * 20).decode()
    body = (
        "This is a multi-part message in MIME format.\n"
        "--BOUNDARY42\n"
        "Content-Type: text/plain; charset=UTF-8\n"
        "Content-Transfer-Encoding: 7bit\n\n"
        "Log attached.\n"
        "--BOUNDARY42\n"
        'Content-Type: text/plain; name="printer.log"\n'
        'Content-Disposition: attachment; filename="printer.log"\n'
        "Content-Transfer-Encoding: base64\n\n"
        f"{attachment}"
        "--BOUNDARY42--\n"
    )
    number = piped(server, mail(email_address("multi"), unique("multipart"), body,
                                content_type='multipart/mixed; boundary="BOUNDARY42"', transfer_encoding="7bit"))
    t = ticket(server, number)
    assert t["thread_entries"][0]["annotations"]["has_attachments"] == 1
    assert "Log attached." in entries(t)[0]["body"]


def test_latin1_quoted_printable_and_encoded_word_subject(server):
    """§4: ISO-8859-1 quoted-printable body and an =?ISO-8859-1?Q?…?= subject are decoded."""
    raw = mail(email_address("latin"), "=?ISO-8859-1?Q?Caf=E9_cr=E8me?=", "Gr=FC=DFe aus K=F6ln\n",
               content_type="text/plain; charset=ISO-8859-1", transfer_encoding="quoted-printable")
    t = ticket(server, piped(server, raw))
    assert t["subject"] == "Café crème"
    assert "Grüße aus Köln" in entries(t)[0]["body"]


def test_utf8_base64_encoded_word_subject(server):
    """§4: an =?UTF-8?B?…?= subject is decoded."""
    subject = "Überweisung fehlgeschlagen – Straße"
    encoded = "=?UTF-8?B?" + base64.b64encode(subject.encode()).decode() + "?="
    t = ticket(server, piped(server, mail(email_address("utf8"), encoded, "Bitte prüfen.\n")))
    assert t["subject"] == subject
    assert "Bitte prüfen." in entries(t)[0]["body"]


def test_empty_subject(server):
    """brief §4 / spec §4: a mail without a subject gets `[No Subject]`."""
    t = ticket(server, piped(server, mail(email_address("nosubject"), "", "no subject here\n")))
    assert t["subject"] == "[No Subject]"


def test_in_reply_to_continues_the_ticket(server):
    """§8: In-Reply-To of the first Message-ID → 201 with the same number and a second M entry."""
    address, first_mid = email_address("thread"), message_id()
    number = piped(server, mail(address, unique("thread"), "first message\n", mid=first_mid))
    again = piped(server, mail(address, "Re: whatever", "second message\n",
                               extra=[f"In-Reply-To: {first_mid}", f"References: {first_mid}"]))
    assert again == number
    models = entries(ticket(server, number))
    assert [m["type"] for m in models] == ["M", "M"]
    assert "second message" in models[1]["body"]


def test_same_message_id_is_not_added_twice(server):
    """§8 / brief §4: the same Message-ID posted again → same number, no new entry."""
    raw = mail(email_address("dup"), unique("duplicate"), "only once\n")
    number = piped(server, raw)
    assert piped(server, raw) == number
    assert len(ticket(server, number)["thread_entries"]) == 1


def test_copies_of_one_mail_delivered_at_once_open_one_ticket(server):
    """Deliveries of one Message-ID in parallel (a mail server retrying) all answer the same ticket,
    which holds the message once."""
    from concurrent.futures import ThreadPoolExecutor
    raw = mail(email_address("racer"), unique("Delivered twice"), "Hello\n", mid=message_id())
    with ThreadPoolExecutor(8) as pool:
        numbers = list(pool.map(lambda _: piped(server, raw), range(8)))
    assert len(set(numbers)) == 1, numbers
    assert len(entries(ticket(server, numbers[0]))) == 1


def test_subject_token_from_the_owner(server):
    """§8: `[#number]` in the subject from the ticket's own e-mail → same number, new entry."""
    address = email_address("owner")
    number = piped(server, mail(address, unique("token"), "original\n"))
    again = piped(server, mail(address, f"Re: [#{number}] follow-up", "follow-up by token\n"))
    assert again == number
    models = entries(ticket(server, number))
    assert len(models) == 2
    assert "follow-up by token" in models[1]["body"]


def test_subject_token_from_a_stranger(server):
    """§8: the same token from an address that is not the owner's → a new ticket."""
    number = piped(server, mail(email_address("owner"), unique("token"), "original\n"))
    other = piped(server, mail(email_address("stranger"), f"Re: [#{number}] not mine", "hijack?\n"))
    assert other != number
    assert len(ticket(server, number)["thread_entries"]) == 1


def test_json_created_ticket_continued_by_mail(server):
    """§4: a token reply to a ticket created through tickets.json continues it."""
    number, sent = create(server)
    assert piped(server, mail(sent["email"], f"[#{number}] by mail", "answer by mail\n")) == number
    assert [m["type"] for m in entries(ticket(server, number))] == ["M", "M"]


def test_unknown_sender_becomes_a_customer_user(server):
    """brief §4: accept_unregistered_email — the sender is a user, found by clientTickets."""
    address = email_address("newcomer")
    number = piped(server, mail(f"New Comer <{address}>", unique("newcomer"), "hi\n"))
    r = extension_get(server, "clientTickets", clientUserMail=address)
    assert r.status_code == 200, r.text
    assert number in [t["ticket_number"] for t in r.json()["tickets"]]


def test_mail_without_from_is_refused(server):
    """§8: no usable From address → 500 `:user\\nIncomplete client information`."""
    r = post_email(server, mail(None, unique("anonymous"), "who am I\n"))
    assert r.status_code == 500
    assert r.headers["Content-Type"] == CORE_TYPE
    assert r.text == "Unable to create new ticket :user\nIncomplete client information"


def test_empty_mail_body_is_400(server):
    """brief §4 / §8 #14: an empty request → 400 (empty body or `Unable to read email request`)."""
    r = post_email(server, b"")
    assert r.status_code == 400
    assert r.text in ("", "Unable to read email request")


def test_mail_pipe_needs_a_key(server):
    """§1.1: the mail pipe checks the API key like the other formats."""
    r = post_email(server, mail(email_address("nokey"), "no key", "x\n"), key=None)
    assert r.status_code == 401
    assert r.text == "Valid API key required"


def test_html_parts_are_joined_and_nameless_parts_dropped(server):
    """class.mailparse.php getPart/getAttachments: every HTML part joined (the text alternative
    unused), an HTML entry read as balanced with embedded images kept; a nameless part is no file,
    an image with a Content-ID gets a name; a file the body shows by cid: is inline, not counted."""
    body = (
        "--B\n"
        "Content-Type: text/plain; charset=UTF-8\n\n"
        "plain version\n"
        "--B\n"
        "Content-Type: text/html; charset=UTF-8\n\n"
        '<p>First</p><img src="cid:logo@x">\n'
        "--B\n"
        "Content-Type: text/html; charset=ISO-8859-1\n\n"
        "<div>Second caf\xe9</div>\n"
        "--B\n"
        "Content-Type: text/csv\n\n"
        "a,b\n"
        "--B\n"
        "Content-Type: image/png\n"
        "Content-ID: <logo@x>\n"
        "Content-Transfer-Encoding: base64\n\n"
        "iVBORw0KGgo=\n"
        "--B--\n"
    )
    raw = mail(email_address("parts"), unique("parts"), body.encode("latin-1"),
               content_type='multipart/mixed; boundary="B"')
    t = ticket(server, piped(server, raw))
    entry = t["thread_entries"][0]
    model = entry["model"]
    assert model["format"] == "html"
    assert model["body"] == '<p>First</p><img src="cid:logo@x">\n<div>Second café</div>'
    assert model["message"]["options"] == {"strip-embedded": False, "balanced": True}
    assert entry["annotations"]["has_attachments"] == 0


def test_text_bodies_are_stored_escaped_and_quoted_replies_cut(server):
    """TextThreadEntryBody::getClean: trimmed, blank lines collapsed, & < > " escaped (entities
    kept); the part under `-- reply above this line --` is dropped."""
    text = '  a < b && c > d "q" &amp; \'s\'\n\n\n\nnext\n\n-- reply above this line --\nold thread\n'
    t = ticket(server, piped(server, mail(email_address("escape"), unique("escape"), text)))
    model = entries(t)[0]
    assert model["format"] == "text"
    assert model["body"] == 'a &lt; b &amp;&amp; c &gt; d &quot;q&quot; &amp; \'s\'\n\nnext'
    assert model["message"]["body"] == model["body"]
    assert model["message"]["options"] == {"strip-embedded": True}
    blank = ticket(server, piped(server, mail(email_address("blank"), unique("blank"), "   \n")))
    assert entries(blank)[0]["body"] == "-"


def test_sender_named_last_comma_first(server):
    """`From: "Doe, John" <…>` makes a user John Doe (`User::save`); the article's From keeps the
    quotes, so it still reads as one mailbox."""
    address = email_address("outlook")
    number = piped(server, mail(f'"Doe, John" <{address}>', unique("comma"), "Hello\n"))
    assert ticket(server, number)["user_name"] == "John Doe"
    assert entries(ticket(server, number))[0]["poster"] == "John Doe"
    article = znuny_ticket_get(server, znuny_ticket_id(server, number))["Article"][0]
    assert article["From"] == f'"Doe, John" <{address}>'
