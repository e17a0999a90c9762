"""Raw HTTP against the Znuny REST face: error paths, header credentials, the seed's curl example."""
import json

import requests

BASE = "/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST"


def url(server, path, base=BASE):
    return server.base + base + path


def root_login(server):
    return {"UserLogin": "root@localhost", "Password": server.root_password}


def ticket_payload(server, **overrides):
    payload = dict(root_login(server))
    payload["Ticket"] = {"Title": "raw", "Queue": "Misc", "State": "new", "Priority": "3 normal",
                         "CustomerUser": "cora"}
    payload["Article"] = {"Subject": "raw", "Body": "raw body", "ContentType": "text/plain; charset=utf8"}
    payload.update(overrides)
    return payload


def test_create_answers_strings_and_numbers_like_znuny(server):
    r = requests.post(url(server, "/Ticket"), json=ticket_payload(server))
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/json; charset=UTF-8"
    body = r.json()
    assert isinstance(body["TicketID"], str)
    assert isinstance(body["TicketNumber"], str)
    assert isinstance(body["ArticleID"], int)
    # An article whose sender is `customer` gets its id as text (Perl compared it with `eq`).
    customer_article = {"Subject": "raw", "Body": "raw body", "SenderType": "customer",
                        "ContentType": "text/plain; charset=utf8"}
    r = requests.post(url(server, "/Ticket"), json=ticket_payload(server, Article=customer_article))
    assert r.json()["ArticleID"].isdigit(), r.text


def test_missing_credentials_and_bad_values(server):
    r = requests.post(url(server, "/Ticket"), json={"Ticket": {}, "Article": {}})
    assert r.json() == {"Error": {"ErrorCode": "TicketCreate.MissingParameter",
                                  "ErrorMessage": "TicketCreate: UserLogin, CustomerUserLogin or SessionID is required!"}}
    bad = ticket_payload(server)
    bad["Ticket"]["Priority"] = "urgent"
    r = requests.post(url(server, "/Ticket"), json=bad)
    assert r.json()["Error"] == {"ErrorCode": "TicketCreate.InvalidParameter",
                                 "ErrorMessage": "TicketCreate: Ticket->PriorityID or Ticket->Priority parameter is invalid!"}
    r = requests.post(url(server, "/Ticket"), json=ticket_payload(server, Password="wrong"))
    assert r.json()["Error"]["ErrorCode"] == "TicketCreate.AuthFail"


def test_transport_errors_are_plain_text(server):
    r = requests.post(url(server, "/Ticket"), data="{broken", headers={"Content-Type": "application/json"})
    assert r.status_code == 500
    assert r.headers["Content-Type"] == "text/plain; charset=UTF-8"
    assert r.text == "Error while decoding request content."
    r = requests.post(url(server, "/Ticket"), data="[]", headers={"Content-Type": "application/json"})
    assert r.text == "Unsupported request content structure."
    r = requests.put(url(server, "/Nowhere"))
    assert r.status_code == 500
    assert r.text == "HTTP::REST Error while determine Operation for request URI '/Nowhere'."


def test_get_with_query_credentials_and_access_denied(server):
    r = requests.get(url(server, "/Ticket/1"), params=root_login(server))
    assert r.json()["Ticket"][0]["TicketID"] == 1
    r = requests.get(url(server, "/Ticket/987654"), params=root_login(server))
    assert r.json()["Error"]["ErrorCode"] == "TicketGet.AccessDenied"
    r = requests.get(url(server, "/Ticket/1"), params={"UserLogin": "reader", "Password": "wrong"})
    assert r.json()["Error"] == {"ErrorCode": "TicketGet.AuthFail", "ErrorMessage": "TicketGet: Authorization failing!"}


def test_x_otrs_header_credentials(server):
    headers = {"X-OTRS-Header-UserLogin": "root@localhost", "X-OTRS-Header-Password": server.root_password}
    r = requests.get(url(server, "/Ticket/1"), headers=headers)
    assert r.json()["Ticket"][0]["Title"] == "Znuny says hi!"
    session = requests.post(url(server, "/Session"), json=root_login(server)).json()["SessionID"]
    r = requests.get(url(server, "/Ticket/1"), headers={"X-OTRS-Header-SessionID": session})
    assert r.json()["Ticket"][0]["TicketID"] == 1
    # REST.pm lays the headers over the request's data: the query's login is replaced.
    r = requests.get(url(server, "/Ticket/1"), headers=headers, params={"UserLogin": "someone-else"})
    assert r.json()["Ticket"][0]["TicketID"] == 1


def test_impersonation_needs_admin(server):
    headers = {"X-OTRS-Header-UserLogin": "reader", "X-OTRS-Header-Password": "reader-password",
               "X-OTRS-Header-ImpersonateAsUser": "root@localhost"}
    r = requests.get(url(server, "/Ticket/1"), headers=headers)
    assert r.json()["Error"]["ErrorCode"] == "TicketGet.AuthFail"
    headers = {"X-OTRS-Header-UserLogin": "root@localhost", "X-OTRS-Header-Password": server.root_password,
               "X-OTRS-Header-ImpersonateAsUser": "reader"}
    r = requests.get(url(server, "/Ticket/1"), headers=headers)
    assert r.json()["Ticket"][0]["TicketID"] == 1


def test_reader_cannot_create(server):
    payload = ticket_payload(server, UserLogin="reader", Password="reader-password")
    r = requests.post(url(server, "/Ticket"), json=payload)
    assert r.json()["Error"] == {"ErrorCode": "TicketCreate.AccessDenied",
                                 "ErrorMessage": "TicketCreate: Can not create tickets in given Queue or QueueID!"}


def test_seed_curl_example_search_route(server):
    # curl -X POST .../nph-genericinterface.pl/Webservice/Ticket/search -d '{...}'
    body = {"UserLogin": "root@localhost", "Password": server.root_password, "Title": "Znuny says hi!"}
    r = requests.post(server.base + "/otrs/nph-genericinterface.pl/Webservice/Ticket/search", data=json.dumps(body),
                      headers={"Content-Type": "application/json"})
    assert r.status_code == 200
    assert r.json() == {"TicketID": ["1"]}
    r = requests.post(server.base + "/znuny/nph-genericinterface.pl/Webservice/Ticket/search", json=dict(body, Title="none-such"))
    assert r.json() == {}


def test_oversized_body_is_413(server):
    r = requests.post(url(server, "/Ticket"), data=b"x" * (33 * 1024 * 1024), headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert r.text == "Request Entity Too Large"


def test_oversized_chunked_body_is_413_with_the_same_text(server):
    # No Content-Length: the limit is met while the body is read, and answered as a declared one is.
    def chunks():
        for _ in range(33):
            yield b"x" * (1024 * 1024)
    r = requests.post(url(server, "/Ticket"), data=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert r.headers["Content-Type"].startswith("text/plain")
    assert r.text == "Request Entity Too Large"
