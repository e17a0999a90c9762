"""Access control in WHMCS 8's order (brief §2): the access key or the IP allow-list, then the
credentials (identifier/secret, the pair in username/password, or username + MD5 hex), then the
action. Every refusal is HTTP 403 with the normal envelope, rendered in the *raw* responsetype
(exactly `json`/`xml`, anything else NVP); `Empty action request` is 400 (brief §1.6)."""
import pytest
import requests

from .whmcsutil import (
    JSON_TYPE, NVP_TYPE, XML_TYPE, assert_error, call, credentials, md5hex, ok, open_ticket, url, xml_document,
)

ELSEWHERE = "203.0.113.7"


def test_identifier_and_secret(server):
    body = ok(server, "GetSupportDepartments")
    assert body["totalresults"] >= 1


def test_pair_in_the_legacy_fields(server):
    """[D authentication]: `username` = identifier, `password` = secret is accepted."""
    assert ok(server, "GetSupportDepartments", auth="legacy")["result"] == "success"


def test_admin_username_with_md5_of_the_password(server):
    """pywhmcs/pywhmcs7's login: the admin's username and the lower-case MD5 hex of its password."""
    assert ok(server, "GetSupportDepartments", auth="admin")["result"] == "success"


def test_wrong_secret(server):
    auth = {"identifier": server.whmcs_identifier, "secret": "not-the-secret"}
    assert_error(call(server, "GetTickets", auth=auth), "Authentication Failed", 403)


@pytest.mark.parametrize("auth", [
    {"identifier": "UnknownIdentifier0000000000000000", "secret": "whatever"},
    {"identifier": "only-an-identifier"},
    {"identifier": "only-an-identifier", "secret": ""},
], ids=["unknown", "no-secret", "empty-secret"])
def test_invalid_or_missing_credentials(server, auth):
    assert_error(call(server, "GetTickets", auth=auth), "Invalid or missing credentials", 403)


def test_revoked_credential(server):
    """`whmcs credential revoke` makes the pair unknown."""
    auth = {"identifier": server.whmcs_revoked_identifier, "secret": server.whmcs_revoked_secret}
    assert_error(call(server, "GetTickets", auth=auth), "Invalid or missing credentials", 403)


def test_admin_login_with_a_plain_password(server):
    """Brief §2.4: a `password` that is not 32 hex digits → `Invalid password provided`."""
    auth = {"username": server.whmcs_admin_login, "password": server.whmcs_admin_password}
    assert_error(call(server, "GetTickets", auth=auth), "Invalid password provided", 403)


def test_admin_login_with_a_wrong_md5(server):
    auth = {"username": server.whmcs_admin_login, "password": md5hex("wrong password")}
    assert_error(call(server, "GetTickets", auth=auth), "Authentication Failed", 403)


def test_unknown_username(server):
    auth = {"username": "nobody-here", "password": md5hex("x")}
    assert_error(call(server, "GetTickets", auth=auth), "Authentication Failed", 403)


def test_admin_login_is_only_for_agents_given_it(server):
    """An agent without `whmcs credential admin-login` cannot log in with username + md5."""
    auth = {"username": server.whmcs_agent_login, "password": md5hex("wanda-password")}
    assert_error(call(server, "GetTickets", auth=auth), "Authentication Failed", 403)


def test_no_credentials(server):
    assert_error(call(server, "GetTickets", auth="none"), "Authentication Failed", 403)


def test_auth_errors_in_xml_have_an_empty_version(server):
    r = call(server, "GetTickets", "xml", auth={"identifier": server.whmcs_identifier, "secret": "bad"})
    assert r.status_code == 403
    assert r.headers["Content-Type"] == XML_TYPE
    assert r.text == xml_document("GetTickets", [("result", "error"), ("message", "Authentication Failed")], version="")


@pytest.mark.parametrize("responsetype", [None, "JSON", "Xml", "nvp", "foo"])
def test_auth_errors_use_the_raw_responsetype(server, responsetype):
    """Brief §1.2: before the format is resolved, only exactly `json`/`xml` count; the rest is NVP."""
    r = call(server, "GetTickets", responsetype, auth="none")
    assert r.status_code == 403
    assert r.headers["Content-Type"] == NVP_TYPE
    assert r.text == "result=error;message=Authentication Failed"


def test_responsetype_is_case_insensitive_once_authenticated(server):
    r = call(server, "GetSupportStatuses", "JSON")
    assert r.status_code == 200 and r.headers["Content-Type"] == JSON_TYPE


# --- access key and IP allow-list ---------------------------------------------------------------

def test_invalid_ip(server):
    """A caller outside the allow-list (default 127.0.0.1 and ::1): `Invalid IP <ip>`, 403."""
    r = call(server, "GetTickets", headers={"X-Forwarded-For": ELSEWHERE})
    assert_error(r, f"Invalid IP {ELSEWHERE}", 403)


def test_invalid_ipv6_is_shown_verbatim(server):
    address = "2405:201:2023:685c:111f:4195:bb4a:3575"
    r = call(server, "GetTickets", "xml", headers={"X-Forwarded-For": address})
    assert r.status_code == 403
    # IP errors echo the raw action (brief §1.4), not the normalised one.
    assert r.text == xml_document("GetTickets", [("result", "error"), ("message", f"Invalid IP {address}")], version="")


def test_ip_check_comes_before_the_credentials(server):
    r = call(server, "GetTickets", auth="none", headers={"X-Forwarded-For": ELSEWHERE})
    assert_error(r, f"Invalid IP {ELSEWHERE}", 403)


def test_allow_list_takes_cidr_blocks(server):
    """`whmcs allow-ip add 198.51.100.0/24`: an address in the block may call."""
    r = call(server, "GetSupportStatuses", headers={"X-Forwarded-For": "198.51.100.23"})
    assert r.status_code == 200 and r.json()["result"] == "success", r.text


def test_access_key_skips_the_ip_check(server):
    r = call(server, "GetSupportStatuses", accesskey=server.whmcs_access_key, headers={"X-Forwarded-For": ELSEWHERE})
    assert r.status_code == 200 and r.json()["result"] == "success", r.text


def test_access_key_does_not_replace_the_credentials(server):
    r = call(server, "GetSupportStatuses", auth="none", accesskey=server.whmcs_access_key,
             headers={"X-Forwarded-For": ELSEWHERE})
    assert_error(r, "Authentication Failed", 403)


def test_wrong_access_key_even_from_an_allowed_address(server):
    """Brief §2.2: a key is configured and a non-empty `accesskey` is sent → it must match."""
    r = call(server, "GetTickets", accesskey="wrong-key")
    assert_error(r, "Invalid Access Key", 403)
    r = call(server, "GetTickets", "xml", accesskey="wrong-key", headers={"X-Forwarded-For": ELSEWHERE})
    assert r.status_code == 403
    assert r.text == xml_document("GetTickets", [("result", "error"), ("message", "Invalid Access Key")], version="")


def test_empty_access_key_falls_back_to_the_allow_list(server):
    assert ok(server, "GetSupportStatuses", accesskey="")["result"] == "success"
    r = call(server, "GetTickets", accesskey="", headers={"X-Forwarded-For": ELSEWHERE})
    assert_error(r, f"Invalid IP {ELSEWHERE}", 403)


# --- the action ---------------------------------------------------------------------------------

def test_empty_action(server):
    """Brief §1.6: no `action` with valid credentials → 400 `Empty action request`."""
    assert_error(call(server, None), "Empty action request", 400)
    assert_error(call(server, ""), "Empty action request", 400)
    assert_error(call(server, "", "xml"), "Empty action request", 400, fmt="xml", action="")
    assert_error(call(server, None, None), "Empty action request", 400, fmt="nvp")


def test_empty_action_with_bad_credentials_is_an_auth_error(server):
    assert_error(call(server, None, auth="none"), "Authentication Failed", 403)


def test_unknown_action_with_an_api_credential(server):
    """Brief §2.6: identifier/secret → 403 `Invalid API Action: "<action>" is not a valid API action`."""
    r = call(server, "GetClients")
    assert_error(r, 'Invalid API Action: "getclients" is not a valid API action', 403)
    assert '\\u0022getclients\\u0022' in r.text  # JSON_HEX_QUOT
    r = call(server, "GetClients", None, auth="legacy")
    assert_error(r, 'Invalid API Action: "getclients" is not a valid API action', 403, fmt="nvp")


def test_unknown_action_with_an_admin_login(server):
    """Brief §2.6: username + md5 → 200 `API Function Not Found`."""
    assert_error(call(server, "GetClients", auth="admin"), "API Function Not Found", 200)
    assert_error(call(server, "GetClients", "xml", auth="admin"), "API Function Not Found", 200, fmt="xml",
                 action="getclients")


@pytest.mark.parametrize("spelling", ["getsupportstatuses", "GETSUPPORTSTATUSES", "get_support_statuses",
                                      "Get-Support-Statuses", " GetSupportStatuses "])
def test_action_is_normalised(server, spelling):
    """Brief §1.1: lower-case, then strip everything but [0-9a-z]."""
    r = call(server, spelling, "xml")
    assert r.status_code == 200
    assert r.text.splitlines()[2] == "<action>getsupportstatuses</action>"


def test_meta_fields_come_from_the_query_first(server):
    """Brief §1.1: action/responsetype/credentials: query first, then body."""
    r = requests.post(url(server), params={"action": "GetSupportStatuses", "responsetype": "json"},
                      data=dict(credentials(server), action="GetTickets", responsetype="xml"), timeout=30)
    assert r.headers["Content-Type"] == JSON_TYPE
    assert list(r.json()) == ["result", "totalresults", "statuses"]
    r = requests.post(url(server), params=credentials(server),
                      data={"identifier": "wrong", "secret": "wrong", "action": "GetSupportStatuses",
                            "responsetype": "json"}, timeout=30)
    assert r.status_code == 200 and r.json()["result"] == "success"


def test_action_parameters_from_the_body_win(server):
    """Brief §1.1: action parameters are array_merge(query, body)."""
    one = open_ticket(server)
    two = open_ticket(server)
    r = call(server, "GetTicket", query={"ticketid": one["id"]}, ticketid=two["id"])
    assert r.json()["subject"] == two["subject"]
    r = call(server, "GetTicket", query={"ticketid": one["id"]})
    assert r.json()["subject"] == one["subject"]


def test_get_requests_work_too(server):
    r = call(server, "GetSupportStatuses", method="GET")
    assert r.status_code == 200 and r.json()["result"] == "success"


def test_read_only_agent_can_read(server):
    """A credential of an agent with read-only rights (`reader`, users:ro) may list tickets."""
    assert ok(server, "GetTickets", auth="reader")["result"] == "success"


def test_read_only_agent_cannot_write(server):
    """Brief §1.6: credentials whose API role lacks the action → 403
    `Invalid Permissions: API action "openticket" is not allowed` (the face answers 200 `Access Denied`)."""
    r = call(server, "OpenTicket", auth="reader", deptid=1, subject="s", message="m", name="n",
             email="n@example.com")
    assert_error(r, 'Invalid Permissions: API action "openticket" is not allowed', 403)
