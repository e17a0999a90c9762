"""PyOTRS 1.5.3 against SwiftDesk's Znuny REST face, as an integration would use it."""
import datetime
import os
import tempfile

import pytest
from pyotrs import Article, Attachment, Client, DynamicField, Ticket
from pyotrs.lib import APIError


def client(server, user="root@localhost", password=None, **kwargs):
    session_file = os.path.join(tempfile.mkdtemp(), "session")
    c = Client(server.base, user, password or server.root_password, session_id_file=session_file, **kwargs)
    return c


@pytest.fixture
def root(server):
    c = client(server)
    assert c.session_create()
    return c


def test_session_create_default_mode_falls_back_to_session_id(server):
    c = client(server)
    assert c.session_create() is True
    assert c.use_legacy_sessions is True  # PyOTRS retried after the AccessToken attempt
    assert len(c.session_id_store.value) == 32
    assert c.session_get(c.session_id_store.value) is True


def test_session_create_legacy_mode_and_restore(server):
    c = client(server, use_legacy_sessions=True)
    assert c.session_restore_or_create() is True
    assert c.session_id_store.value


def test_session_create_with_wrong_password_raises(server):
    c = client(server, password="wrong-password", use_legacy_sessions=True)
    with pytest.raises(APIError):
        c.session_create()


def test_customer_session(server):
    c = client(server, user="cora", password="cora-password", customer_user=True, use_legacy_sessions=True)
    assert c.session_create()


def _create(root, title="PyOTRS ticket", **ticket_fields):
    ticket = Ticket.create_basic(Title=title, Queue="Misc", State="new", Priority="3 normal", CustomerUser="cora",
                                 **ticket_fields)
    article = Article({"Subject": "Hello", "Body": "Printer is on fire", "MimeType": "text/plain", "Charset": "UTF8"})
    attachment = Attachment.create_basic(Content="aGVsbG8gd29ybGQ=", ContentType="text/plain", Filename="hello.txt")
    fields = [DynamicField("Severity", value="high"), DynamicField("ExternalRef", value="CRM-42")]
    return root.ticket_create(ticket, article, attachments=[attachment], dynamic_fields=fields)


def test_ticket_create_and_get_by_id(root):
    created = _create(root)
    assert created["TicketID"] and created["TicketNumber"]
    ticket = root.ticket_get_by_id(int(created["TicketID"]), articles=True, attachments=True, dynamic_fields=True)
    assert ticket.field_get("Title") == "PyOTRS ticket"
    assert ticket.field_get("Queue") == "Misc"
    assert ticket.field_get("CustomerUserID") == "cora"
    assert ticket.field_get("CustomerID") == "ACME"
    assert ticket.dynamic_field_get("Severity").value == "high"
    assert ticket.dynamic_field_get("ExternalRef").value == "CRM-42"
    article = ticket.articles[0]
    assert article.field_get("Subject") == "Hello"
    assert article.field_get("Body") == "Printer is on fire"
    assert article.attachments[0].Filename == "hello.txt"
    assert article.attachments[0].Content == "aGVsbG8gd29ybGQ="


def test_ticket_with_service_and_sla(root):
    """A service must be one the customer user may use (its own, else the default services)."""
    created = root.ticket_create(Ticket({"Title": "mail is down", "Queue": "Misc", "State": "open",
                                         "Priority": "3 normal", "CustomerUser": "cora", "Service": "Email",
                                         "SLA": "Gold"}),
                                 Article({"Subject": "Mail", "Body": "No mail since 9:00", "MimeType": "text/plain",
                                          "Charset": "UTF8"}))
    ticket = root.ticket_get_by_id(int(created["TicketID"]))
    assert ticket.field_get("Service") == "Email"
    assert ticket.field_get("SLA") == "Gold"
    assert ticket.field_get("EscalationResponseTime") == 0  # Ticket::Service is off: the queue's times (none)
    assert created["TicketID"] in root.ticket_search(Services="Email", SLAs="Gold")

    # cora has a service of her own, so the default one is not hers; bob has none, so it is his.
    for customer, service, allowed in (("cora", "Phone", False), ("bob", "Email", False), ("bob", "Phone", True)):
        ticket = Ticket.create_basic(Title="service check", Queue="Misc", State="new", Priority="3 normal",
                                     CustomerUser=customer)
        ticket.fields["Service"] = service
        article = Article({"Subject": "x", "Body": "y", "MimeType": "text/plain", "Charset": "UTF8"})
        if allowed:
            assert root.ticket_create(ticket, article)["TicketID"]
        else:
            with pytest.raises(APIError, match="Ticket->ServiceID or Ticket->Service parameter is invalid!"):
                root.ticket_create(ticket, article)


def test_ticket_get_by_list_and_number(root):
    first = _create(root, title="list one")
    second = _create(root, title="list two")
    tickets = root.ticket_get_by_list([int(first["TicketID"]), int(second["TicketID"])])
    assert [t.field_get("Title") for t in tickets] == ["list one", "list two"]
    by_number = root.ticket_get_by_number(first["TicketNumber"])
    assert by_number.field_get("TicketID") == int(first["TicketID"])


def test_ticket_search_filters(root):
    marker = "searchable-" + datetime.datetime.now().strftime("%H%M%S%f")
    created = _create(root, title=marker)
    ids = root.ticket_search(Title=marker)
    assert ids == [created["TicketID"]]
    assert root.ticket_search(Title=marker, Queues="Junk") == []
    assert created["TicketID"] in root.ticket_search(Title=marker + "*", States=["new", "open"], Queues="Misc")
    assert created["TicketID"] in root.ticket_search(CustomerUserLogin="cora", StateType="new")
    assert root.ticket_search(Title=marker, States="no such state") == []
    newer = (datetime.datetime.utcnow() - datetime.timedelta(hours=1))
    assert created["TicketID"] in root.ticket_search(Title=marker, TicketCreateTimeNewerDate=newer)


def test_ticket_update_with_article_and_pending(root):
    created = _create(root, title="to update")
    ticket_id = int(created["TicketID"])
    note = Article({"Subject": "Update", "Body": "Replaced the toner", "MimeType": "text/plain", "Charset": "UTF8"})
    result = root.ticket_update(ticket_id, article=note, State="open", Priority="4 high",
                                dynamic_fields=[DynamicField("Severity", value="low")])
    assert result["TicketID"] == created["TicketID"]
    assert "ArticleID" in result
    ticket = root.ticket_get_by_id(ticket_id, articles=True, dynamic_fields=True)
    assert ticket.field_get("State") == "open"
    assert ticket.field_get("Priority") == "4 high"
    assert ticket.dynamic_field_get("Severity").value == "low"
    assert [a.field_get("Subject") for a in ticket.articles] == ["Hello", "Update"]
    pending = root.ticket_update_set_pending(ticket_id, new_state="pending reminder", pending_days=2)
    assert pending["TicketID"] == created["TicketID"]
    assert root.ticket_get_by_id(ticket_id).field_get("State") == "pending reminder"


def test_ticket_history(root):
    created = _create(root, title="with history")
    root.ticket_update(int(created["TicketID"]), State="open")
    history = root.ticket_history_get_by_id(int(created["TicketID"]))
    kinds = [entry["HistoryType"] for entry in history["History"]]
    assert kinds[0] == "NewTicket"
    assert "CustomerUpdate" in kinds
    assert "StateUpdate" in kinds


def test_customer_sees_only_own_tickets(server, root):
    mine = _create(root, title="cora's ticket")
    cora = client(server, user="cora", password="cora-password", customer_user=True, use_legacy_sessions=True)
    assert cora.session_create()
    assert mine["TicketID"] in cora.ticket_search(Title="cora's ticket")
    bob = client(server, user="bob", password="bob-password", customer_user=True, use_legacy_sessions=True)
    assert bob.session_create()
    assert bob.ticket_search(Title="cora's ticket") == []
