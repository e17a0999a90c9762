"""One desk, two faces: tickets made through the osTicket API are Znuny tickets and the other way
round (the Znuny REST face as compat/znuny/test_raw_requests.py calls it)."""
from osticketutil import NUMBER, create, email_address, entries, mail, post_email, reply, ticket, unique, znuny_ticket_id
from znunyrest import znuny_create, znuny_ticket_get, znuny_update


def test_osticket_ticket_is_found_by_znuny(server):
    """§2 → Znuny: TicketSearch by the 201 number; TicketGet shows number, customer and body."""
    number, sent = create(server, subject=unique("cross"), message="Seen from both faces.")
    ticket_id = znuny_ticket_id(server, number)
    got = znuny_ticket_get(server, ticket_id)
    assert got["TicketNumber"] == number
    assert got["Title"] == sent["subject"]
    assert got["CustomerUserID"] == sent["email"]
    assert got["Article"][0]["Body"] == "Seen from both faces."


def test_znuny_note_shows_up_as_response(server):
    """Znuny TicketUpdate article visible to the customer → an R entry in ticketInfo (§6.1)."""
    number, _ = create(server)
    znuny_update(server, znuny_ticket_id(server, number),
                 Article={"Subject": "note", "Body": "Answered from Znuny", "ContentType": "text/plain; charset=utf8"})
    models = entries(ticket(server, number))
    assert [m["type"] for m in models] == ["M", "R"]
    assert "Answered from Znuny" in models[1]["body"]


def test_znuny_internal_note_shows_up_as_note(server):
    """Znuny article with IsVisibleForCustomer 0 → an N entry (§6.1 types)."""
    number, _ = create(server)
    znuny_update(server, znuny_ticket_id(server, number),
                 Article={"Subject": "internal", "Body": "Only for agents", "ContentType": "text/plain; charset=utf8",
                          "IsVisibleForCustomer": 0})
    models = entries(ticket(server, number))
    assert [m["type"] for m in models] == ["M", "N"]
    assert "Only for agents" in models[1]["body"]


def test_extension_reply_is_a_znuny_article(server):
    """§6.4 → Znuny: a reply.json answer is an article of the ticket."""
    number, _ = create(server)
    r = reply(server, {"ticketNumber": number, "staffUserName": "root@localhost", "response": "Reply via extension"})
    assert r.status_code == 200, r.text
    articles = znuny_ticket_get(server, znuny_ticket_id(server, number))["Article"]
    assert len(articles) == 2
    assert "Reply via extension" in articles[1]["Body"]


def test_email_ticket_is_found_by_znuny(server):
    """§4 → Znuny: a piped mail's ticket has the sender as customer."""
    address = email_address("crossmail")
    r = post_email(server, mail(f"Cross Mail <{address}>", unique("crossmail"), "mail body\n"))
    assert r.status_code == 201 and NUMBER.fullmatch(r.text), (r.status_code, r.text)
    number = r.text
    got = znuny_ticket_get(server, znuny_ticket_id(server, number))
    assert got["TicketNumber"] == number
    assert got["CustomerUserID"] == address


def test_znuny_ticket_is_seen_by_ticket_info(server):
    """Znuny → §6.1: a ticket made by Znuny TicketCreate answers ticketInfo by its number."""
    title = unique("from Znuny")
    created = znuny_create(server, "Misc", title, "made by Znuny")
    t = ticket(server, created["TicketNumber"])
    assert t["ticket_number"] == created["TicketNumber"]
    assert t["subject"] == title
    assert t["user_email"]["email"] == "cora@example.org"
    assert "made by Znuny" in entries(t)[0]["body"]
