"""zeep 4.3 in strict mode against the served WSDL: every operation of GenericTicketConnectorSOAP."""
import base64

import pytest
from zeep import Client, Settings
from zeep.exceptions import Fault

from soaputil import gi_url, wsdl_url


@pytest.fixture(scope="module")
def zeep_client(server):
    return Client(wsdl_url(server), settings=Settings(strict=True))


@pytest.fixture(scope="module")
def session_id(zeep_client, server):
    answer = zeep_client.service.SessionCreate(UserLogin="root@localhost", Password=server.root_password)
    assert answer.Error is None
    return answer.SessionID


def ticket_args(title="zeep ticket"):
    return {
        "Ticket": {"Title": title, "Queue": "Misc", "State": "new", "Priority": "3 normal", "CustomerUser": "cora"},
        "Article": [{"Subject": "via zeep", "Body": "strict WSDL", "ContentType": "text/plain; charset=utf8"}],
    }


def test_wsdl_points_at_this_server(zeep_client, server):
    port = zeep_client.wsdl.services["GenericTicketConnector"].ports["GenericTicketConnector_Port"]
    assert port.binding_options["address"] == gi_url(server)
    names = sorted(port.binding._operations)
    assert names == ["SessionCreate", "SessionGet", "TicketCreate", "TicketGet", "TicketGetList", "TicketHistoryGet",
                     "TicketSearch", "TicketUpdate"]


def test_session_create_and_get(zeep_client, session_id):
    data = zeep_client.service.SessionGet(SessionID=session_id)
    pairs = {item.Key: item.Value for item in data.SessionData}
    assert pairs["UserLogin"] == "root@localhost"
    assert pairs["UserType"] == "User"


def test_ticket_lifecycle(zeep_client, session_id):
    service = zeep_client.service
    attachment = {"Content": base64.b64encode(b"hello world").decode(), "ContentType": "text/plain", "Filename": "hello.txt"}
    created = service.TicketCreate(SessionID=session_id, DynamicField=[{"Name": "Severity", "Value": ["high"]}],
                                   Attachment=[attachment], **ticket_args())
    assert created.Error is None
    assert isinstance(created.TicketID, int)
    assert created.TicketNumber.isdigit()
    assert len(created.ArticleID) == 1

    updated = service.TicketUpdate(SessionID=session_id, TicketID=str(created.TicketID), Ticket={"State": "open"},
                                   Article=[{"Subject": "note", "Body": "more", "ContentType": "text/plain; charset=utf8"}])
    assert updated.TicketNumber == created.TicketNumber
    assert isinstance(updated.ArticleID, int)

    got = service.TicketGet(SessionID=session_id, TicketID=[created.TicketID], AllArticles="1", DynamicFields="1",
                            Extended="1", Attachments="1")
    ticket = got.Ticket[0]
    assert ticket.Title == "zeep ticket"
    assert ticket.State == "open"
    assert [a.Subject for a in ticket.Article] == ["via zeep", "note"]
    assert {f.Name: f.Value for f in ticket.DynamicField}["Severity"] == ["high"]
    files = ticket.Article[0].Attachment
    assert [(f.Filename, f.FilesizeRaw, base64.b64decode(f.Content)) for f in files] == [("hello.txt", 11, b"hello world")]

    found = service.TicketSearch(SessionID=session_id, TicketNumber=[created.TicketNumber])
    assert found.TicketID == [created.TicketID]

    history = service.TicketHistoryGet(SessionID=session_id, TicketID=[created.TicketID])
    types = [entry.HistoryType for entry in history.TicketHistory[0].History]
    assert types[0] == "NewTicket"
    assert "StateUpdate" in types


def test_empty_search_is_a_nil_element(zeep_client, session_id):
    answer = zeep_client.service.TicketSearch(SessionID=session_id, Title=["no ticket has this title"])
    assert answer is None or answer.TicketID == []


def test_business_errors_arrive_as_error_elements(zeep_client, session_id):
    answer = zeep_client.service.SessionCreate(UserLogin="root@localhost", Password="wrong")
    assert answer.Error.ErrorCode == "SessionCreate.AuthFail"
    answer = zeep_client.service.TicketGet(SessionID=session_id, TicketID=[987654])
    assert answer.Error.ErrorCode == "TicketGet.AccessDenied"
    assert answer.Ticket == []


def test_every_other_operation_type_in_strict_mode(server):
    """SessionRemove, TimeAccountingGet, OutOfOffice and a renamed TicketGet, from a second service."""
    url = server.base + "/otrs/nph-genericinterface.pl/Webservice/SOAPAll?wsdl"
    service = Client(url, settings=Settings(strict=True)).service
    session = service.SessionCreate(UserLogin="root@localhost", Password=server.root_password).SessionID
    listed = service.TicketGetList(SessionID=session, TicketID=[1])
    assert listed.Ticket[0].TicketNumber == "2021012710123456"
    accounting = service.TimeAccountingGet(SessionID=session, TimeAccountingUserLogin="root@localhost",
                                           TimeAccountingStart="2020-01-01 00:00:00", TimeAccountingEnd="2030-01-01 00:00:00")
    assert accounting.Error.ErrorCode == "TimeAccountingGet.NoPermission"
    away = service.OutOfOffice(SessionID=session, OutOfOfficeEntries=[
        {"UserLogin": "reader", "StartDate": "2030-01-01", "EndDate": "2030-01-05", "OutOfOffice": "1"}])
    assert away.Success == "1"
    assert service.SessionRemove(SessionID=session).Success == "1"
    assert service.TicketGetList(SessionID=session, TicketID=[1]).Error.ErrorCode == "TicketGet.AuthFail"


def test_faults_reach_zeep_as_unknown_faults(zeep_client, server):
    """Znuny's fault (HTTP 500, text/plain, Fault in the TicketConnector namespace) is not a SOAP
    fault to zeep: it raises Fault('Unknown fault occured') and keeps the envelope as detail."""
    other = zeep_client.create_service("{http://www.otrs.org/TicketConnector/}GenericTicketConnector_Binding",
                                       server.base + "/otrs/nph-genericinterface.pl/Webservice/SOAPAll")
    with pytest.raises(Fault) as raised:
        other.TicketSearch(UserLogin="root@localhost", Password=server.root_password)
    assert raised.value.message == "Unknown fault occured"
    assert b"<faultstring>Got no OperationType!</faultstring>" in raised.value.detail
