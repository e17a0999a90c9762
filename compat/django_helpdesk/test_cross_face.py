"""One desk, two faces: tickets made through the django-helpdesk REST API are Znuny tickets and the
other way round (the Znuny REST face called as compat/znuny/test_raw_requests.py calls it)."""
import requests

from .djhdutil import (
    QUEUE_LINE, all_tickets, create_ticket, get, ticket, unique, znuny_login, znuny_url,
)

OTHER_FACE_OFFSET = 1000000000


def znuny_search_title(server, title):
    """TicketSearch by Title; the one TicketID found (a string, as Znuny answers)."""
    params = dict(znuny_login(server), Title=title)
    answer = requests.get(znuny_url(server, "/Ticket"), params=params, timeout=30).json()
    assert answer.get("TicketID") and len(answer["TicketID"]) == 1, answer
    return answer["TicketID"][0]


def znuny_ticket_get(server, ticket_id):
    params = dict(znuny_login(server), AllArticles=1)
    answer = requests.get(znuny_url(server, f"/Ticket/{ticket_id}"), params=params, timeout=30).json()
    assert "Error" not in answer, answer
    return answer["Ticket"][0]


def znuny_update(server, ticket_id, **body):
    answer = requests.patch(znuny_url(server, f"/Ticket/{ticket_id}"), json=dict(znuny_login(server), **body),
                            timeout=30).json()
    assert "Error" not in answer, answer
    return answer


def znuny_create(server, queue, title, body):
    payload = dict(znuny_login(server),
                   Ticket={"Title": title, "Queue": queue, "State": "new", "Priority": "3 normal", "CustomerUser": "cora"},
                   Article={"Subject": title, "Body": body, "ContentType": "text/plain; charset=utf8"})
    created = requests.post(znuny_url(server, "/Ticket"), json=payload, timeout=30).json()
    assert "Error" not in created, created
    return int(created["TicketID"])


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
    znuny_id = znuny_create(server, queue_name, title, "made by Znuny")
    face_id = OTHER_FACE_OFFSET + znuny_id
    t = ticket(server, face_id)
    assert (t["id"], t["title"], t["queue"]) == (face_id, title, server.djhd_queue_support)
    assert t["followup_set"][0]["comment"] == "made by Znuny"
    assert face_id in [x["id"] for x in all_tickets(server)["results"]]


def test_queue_mapping_exposes_an_existing_queue(server):
    """Contract CLI: `djhd queue add --queue NAME` maps an existing SwiftDesk queue; its tickets (old and new) appear."""
    before_title = unique("misc before")
    before = znuny_create(server, "Misc", before_title, "before the mapping")
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
    after = znuny_create(server, "Misc", after_title, "after the mapping")
    assert ticket(server, OTHER_FACE_OFFSET + after)["title"] == after_title
    made_here = create_ticket(server, queue=misc_id)
    assert made_here["id"] < OTHER_FACE_OFFSET
    assert znuny_ticket_get(server, znuny_search_title(server, made_here["title"]))["Queue"] == "Misc"
