"""POST /api/tickets.xml as osTicket's XML sample sends it (spec §3, §8; brief §3)."""
import base64
import textwrap

from osticketutil import CORE_TYPE, NUMBER, email_address, entries, post_xml, ticket, unique


def sample_xml(address, subject, message="The printer is on fire.", attachments=True):
    files = ""
    if attachments:
        data = base64.b64encode(b"printer log\nline two\n").decode()
        files = f'<attachments><file name="file.txt" type="text/plain" encoding="base64">{data}</file></attachments>'
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ticket alert="true" autorespond="true" source="API">'
        f"<name>Xavier Mendez</name><email>{address}</email><subject>{subject}</subject>"
        f'<message type="text/plain"><![CDATA[{message}]]></message>'
        f"{files}</ticket>"
    )


def created_number(r):
    assert r.status_code == 201, (r.status_code, r.text)
    assert r.headers["Content-Type"] == CORE_TYPE
    assert NUMBER.fullmatch(r.text), r.text
    return r.text


def test_sample_document_creates_a_ticket(server):
    """§3: the documented XML sample (attributes on <ticket>, CDATA message, base64 file) → 201."""
    address, subject = email_address("xml"), unique("XML subject")
    number = created_number(post_xml(server, sample_xml(address, subject)))
    t = ticket(server, number)
    assert t["subject"] == subject
    assert t["user_name"] == "Xavier Mendez"
    assert t["user_email"]["email"] == address
    assert t["source"] == "API"
    entry = t["thread_entries"][0]
    assert entry["model"]["type"] == "M"
    assert entry["model"]["body"] == "The printer is on fire."
    assert entry["model"]["format"] == "text"
    assert entry["annotations"]["has_attachments"] == 1


def test_sample_document_without_router(server):
    """§1: /api/tickets.xml answers like /api/http.php/tickets.xml."""
    created_number(post_xml(server, sample_xml(email_address("xml"), unique("XML")), router=False))


def test_fields_as_attributes_of_ticket(server):
    """§3: any simple field may be an attribute of <ticket>."""
    address, subject = email_address("attr"), unique("attr")
    xml = f'<ticket name="Attr Ibute" email="{address}" subject="{subject}"><message>attributes</message></ticket>'
    t = ticket(server, created_number(post_xml(server, xml)))
    assert (t["subject"], t["user_name"], t["user_email"]["email"]) == (subject, "Attr Ibute", address)
    assert entries(t)[0]["body"] == "attributes"


def test_html_message(server):
    """§3: <message type="text/html"> gives an HTML entry."""
    xml = (f"<ticket><name>Html Xml</name><email>{email_address('html')}</email><subject>html</subject>"
           '<message type="text/html"><![CDATA[<p>It is <b>broken</b></p>]]></message></ticket>')
    entry = entries(ticket(server, created_number(post_xml(server, xml))))[0]
    assert entry["format"] == "html"
    assert "<b>broken</b>" in entry["body"]


def test_multiline_message_and_entities_keep_their_text(server):
    """brief §3 [rec]: message line breaks and text around entities are kept (ends trimmed)."""
    message = "line one\nline two\n  indented"
    xml = (f"<ticket><name>Multi Line</name><email>{email_address('lines')}</email>"
           f"<subject>Fish &amp; Chips</subject><message><![CDATA[\n{message}\n]]></message></ticket>")
    t = ticket(server, created_number(post_xml(server, xml)))
    assert t["subject"] == "Fish & Chips"
    assert entries(t)[0]["body"] == message


def test_wrapped_base64_attachment(server):
    """§3 / brief §3: base64 wrapped over several lines decodes (whitespace ignored)."""
    data = "\n".join(textwrap.wrap(base64.b64encode(bytes(range(256)) * 4).decode(), 76))
    xml = (f"<ticket><name>Wrapped</name><email>{email_address('wrap')}</email><subject>wrapped</subject>"
           "<message>see attachment</message><attachments>"
           f'<file name="blob.bin" type="application/octet-stream" encoding="base64">\n{data}\n</file>'
           "</attachments></ticket>")
    t = ticket(server, created_number(post_xml(server, xml)))
    assert t["thread_entries"][0]["annotations"]["has_attachments"] == 1


def test_bad_base64_file_is_dropped(server):
    """§3 / §8 lenient: a file that is not base64 is dropped, the ticket is still created."""
    xml = (f"<ticket><name>Bad File</name><email>{email_address('badfile')}</email><subject>bad file</subject>"
           '<message>m</message><attachments><file name="x.txt" type="text/plain" encoding="base64">'
           "*** not base64 ***</file></attachments></ticket>")
    t = ticket(server, created_number(post_xml(server, xml)))
    assert t["thread_entries"][0]["annotations"]["has_attachments"] == 0


def test_phone_element_with_ext_attribute(server):
    """§3: <phone ext="123"> — the element text is the phone number."""
    xml = (f'<ticket><name>Phone Xml</name><email>{email_address("phone")}</email><phone ext="123">3185558634</phone>'
           "<subject>phone</subject><message>m</message></ticket>")
    t = ticket(server, created_number(post_xml(server, xml)))
    assert t["user_phone"].startswith("(318) 555-8634")


def test_alert_false_and_topic_and_priority(server):
    """§3: alert="false" accepted; topicId / priorityId as child elements."""
    xml = (f'<ticket alert="false" autorespond="false"><name>Topic Xml</name><email>{email_address("topic")}</email>'
           "<subject>topic</subject><message>m</message><topicId>10</topicId><priorityId>4</priorityId></ticket>")
    t = ticket(server, created_number(post_xml(server, xml)))
    assert t["help_topic"] == "Report a Problem"
    assert t["department"] == "Maintenance"
    assert t["priority"] == "Emergency"


def test_non_ascii_text(server):
    """§3: the document is UTF-8; non-ASCII subject and message survive."""
    xml = (f"<ticket><name>Jürgen Groß</name><email>{email_address('utf8')}</email>"
           "<subject>Drucker kaputt – Köln</subject><message>Grüße</message></ticket>").encode()
    t = ticket(server, created_number(post_xml(server, xml)))
    assert t["subject"] == "Drucker kaputt – Köln"
    assert t["user_name"] == "Jürgen Groß"
    assert entries(t)[0]["body"] == "Grüße"


def test_latin1_document(server):
    """PHP's XML parser honours a declared ISO-8859-1 (old PHP scripts write Latin-1): the text arrives as UTF-8."""
    address, subject = email_address("latin1"), unique("Grüße")
    xml = sample_xml(address, subject, message="Café", attachments=False).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    number = created_number(post_xml(server, xml.encode("latin-1")))
    t = ticket(server, number)
    assert t["subject"] == subject
    assert t["thread_entries"][0]["model"]["body"] == "Café"
