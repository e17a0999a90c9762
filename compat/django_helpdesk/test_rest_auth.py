"""DRF authentication and permissions of the django-helpdesk face: Token → Session → Basic, so missing
or bad credentials are 401 with `WWW-Authenticate: Token`, staff-only endpoints answer 403 to
customers (brief §2, §3; spec §E)."""
import base64

import pytest

from .djhdutil import (
    AUTH_MISSING, DETAIL_ALLOW, LIST_ALLOW, NO_PERMISSION, TOKEN_LINE, assert_exact, assert_json, basic_headers,
    create_ticket, customer_auth, get, options, post, put, token_headers, unique,
)

MISSING_TEXT = '{"detail":"Authentication credentials were not provided."}'


def assert_401(r, text, vary):
    assert_exact(r, 401, text)
    assert r.headers.get("WWW-Authenticate") == "Token"
    assert r.headers.get("Vary") == vary


def test_no_credentials(server):
    """brief §3 / §1: no Authorization → 401 `Authentication credentials were not provided.`, Token challenge, Vary with Cookie."""
    r = get(server, "tickets/", auth=None)
    assert_401(r, MISSING_TEXT, "Accept, Cookie")
    assert r.headers.get("Allow") == LIST_ALLOW


def test_bearer_counts_as_no_credentials(server):
    """brief §3: an unrecognised scheme (`Bearer <key>`) is no credentials at all."""
    r = get(server, "tickets/", auth=token_headers(server.djhd_token, keyword="Bearer"))
    assert_401(r, MISSING_TEXT, "Accept, Cookie")


@pytest.mark.parametrize("header, detail", [
    ("Token", "Invalid token header. No credentials provided."),
    ("Token a b", "Invalid token header. Token string should not contain spaces."),
    ("Token " + "0" * 40, "Invalid token."),
    ("token " + "f" * 40, "Invalid token."),
    # requests sends a str header as Latin-1; bytes that are no UTF-8 fail DRF's decode().
    ("Token \u00e9\u00e9", "Invalid token header. Token string should not contain invalid characters."),
])
def test_bad_token_headers(server, header, detail):
    """brief §3: malformed or unknown tokens → 401 with DRF's exact texts; Vary without Cookie (brief §1)."""
    r = get(server, "tickets/", auth={"Authorization": header})
    assert_401(r, '{"detail":"%s"}' % detail, "Accept")


@pytest.mark.parametrize("keyword", ["Token", "token", "TOKEN"])
def test_token_keyword_is_case_insensitive(server, keyword):
    """brief §3 / spec §E: the keyword `token` is case-insensitive; a valid token answers 200 with `Vary: Accept`."""
    r = get(server, "tickets/", auth=token_headers(server.djhd_token, keyword=keyword))
    assert_json(r, 200)
    assert r.headers.get("Vary") == "Accept"


@pytest.mark.parametrize("header, detail", [
    ("Basic", "Invalid basic header. No credentials provided."),
    ("Basic a b", "Invalid basic header. Credentials string should not contain spaces."),
    ("Basic !!!not-base64!!!", "Invalid basic header. Credentials not correctly base64 encoded."),
    ("Basic " + base64.b64encode(b"no-colon-here").decode(), "Invalid basic header. Credentials not correctly base64 encoded."),
])
def test_malformed_basic_headers(server, header, detail):
    """brief §3: malformed Basic headers → 401 with DRF's texts, still challenged with `Token`."""
    r = get(server, "tickets/", auth={"Authorization": header})
    assert_401(r, '{"detail":"%s"}' % detail, "Accept, Cookie")


@pytest.mark.parametrize("login, password", [
    ("root@localhost", "wrong-password"),
    ("nobody-at-all", "whatever"),
    ("cora", "not-coras-password"),
])
def test_wrong_basic_credentials(server, login, password):
    """brief §3 / spec §E: wrong password and unknown user alike → `Invalid username/password.`"""
    r = get(server, "tickets/", auth=basic_headers(login, password))
    assert_401(r, '{"detail":"Invalid username/password."}', "Accept, Cookie")


@pytest.mark.parametrize("who", ["root", "olga", "reader"])
def test_basic_auth_for_agents(server, who):
    """Contract / spec §B.1: Basic auth takes agent logins; agents are staff and may list tickets."""
    password = {"root": server.root_password, "olga": "olga-password", "reader": "reader-password"}[who]
    login = "root@localhost" if who == "root" else who
    r = get(server, "tickets/", auth=basic_headers(login, password))
    assert_json(r, 200)
    assert r.headers.get("Vary") == "Accept, Cookie"
    assert list(r.json()) == ["count", "next", "previous", "results"]


def test_customer_is_not_staff(server):
    """brief §3: a customer (non-staff) gets 403 `You do not have permission…` on every staff endpoint, token or Basic."""
    existing = create_ticket(server)["id"]
    for auth in (customer_auth(server), basic_headers("cora", "cora-password")):
        for path in ("tickets/", f"tickets/{existing}/", "followups/", "followups-attachments/"):
            r = get(server, path, auth=auth)
            assert_exact(r, 403, '{"detail":"You do not have permission to perform this action."}')
            assert r.headers.get("Allow") == (DETAIL_ALLOW if path.startswith("tickets/") and path != "tickets/"
                                              else LIST_ALLOW)
            assert "WWW-Authenticate" not in r.headers


def test_permission_comes_before_lookup(server):
    """brief §3: non-staff GET of an unknown ticket id → 403, not 404."""
    r = get(server, "tickets/987654321/", auth=customer_auth(server))
    assert_json(r, 403, NO_PERMISSION)
    assert r.headers.get("Allow") == DETAIL_ALLOW


def test_customer_cannot_create_tickets(server):
    """brief §3: POST /api/tickets/ as a customer → 403 (nothing created)."""
    body = {"queue": server.djhd_queue_support, "title": unique("nope"), "description": "x", "priority": 3}
    r = post(server, "tickets/", body, auth=customer_auth(server))
    assert_json(r, 403, NO_PERMISSION)


def test_customer_may_read_user_tickets(server):
    """brief §3: `user_tickets` only needs an authenticated user (token or Basic)."""
    assert_json(get(server, "user_tickets/", auth=customer_auth(server)), 200)
    assert_json(get(server, "user_tickets/", auth=basic_headers("cora", "cora-password")), 200)
    assert_json(get(server, "user_tickets/", auth=None), 401, AUTH_MISSING)


def test_authentication_comes_before_method_check(server):
    """brief §2 step 4: unauthenticated PUT on a list → 401, not 405."""
    r = put(server, "tickets/", {}, auth=None)
    assert_json(r, 401, AUTH_MISSING)


def test_options_needs_the_same_auth(server):
    """brief §11: OPTIONS needs the same authentication and permission as GET."""
    assert_json(options(server, "tickets/", auth=None), 401, AUTH_MISSING)
    assert_json(options(server, "tickets/", auth=customer_auth(server)), 403, NO_PERMISSION)


def test_reader_is_staff_without_add_user(server):
    """brief §3: an ro agent is staff (lists tickets) but lacks `auth.add_user` → 403 on POST /api/users/."""
    auth = token_headers(server.djhd_reader_token)
    assert_json(get(server, "tickets/", auth=auth), 200)
    body = {"username": unique("u"), "password": "pw-12345", "email": "x@example.org"}
    assert_json(post(server, "users/", body, auth=auth), 403, NO_PERMISSION)


def test_api_root_needs_no_auth_but_rejects_bad_tokens(server):
    """brief §3 / §12: the root is AllowAny, yet a bad token still → 401 `Invalid token.`"""
    assert_json(get(server, "", auth=None), 200)
    r = get(server, "", auth=token_headers("0" * 40))
    assert_401(r, '{"detail":"Invalid token."}', "Accept")


def test_token_create_and_revoke(server):
    """Contract CLI: `djhd token create` prints `Token: <40 hex>`; the token works until `djhd token revoke`."""
    out = server.cli("djhd", "token", "create", "--login", "olga")
    match = TOKEN_LINE.search(out)
    assert match, out
    auth = token_headers(match.group(1))
    assert_json(get(server, "tickets/", auth=auth), 200)
    server.cli("djhd", "token", "revoke", "--login", "olga")
    assert_401(get(server, "tickets/", auth=auth), '{"detail":"Invalid token."}', "Accept")


def test_token_create_for_unknown_login_fails(server):
    """Contract CLI: a token for a login that is neither agent nor customer user is refused (non-zero exit)."""
    with pytest.raises(RuntimeError):
        server.cli("djhd", "token", "create", "--login", unique("ghost"))
