"""Raw envelopes as python-otrs and SOAP::Lite send them to the GI SOAP transport, and the error
paths of Znuny 7's transport (411, deserialisation errors, faults, SOAPAction checks, bad input).

python-otrs itself crashes on Python >= 3.9 (Element.getchildren), so its envelopes are replayed."""
import requests

from soaputil import SOAP_ENV, TICKET_NS, body_child, gi_url, local

PYOTRS_NS = "http://www.otrs.org/TicketConnector"  # python-otrs' helper: no trailing slash


def python_otrs_envelope(operation, inner):
    return (f'<soapenv:Envelope xmlns:soapenv="{SOAP_ENV}" xmlns="{PYOTRS_NS}"><soapenv:Header/>'
            f'<soapenv:Body><{operation}>{inner}</{operation}></soapenv:Body></soapenv:Envelope>')


def soap_lite_envelope(operation, inner):
    return ('<?xml version="1.0" encoding="UTF-8"?><soap:Envelope '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" '
            'xmlns:xsd="http://www.w3.org/2001/XMLSchema" soap:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" '
            f'xmlns:soap="{SOAP_ENV}"><soap:Body><{operation} xmlns="{TICKET_NS}">{inner}</{operation}></soap:Body>'
            '</soap:Envelope>')


def post(server, body, **headers):
    headers.setdefault("Content-Type", "text/xml;charset=utf-8")
    return requests.post(gi_url(server), data=body.encode(), headers=headers)


def login(server):
    return f"<UserLogin>root@localhost</UserLogin><Password>{server.root_password}</Password>"


TICKET = ("<Ticket><Title>raw soap</Title><Queue>Misc</Queue><State>new</State><Priority>3 normal</Priority>"
          "<CustomerUser>cora</CustomerUser></Ticket>"
          "<Article><Subject>raw</Subject><Body>raw &amp; body</Body><ContentType>text/plain; charset=utf8</ContentType></Article>")


def test_python_otrs_ticket_create_get_search(server):
    # python-otrs: no SOAPAction, an empty Header, stray None elements, booleans as True.
    r = post(server, python_otrs_envelope(
        "TicketCreate", login(server) + TICKET + "<dynamic_fields>None</dynamic_fields><attachments>None</attachments>"))
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/xml; charset=UTF-8"
    response = body_child(r.text)
    assert local(response) == "TicketCreateResponse"
    assert [local(child) for child in response] == ["ArticleID", "TicketID", "TicketNumber"]
    ids = {local(child): int(child.text) for child in response}  # python-otrs int()s every child
    r = post(server, python_otrs_envelope(
        "TicketGet", login(server) + f"<TicketID>{ids['TicketID']}</TicketID><AllArticles>True</AllArticles>"
                                     "<DynamicFields>True</DynamicFields>"))
    ticket = body_child(r.text)[0]
    assert local(ticket) == "Ticket"
    fields = {local(child): child.text for child in ticket if len(child) == 0}
    assert fields["Title"] == "raw soap"
    articles = [child for child in ticket if local(child) == "Article"]
    assert articles[0].find(f"{{{TICKET_NS}}}Body").text == "raw & body"
    r = post(server, python_otrs_envelope("TicketSearch", login(server) + "<Title>raw soap</Title>"))
    assert ids["TicketID"] in [int(child.text) for child in body_child(r.text)]


def test_soap_lite_style_with_soapaction(server):
    for action in ["http://www.otrs.org/TicketConnector/#SessionCreate", "http://www.otrs.org/TicketConnector/SessionCreate",
                   '"http://www.otrs.org/TicketConnector/#SessionCreate"', ""]:
        r = post(server, soap_lite_envelope("SessionCreate", login(server)), SOAPAction=action)
        assert r.status_code == 200, action
        assert local(body_child(r.text)[0]) == "SessionID"


def test_business_error_inside_the_response_element(server):
    r = post(server, soap_lite_envelope("TicketCreate", "<UserLogin>root@localhost</UserLogin><Password>no</Password>" + TICKET))
    assert r.status_code == 200
    error = body_child(r.text)[0]
    assert local(error) == "Error"
    assert [c.text for c in error] == ["TicketCreate.AuthFail", "TicketCreate: User could not be authenticated!"]


def test_empty_search_is_nil(server):
    r = post(server, soap_lite_envelope("TicketSearch", login(server) + "<Title>nothing like this</Title>"))
    response = body_child(r.text)
    assert local(response) == "TicketSearchResponse"
    assert response.get("{http://www.w3.org/2001/XMLSchema-instance}nil") == "true"
    assert len(response) == 0


def test_transport_errors(server):
    r = requests.post(gi_url(server), data=b"", headers={"Content-Type": "text/xml"})
    assert r.status_code == 411
    assert r.headers["Content-Type"] == "text/plain; charset=UTF-8"
    r = post(server, f'<soap:Envelope xmlns:soap="{SOAP_ENV}"><soap:Body><a><b></a>')
    assert r.status_code == 500
    assert r.text.startswith("Error deserializing message:\n")
    r = post(server, soap_lite_envelope("TicketDelete", login(server)))
    assert r.status_code == 500
    assert r.headers["Content-Type"] == "text/plain; charset=UTF-8"
    fault = body_child(r.text)
    assert fault.tag == f"{{{TICKET_NS}}}Fault"
    assert [c.text for c in fault] == ["Server", "Got no OperationType!"]
    r = post(server, soap_lite_envelope("SessionCreate", login(server)), SOAPAction="urn:elsewhere#SessionCreate")
    assert r.status_code == 500
    assert "does not match namespace from configuration" in body_child(r.text)[1].text
    r = post(server, soap_lite_envelope("SessionCreate", login(server)).replace(SOAP_ENV, "urn:not-soap"))
    assert r.status_code == 500
    assert r.text.startswith("Error deserializing message:Wrong SOAP version specified. Supported versions:\n")


def test_bad_input_is_refused_and_writes_nothing(server):
    def count():
        r = post(server, soap_lite_envelope("TicketSearch", login(server) + "<Title>evil</Title>"))
        return len(body_child(r.text))

    before = count()
    xxe = ('<?xml version="1.0"?><!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           + soap_lite_envelope("TicketCreate", login(server) + TICKET.replace("raw soap", "evil&x;")))
    r = post(server, xxe)
    assert r.status_code == 500
    assert "root:" not in r.text
    laughs = '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
    for level in range(1, 10):
        prev = "a" if level == 1 else f"a{level - 1}"
        laughs += f'<!ENTITY a{level} "' + f"&{prev};" * 10 + '">'
    laughs += "]>" + soap_lite_envelope("TicketCreate", login(server) + TICKET.replace("raw soap", "evil&a9;"))
    r = post(server, laughs)
    assert r.status_code == 500
    deep = soap_lite_envelope("TicketCreate", login(server) + TICKET.replace("raw soap", "evil")
                              + "<x>" * 10000 + "</x>" * 10000)
    r = post(server, deep)
    assert r.status_code == 500
    assert "deeper than" in r.text
    r = post(server, soap_lite_envelope("TicketCreate", login(server) + "<Ticket><Title>evil</Title></Ticket>"))
    assert body_child(r.text)[0][0].text == "TicketCreate.MissingParameter"
    assert count() == before
