"""rpc.pl with raw SOAP::Lite-shaped RPC/encoded envelopes (runs without Perl): the seed 000 calls,
the shared credential, and the whitelist."""
from xml.sax.saxutils import escape

import requests

from soaputil import RPC_PATH, SOAP_ENV, body_child, local

XSI = "http://www.w3.org/2001/XMLSchema-instance"


def arg(value, index):
    kind = "xsd:int" if str(value).isdigit() else "xsd:string"
    return f'<c-gensym{index} xsi:type="{kind}">{escape(str(value))}</c-gensym{index}>'


def envelope(method, args):
    return ('<?xml version="1.0" encoding="UTF-8"?><soap:Envelope '
            f'xmlns:xsi="{XSI}" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" '
            'xmlns:xsd="http://www.w3.org/2001/XMLSchema" soap:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" '
            f'xmlns:soap="{SOAP_ENV}"><soap:Body><{method} xmlns="http://localhost/Core">{"".join(args)}</{method}>'
            '</soap:Body></soap:Envelope>')


def post(server, body):
    return requests.post(server.base + RPC_PATH, data=body.encode(),
                         headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '"http://localhost/Core#Dispatch"'})


def dispatch(server, obj, method, password=None, **params):
    flat = [server.soap_user, password or server.soap_password, obj, method]
    for key, value in params.items():
        flat += [key, value]
    return post(server, envelope("Dispatch", [arg(v, i * 2 + 3) for i, v in enumerate(flat)]))


def values(response):
    return [child.text for child in body_child(response.text)]


def as_hash(response):
    items = values(response)
    return dict(zip(items[0::2], items[1::2]))


TICKET = dict(Title="rpc raw", Queue="Raw", Lock="unlock", Priority="3 normal", State="new", CustomerUser="cora",
              OwnerID=1, UserID=1)
ARTICLE = dict(ArticleType="email-external", SenderType="customer", From="cora@example.org", Subject="rpc",
               Body="from rpc.pl", ContentType="text/plain; charset=utf-8", HistoryType="NewTicket",
               HistoryComment="rpc", UserID=1)


def multiple(server, calls):
    def item(name, value):
        return f'<{name} xsi:type="xsd:string">{escape(str(value))}</{name}>'
    items = "".join(f"<item>{item('Method', m)}<Parameter>{''.join(item(k, v) for k, v in p.items())}</Parameter></item>"
                    for m, p in calls)
    array = (f'<c-gensym9 xsi:type="soapenc:Array" soapenc:arrayType="xsd:anyType[{len(calls)}]">{items}</c-gensym9>')
    args = [arg(server.soap_user, 3), arg(server.soap_password, 5), arg("TicketObject", 7), array]
    return post(server, envelope("DispatchMultipleTicketMethods", args))


def test_seed_000_calls(server):
    created = multiple(server, [("TicketCreate", TICKET), ("ArticleCreate", ARTICLE)])
    assert created.status_code == 200
    assert created.headers["Content-Type"] == "text/xml; charset=utf-8"
    response = body_child(created.text)
    assert local(response) == "DispatchMultipleTicketMethodsResponse"
    ticket_id = values(created)[0]
    note = dispatch(server, "TicketObject", "ArticleCreate", TicketID=ticket_id, **dict(ARTICLE, ArticleType="note-internal"))
    assert body_child(note.text)[0].get(f"{{{XSI}}}type") == "xsd:int"
    ticket = as_hash(dispatch(server, "TicketObject", "TicketGet", TicketID=ticket_id, UserID=1))
    assert ticket["Title"] == "rpc raw"
    assert ticket["State"] == "new"
    found = values(dispatch(server, "TicketObject", "TicketSearch", Title="rpc raw", Result="ARRAY", UserID=1))
    assert found == [ticket_id]
    counted = values(dispatch(server, "TicketObject", "TicketSearch", Title="rpc raw", Result="COUNT", UserID=1))
    assert counted == ["1"]
    numbers = as_hash(dispatch(server, "TicketObject", "TicketSearch", Title="rpc raw", Result="HASH", UserID=1))
    assert numbers == {ticket_id: ticket["TicketNumber"]}
    articles = body_child(dispatch(server, "TicketObject", "ArticleGet", TicketID=ticket_id, UserID=1).text)
    assert [a.find("{*}ArticleType").text for a in articles] == ["email-external", "note-internal"]


def test_lookups(server):
    assert values(dispatch(server, "QueueObject", "QueueLookup", Queue="Raw")) == ["2"]
    assert values(dispatch(server, "UserObject", "UserLookup", UserLogin="root@localhost")) == ["1"]
    assert values(dispatch(server, "CustomerUserObject", "CustomerName", UserLogin="cora")) == ["Cora Customer"]
    assert as_hash(dispatch(server, "CustomerUserObject", "CustomerUserDataGet", User="cora"))["UserCustomerID"] == "ACME"


def test_wrong_credential_is_an_empty_answer(server):
    r = dispatch(server, "TicketObject", "TicketGet", password="guess", TicketID=1, UserID=1)
    assert r.status_code == 200
    assert len(body_child(r.text)) == 0


def test_only_whitelisted_methods_run(server):
    r = dispatch(server, "TicketObject", "TicketDelete", TicketID=1, UserID=1)
    assert r.status_code == 500
    fault = body_child(r.text)
    assert fault.tag == f"{{{SOAP_ENV}}}Fault"
    assert fault.find("faultstring").text == "SwiftDesk rpc.pl does not support TicketObject->TicketDelete"
    r = dispatch(server, "ConfigObject", "Get", Key="DatabasePw")
    assert body_child(r.text).find("faultstring").text == "SwiftDesk rpc.pl does not support ConfigObject->Get"
    assert values(dispatch(server, "NoSuchObject", "Anything")) == ["No such Object NoSuchObject!"]
    assert as_hash(dispatch(server, "TicketObject", "TicketGet", TicketID=1, UserID=1))["Title"] == "Znuny says hi!"
