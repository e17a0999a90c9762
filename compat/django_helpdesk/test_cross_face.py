"""One desk, two faces: tickets made through the django-helpdesk REST API are Znuny tickets and the
other way round (the Znuny REST face called as compat/znuny/test_raw_requests.py calls it)."""
from znunyrest import znuny_create, znuny_search_title, znuny_ticket_get, znuny_update

from .djhdutil import QUEUE_LINE, all_tickets, create_ticket, get, ticket, unique

OTHER_FACE_OFFSET = 1000000000


def test_rest_ticket_is_found_by_znuny(server):
    """Contract: a POST /api/tickets/ ticket is a Znuny ticket: TicketSearch by Title, TicketGet Title and first article Body."""
    title = unique("djhd cross")
    t = create_ticket(server, title=title, description="Seen from Znuny.\nSecond line.")
    got = znuny_ticket_get(server, znuny_search_title(server, title))
    assert got["Title"] == title
    assert got["Article"][0]["Body"] == "Seen from Znuny.\nSecond line."
    assert len(got["Article"]) == len(t["followup_set"]) == 1


def test_znuny_note_shows_up_as_followup(server):
    """Contract: a Znuny TicketUpdate article (visible to the customer by default) → a public follow-up with that comment."""
    t = create_ticket(server)
    znuny_update(server, znuny_search_title(server, t["title"]),
                 Article={"Subject": "note", "Body": "Answered from Znuny", "ContentType": "text/plain; charset=utf8"})
    followups = ticket(server, t["id"])["followup_set"]
    assert len(followups) == 2
    assert followups[0]["id"] == t["followup_set"][0]["id"]
    note = followups[1]
    assert (note["comment"], note["public"]) == ("Answered from Znuny", True)
    assert note["ticket"] == t["id"]
    assert note["user"] == t["followup_set"][0]["user"]  # both written by root@localhost
    assert note["email_recipients"] == []


def test_znuny_internal_note_is_private(server):
    """Assumption (mapping of Znuny's IsVisibleForCustomer): an internal Znuny note is a follow-up with `public: false`."""
    t = create_ticket(server)
    znuny_update(server, znuny_search_title(server, t["title"]),
                 Article={"Subject": "internal", "Body": "Only for agents", "ContentType": "text/plain; charset=utf8",
                          "IsVisibleForCustomer": 0})
    note = ticket(server, t["id"])["followup_set"][1]
    assert (note["comment"], note["public"]) == ("Only for agents", False)


def test_znuny_ticket_in_a_known_queue(server):
    """Contract: a ticket another face creates in a queue this face knows appears with id 1000000000 + its SwiftDesk id."""
    probe = create_ticket(server)
    queue_name = znuny_ticket_get(server, znuny_search_title(server, probe["title"]))["Queue"]
    title = unique("from Znuny")
    znuny_id = int(znuny_create(server, queue_name, title, "made by Znuny")["TicketID"])
    face_id = OTHER_FACE_OFFSET + znuny_id
    t = ticket(server, face_id)
    assert (t["id"], t["title"], t["queue"]) == (face_id, title, server.djhd_queue_support)
    assert t["followup_set"][0]["comment"] == "made by Znuny"
    assert face_id in [x["id"] for x in all_tickets(server)["results"]]


def test_queue_mapping_exposes_an_existing_queue(server):
    """Contract CLI: `djhd queue add --queue NAME` maps an existing SwiftDesk queue; its tickets (old and new) appear."""
    before_title = unique("misc before")
    before = int(znuny_create(server, "Misc", before_title, "before the mapping")["TicketID"])
    assert get(server, f"tickets/{OTHER_FACE_OFFSET + before}/").status_code == 404
    out = server.cli("djhd", "queue", "add", "--queue", "Misc", "--title", "Misc", "--slug", "misc")
    match = QUEUE_LINE.search(out)
    assert match and match.group(2, 3) == ("Misc", "misc"), out
    misc_id = int(match.group(1))
    assert misc_id not in (server.djhd_queue_support, server.djhd_queue_billing)
    assert (misc_id, "Misc", "misc") in {(int(m.group(1)), m.group(2), m.group(3))
                                        for m in QUEUE_LINE.finditer(server.cli("djhd", "queue", "list"))}
    old = ticket(server, OTHER_FACE_OFFSET + before)
    assert (old["title"], old["queue"]) == (before_title, misc_id)
    after_title = unique("misc after")
    after = int(znuny_create(server, "Misc", after_title, "after the mapping")["TicketID"])
    assert ticket(server, OTHER_FACE_OFFSET + after)["title"] == after_title
    made_here = create_ticket(server, queue=misc_id)
    assert made_here["id"] < OTHER_FACE_OFFSET
    assert znuny_ticket_get(server, znuny_search_title(server, made_here["title"]))["Queue"] == "Misc"
