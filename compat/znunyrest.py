"""The Znuny REST face as the other faces' suites call it for cross-face checks (the way
compat/znuny/test_raw_requests.py calls it): one desk, so a ticket made through any face is a Znuny
ticket too. Every helper asserts that Znuny answered without an `Error`."""
import requests

ZNUNY_REST = "/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST"
TIMEOUT = 30


def znuny_url(server, path):
    return server.base + ZNUNY_REST + path


def root_login(server):
    return {"UserLogin": "root@localhost", "Password": server.root_password}


def _checked(answer):
    assert "Error" not in answer, answer
    return answer


def znuny_search_one(server, **criteria):
    """TicketSearch with the given criteria; the one TicketID found (a string, as Znuny answers)."""
    params = dict(root_login(server), **criteria)
    answer = requests.get(znuny_url(server, "/Ticket"), params=params, timeout=TIMEOUT).json()
    assert answer.get("TicketID") and len(answer["TicketID"]) == 1, answer
    return answer["TicketID"][0]


def znuny_search_title(server, title):
    """The one ticket with this title. Title is a QueryCondition expression in Znuny: `\\`
    escapes the characters it would read as operators (`& | ( )` and `\\` itself)."""
    escaped = "".join("\\" + c if c in "\\&|()" else c for c in title)
    return znuny_search_one(server, Title=escaped)


def znuny_ticket_get(server, ticket_id, **params):
    """TicketGet with all articles (plus any extra parameters); the one ticket."""
    params = dict(root_login(server), AllArticles=1, **params)
    answer = requests.get(znuny_url(server, f"/Ticket/{ticket_id}"), params=params, timeout=TIMEOUT).json()
    return _checked(answer)["Ticket"][0]


def znuny_update(server, ticket_id, **body):
    payload = dict(root_login(server), **body)
    return _checked(requests.patch(znuny_url(server, f"/Ticket/{ticket_id}"), json=payload, timeout=TIMEOUT).json())


def znuny_create(server, queue, title, body, customer_user="cora"):
    """TicketCreate in `queue` with one plain-text article; Znuny's answer (TicketID, TicketNumber, ArticleID)."""
    payload = dict(root_login(server),
                   Ticket={"Title": title, "Queue": queue, "State": "new", "Priority": "3 normal",
                           "CustomerUser": customer_user},
                   Article={"Subject": title, "Body": body, "ContentType": "text/plain; charset=utf8"})
    return _checked(requests.post(znuny_url(server, "/Ticket"), json=payload, timeout=TIMEOUT).json())
