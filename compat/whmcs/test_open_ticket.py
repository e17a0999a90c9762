"""OpenTicket (spec §4.1, brief §5.1): guests, clients, contacts, admin openers, priorities,
creation dates, related services, the public number mask (`tid`) and the access code (`c`)."""
import re
import uuid
from datetime import datetime, timezone

import pytest

from .whmcsutil import (
    ACCESS_CODE, CLIENT_ACME, CLIENT_IMPORTED, CONTACT_OF_2, DEPT_SALES, DEPT_SAMPLE, REPLY_KEYS, TICKET_KEYS, TID,
    TIMESTAMP, assert_error, call, email_address, ok, open_ticket, setting, ticket, tickets, unique,
)


def test_guest_ticket_in_full(server):
    """Every key of GetTicket for a fresh guest ticket, in order, with WHMCS's types."""
    address = email_address("full")
    t = open_ticket(server, name="Gina Guest", email=address, message="Printer on fire", priority="High")
    got = ticket(server, t["id"])
    assert list(got) == ["result"] + TICKET_KEYS + ["replies", "notes"]
    created = got["date"]
    assert TIMESTAMP.fullmatch(created)
    assert got == {
        "result": "success", "id": str(t["id"]), "ticketid": str(t["id"]), "tid": t["tid"], "c": t["c"],
        "deptid": "1", "deptname": "Sample Support Department", "userid": "0", "contactid": "0",
        "name": "Gina Guest", "owner_name": "Gina Guest", "email": address, "requestor_name": "Gina Guest",
        "requestor_email": address, "requestor_type": "Guest", "cc": "", "date": created, "subject": t["subject"],
        "status": "Open", "priority": "High", "admin": "", "attachment": "", "attachments": [],
        "attachments_removed": False, "lastreply": created, "flag": "0", "service": "",
        "replies": {"reply": [{
            "replyid": "0", "userid": "0", "contactid": "0", "name": "Gina Guest", "email": address,
            "requestor_name": "Gina Guest", "requestor_email": address, "requestor_type": "Guest", "date": created,
            "message": "Printer on fire", "attachment": "", "attachments": [], "attachments_removed": False,
            "admin": ""}]},
        "notes": [],
    }
    assert list(got["replies"]["reply"][0]) == REPLY_KEYS


def test_date_is_now_in_utc(server):
    before = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)
    t = open_ticket(server)
    after = datetime.now(timezone.utc).replace(tzinfo=None)
    date = datetime.strptime(ticket(server, t["id"])["date"], "%Y-%m-%d %H:%M:%S")
    assert before <= date <= after


def test_client_ticket(server):
    """clientid: the client's own ticket (`Owner`); name/email are the client's, not the ones sent."""
    t = open_ticket(server, clientid=CLIENT_ACME, name="Ignored Name", email="ignored@example.com")
    got = ticket(server, t["id"])
    assert (got["userid"], got["contactid"], got["requestor_type"]) == (str(CLIENT_ACME), "0", "Owner")
    assert (got["name"], got["owner_name"], got["email"]) == ("Alan Acme", "Alan Acme", "alan@acme-hosting.example")
    assert (got["requestor_name"], got["requestor_email"]) == ("Alan Acme", "alan@acme-hosting.example")
    opening = got["replies"]["reply"][0]
    assert (opening["userid"], opening["name"], opening["email"]) == (str(CLIENT_ACME), "Alan Acme",
                                                                      "alan@acme-hosting.example")


def test_contact_ticket(server):
    """clientid + contactid: the ticket is the client's, written by its contact (`Sub-account`)."""
    t = open_ticket(server, clientid=CLIENT_IMPORTED, contactid=CONTACT_OF_2)
    got = ticket(server, t["id"])
    assert (got["userid"], got["contactid"], got["requestor_type"]) == ("2", "5", "Sub-account")
    assert (got["name"], got["owner_name"]) == ("Ingrid Imported", "Ingrid Imported")
    assert (got["requestor_name"], got["requestor_email"]) == ("Conny Contact", "conny@imported.example")
    opening = got["replies"]["reply"][0]
    assert (opening["userid"], opening["contactid"], opening["name"], opening["email"]) == (
        "2", "5", "Conny Contact", "conny@imported.example")


def test_contact_is_copied_and_admin_placeholders_filled(server):
    """openNewTicket (WHMCS 8.7): a `contactid` contact's address goes to the ticket's cc; an admin's
    message gets `[NAME]`, `[FIRSTNAME]` and `[EMAIL]` of that contact (of the guest without a client)."""
    t = open_ticket(server, clientid=CLIENT_IMPORTED, contactid=CONTACT_OF_2, admin=1,
                    message="Hi [FIRSTNAME] ([NAME], [EMAIL])")
    got = ticket(server, t["id"])
    assert got["cc"] == "conny@imported.example"
    assert got["replies"]["reply"][0]["message"] == "Hi Conny (Conny Contact, conny@imported.example)"
    guest = ticket(server, open_ticket(server, admin=1, name="Gina Guest", email="gina@example.com",
                                       message="Dear [FIRSTNAME]")["id"])
    assert guest["replies"]["reply"][0]["message"] == "Dear Gina"
    plain = ticket(server, open_ticket(server, clientid=CLIENT_IMPORTED, message="Dear [NAME]")["id"])
    assert plain["replies"]["reply"][0]["message"] == "Dear [NAME]" and plain["cc"] == ""


def test_user_of_the_client(server):
    """8.5+ `userid` (with `clientid`): SwiftDesk's users of a client are its contacts."""
    t = open_ticket(server, clientid=CLIENT_IMPORTED, userid=CONTACT_OF_2)
    got = ticket(server, t["id"])
    assert (got["userid"], got["requestor_name"], got["requestor_email"]) == (
        "2", "Conny Contact", "conny@imported.example")


def test_clients_own_tickets_are_found_by_client(server):
    t = open_ticket(server, clientid=CLIENT_ACME)
    assert t["id"] in [int(row["id"]) for row in tickets(server, clientid=CLIENT_ACME, limitnum=1000)]


def test_admin_opener(server):
    """`admin` truthy: the ticket's `admin` is the API admin's full name; the opener is an `Operator`
    ([C8] Requestor: an admin's name, no address; `name` stays the owner's label)."""
    t = open_ticket(server, admin=1, name="On Behalf", email="behalf@example.com")
    got = ticket(server, t["id"])
    assert (got["admin"], got["requestor_type"]) == ("Wanda Admin", "Operator")
    assert (got["name"], got["owner_name"], got["email"]) == ("On Behalf", "On Behalf", "")
    assert (got["requestor_name"], got["requestor_email"]) == ("Wanda Admin", "")
    opening = got["replies"]["reply"][0]
    assert (opening["admin"], opening["name"], opening["email"], opening["requestor_type"]) == (
        "Wanda Admin", "Wanda Admin", "", "Operator")


def test_admin_uses_php_truthiness(server):
    """Brief §1.1: `admin` uses plain truthiness, so the string "false" is true and "0" false."""
    assert ticket(server, open_ticket(server, admin="false")["id"])["admin"] == "Wanda Admin"
    assert ticket(server, open_ticket(server, admin="0")["id"])["admin"] == ""


def test_admin_login_opener_name(server):
    t = open_ticket(server, auth="admin", admin=1)
    assert ticket(server, t["id"])["admin"] == "Max Legacy"


@pytest.mark.parametrize("sent,kept", [(None, "Low"), ("Low", "Low"), ("Medium", "Medium"), ("High", "High"),
                                       ("medium", "Low"), ("Urgent", "Low"), ("", "Low")])
def test_priority(server, sent, kept):
    """Brief §5.1: missing or not exactly Low/Medium/High → `Low` (the spec's `Medium` is wrong)."""
    t = open_ticket(server, priority=sent)
    assert ticket(server, t["id"])["priority"] == kept


@pytest.mark.parametrize("created,shown", [
    ("2024-01-02 03:04:05", "2024-01-02 03:04:05"),
    ("2024-01-02T03:04:05Z", "2024-01-02 03:04:05"),
    # Carbon keeps the zone the text names and WHMCS stores toDateTimeString(): the wall clock.
    ("2024-01-02T03:04:05+02:00", "2024-01-02 03:04:05"),
    ("2024-01-02T03:04:05.123-0130", "2024-01-02 03:04:05"),
    ("2024-01-02", "2024-01-02 00:00:00"),
    ("@1700000000", "2023-11-14 22:13:20"),
])
def test_created_in_the_past(server, created, shown):
    """`created` (8.0+): ISO 8601 or `YYYY-MM-DD HH:mm:ss`; the ticket's date and last reply."""
    t = open_ticket(server, created=created)
    got = ticket(server, t["id"])
    assert (got["date"], got["lastreply"], got["replies"]["reply"][0]["date"]) == (shown, shown, shown)


def test_empty_created_means_now(server):
    t = open_ticket(server, created="")
    assert ticket(server, t["id"])["date"] >= datetime.now(timezone.utc).strftime("%Y-%m-%d")


@pytest.mark.parametrize("params,service", [
    ({"serviceid": "12"}, "S12"), ({"serviceid": "S34"}, "S34"), ({"serviceid": "D5"}, "D5"), ({"domainid": "7"}, "D7"),
    ({"serviceid": "0", "domainid": "0"}, ""),
])
def test_related_service_is_kept_unchecked(server, params, service):
    """SwiftDesk has no services or domains: `serviceid`/`domainid` are kept as WHMCS's `service`
    (`S<id>`/`D<id>`) without the Service/Domain ID Not Found checks (documented in the face)."""
    t = open_ticket(server, **params)
    assert ticket(server, t["id"])["service"] == service


def test_email_is_trimmed(server):
    t = open_ticket(server, email="  spaced@example.com ")
    assert ticket(server, t["id"])["email"] == "spaced@example.com"


def test_markdown_noemail_and_client_closure_are_accepted(server):
    t = open_ticket(server, markdown="true", noemail="true", preventClientClosure=1, message="**bold**")
    assert ticket(server, t["id"])["replies"]["reply"][0]["message"] == "**bold**"


def test_empty_client_id_means_no_client(server):
    t = open_ticket(server, clientid="", name="Empty Client", email="empty@example.com")
    assert ticket(server, t["id"])["requestor_type"] == "Guest"


@pytest.mark.parametrize("clientid", ["0", "abc"])
def test_client_id_zero_means_no_client(server, clientid):
    """C8 openticket.php reads `(int) clientid`: 0, "abc" and "" are no client, so a guest with name
    and email opens the ticket (spec §4.1: "if absent/0, name+email required"). Was finding 2."""
    r = call(server, "OpenTicket", deptid=DEPT_SAMPLE, subject=unique("zero"), message="m", clientid=clientid,
             name="Zero Client", email="zero@example.com")
    assert r.json()["result"] == "success", r.text
    assert ticket(server, r.json()["id"])["requestor_type"] == "Guest"


def test_numeric_prefix_of_ids_counts(server):
    """PHP's (int): `deptid=2abc` is department 2."""
    t = open_ticket(server, deptid="2abc")
    assert ticket(server, t["id"])["deptid"] == str(DEPT_SALES)


def test_found_by_public_number(server):
    t = open_ticket(server)
    assert ok(server, "GetTicket", ticketnum=t["tid"])["ticketid"] == str(t["id"])


def test_numbers_and_codes_are_fresh(server):
    made = [open_ticket(server) for _ in range(5)]
    assert len({t["tid"] for t in made}) == 5
    assert len({t["id"] for t in made}) == 5
    assert all(TID.fullmatch(t["tid"]) and ACCESS_CODE.fullmatch(t["c"]) for t in made)
    assert [t["id"] for t in made] == sorted(t["id"] for t in made)


# --- WHMCS::TicketMask -------------------------------------------------------------------------

@pytest.fixture
def mask(server):
    """Sets WHMCS::TicketMask for one test, then the empty mask (= the 8.x default) again."""
    def set_mask(value):
        setting(server, "WHMCS::TicketMask", value)
    yield set_mask
    set_mask("")


def test_numeric_mask_for_pywhmcs(server, mask):
    """Brief §4: pywhmcs' TicketBridge.open() does int(tid); a numeric mask serves it."""
    mask("%n%n%n%n%n%n")
    t = open_ticket(server)
    assert re.fullmatch(r"[0-9]{6}", t["tid"]), t["tid"]
    assert int(t["tid"]) >= 0
    assert ok(server, "GetTicket", ticketnum=t["tid"])["tid"] == t["tid"]


def test_mask_tokens(server, mask):
    """`%a` a-z, `%A` A-Z, `%y%m%d` the date, `%i` the ticket id; other characters stay; an unknown
    `%x` gives nothing."""
    mask("T%a%a%A-%y%m%d-%i%q!")
    t = open_ticket(server)
    day = ticket(server, t["id"])["date"][:10].replace("-", "")
    assert re.fullmatch(r"T[a-z]{2}[A-Z]-" + day + "-" + str(t["id"]) + "!", t["tid"]), t["tid"]


def test_unable_to_generate_ticket_number(server, mask):
    """A mask without random parts gives one number; the next ticket cannot get one, and is not kept."""
    constant = "FIX-" + uuid.uuid4().hex[:8].upper()
    mask(constant)
    assert open_ticket(server)["tid"] == constant
    subject = unique("no-number")
    r = call(server, "OpenTicket", deptid=DEPT_SAMPLE, subject=subject, message="m", name="n", email="n@example.com")
    assert_error(r, "Unable to generate ticket number.")
    assert ok(server, "GetTickets", subject=subject)["totalresults"] == 0
    mask("")
    assert TID.fullmatch(open_ticket(server)["tid"])  # the empty mask is the default again
