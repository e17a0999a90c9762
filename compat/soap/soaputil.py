"""Helpers shared by the SOAP compat tests: endpoints, envelopes, and reading answers with lxml."""
from lxml import etree

GI_PATH = "/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorSOAP"
RPC_PATH = "/otrs/rpc.pl"
TICKET_NS = "http://www.otrs.org/TicketConnector/"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"


def gi_url(server):
    return server.base + GI_PATH


def wsdl_url(server):
    return gi_url(server) + "?wsdl"


def parse(text):
    """Parses an answer without resolving entities or loading DTDs."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.fromstring(text.encode() if isinstance(text, str) else text, parser)


def body_child(text):
    """The first child of soap:Body (python-otrs reads answers this way)."""
    root = parse(text)
    body = root[0]
    assert etree.QName(body).localname == "Body"
    return body[0]


def local(element):
    return etree.QName(element).localname
