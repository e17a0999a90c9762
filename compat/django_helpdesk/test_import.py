"""`swiftdesk djhd import`: a django-helpdesk `manage.py dumpdata` file (brief §15, §16) moved into
SwiftDesk keeps every pk, passwords and tokens, and is idempotent. Runs against its own fresh
server (prepared with `migrate` + the import only) so no pk is taken before the import."""
import base64
import hashlib
import json
import os
import re
import secrets
import string
import uuid

import pytest
import requests

from conftest import Server, running

from .djhdutil import (
    AUTH_MISSING, NO_PERMISSION, PUBLIC_TICKET_KEYS, QUEUE_LINE, TICKET_KEYS, assert_json, basic_headers, get, keys,
    legacy, post, token_headers, unique,
)

ADMIN_PK, CUSTOMER_PK = 5, 6
ADMIN_LOGIN, ADMIN_PASSWORD = "imp_admin", "imported-admin-pw"
CUSTOMER_LOGIN, CUSTOMER_PASSWORD = "imp_customer", "imported-customer-pw"
CUSTOMER_EMAIL = "imp.customer@example.org"
TOKEN_KEY = secrets.token_hex(20)
SECRET_KEY = str(uuid.uuid4())
QUEUE_PK, TICKET_PK, FIELD_PK = 7, 42, 3
MODELS = ["auth.user", "authtoken.token", "helpdesk.queue", "helpdesk.customfield", "helpdesk.ticket",
          "helpdesk.followup", "helpdesk.ticketcustomfieldvalue"]
CREATED = {"auth.user": 2, "authtoken.token": 1, "helpdesk.queue": 1, "helpdesk.customfield": 1, "helpdesk.ticket": 1,
           "helpdesk.followup": 2, "helpdesk.ticketcustomfieldvalue": 1}


def django_password(password, iterations=1000):
    """Django's `pbkdf2_sha256$<iterations>$<salt>$<b64>` (brief §16), with a low iteration count."""
    salt = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(22))
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations, 32)
    return f"pbkdf2_sha256${iterations}${salt}${base64.b64encode(digest).decode()}"


def user_row(pk, username, password, email, first, last, staff):
    return {"model": "auth.user", "pk": pk, "fields": {
        "password": django_password(password), "last_login": None, "is_superuser": staff, "username": username,
        "first_name": first, "last_name": last, "email": email, "is_staff": staff, "is_active": True,
        "date_joined": "2023-11-02T08:00:00Z", "groups": [], "user_permissions": []}}


def queue_row(pk, title, slug):
    return {"model": "helpdesk.queue", "pk": pk, "fields": {
        "title": title, "slug": slug, "email_address": None, "locale": None, "allow_public_submission": False,
        "allow_email_submission": False, "escalate_days": None, "new_ticket_cc": None, "updated_ticket_cc": None,
        "enable_notifications_on_email_events": False, "email_box_type": None, "email_box_host": None,
        "email_box_port": None, "email_box_ssl": False, "email_box_user": None, "email_box_pass": None,
        "email_box_imap_folder": None, "email_box_local_dir": None,
        "permission_name": f"helpdesk.queue_access_{slug}", "email_box_interval": 5, "email_box_last_check": None,
        "socks_proxy_type": None, "socks_proxy_host": None, "socks_proxy_port": None, "logging_type": None,
        "logging_dir": None, "default_owner": None, "dedicated_time": None}}


def ticket_row(pk, queue, title, secret_key=None):
    return {"model": "helpdesk.ticket", "pk": pk, "fields": {
        "title": title, "queue": queue, "created": "2024-03-01T10:00:00Z", "modified": "2024-03-02T09:00:00Z",
        "submitter_email": CUSTOMER_EMAIL, "assigned_to": ADMIN_PK, "status": 2, "on_hold": True,
        "description": "Imported description\nwith two lines", "resolution": None, "priority": 2,
        "due_date": "2024-04-01T12:00:00Z", "last_escalation": None,
        "secret_key": secret_key or str(uuid.uuid4()), "kbitem": None, "merged_to": None}}


def dump():
    """A dumpdata list as `manage.py dumpdata auth.user authtoken helpdesk` writes it, plus a model SwiftDesk skips."""
    return [
        user_row(ADMIN_PK, ADMIN_LOGIN, ADMIN_PASSWORD, "imp.admin@example.org", "Ida", "Admin", True),
        user_row(CUSTOMER_PK, CUSTOMER_LOGIN, CUSTOMER_PASSWORD, CUSTOMER_EMAIL, "Ivo", "Customer", False),
        {"model": "authtoken.token", "pk": TOKEN_KEY, "fields": {"user": ADMIN_PK, "created": "2024-01-01T00:00:00Z"}},
        queue_row(QUEUE_PK, "Imported", "imported"),
        {"model": "helpdesk.customfield", "pk": FIELD_PK, "fields": {
            "name": "contract_no", "label": "Contract", "help_text": "", "data_type": "varchar", "max_length": 20,
            "decimal_places": None, "empty_selection_list": False, "list_values": "", "ordering": 1,
            "required": False, "staff_only": False}},
        ticket_row(TICKET_PK, QUEUE_PK, "Imported printer ticket", SECRET_KEY),
        {"model": "helpdesk.followup", "pk": 99, "fields": {
            "ticket": TICKET_PK, "date": "2024-03-01T10:05:00Z", "title": "Ticket Opened",
            "comment": "Imported description\nwith two lines", "public": True, "user": ADMIN_PK, "new_status": None,
            "message_id": None, "time_spent": "01:30:00", "email_recipients": []}},
        {"model": "helpdesk.followup", "pk": 100, "fields": {
            "ticket": TICKET_PK, "date": "2024-03-02T09:00:00Z", "title": "Imported printer ticket and Reopened",
            "comment": "still broken", "public": False, "user": CUSTOMER_PK, "new_status": 2,
            "message_id": "<abc.123@mail.example.org>", "time_spent": None,
            "email_recipients": ["imp.admin@example.org"]}},
        {"model": "helpdesk.ticketcustomfieldvalue", "pk": 11, "fields": {
            "ticket": TICKET_PK, "field": FIELD_PK, "value": "C-1234"}},
        {"model": "helpdesk.kbitem", "pk": 1, "fields": {
            "voted_by": [], "downvoted_by": [], "category": 1, "title": "How to reboot", "question": "?",
            "answer": "!", "votes": 0, "recommendations": 0, "last_updated": "2024-01-01T00:00:00Z", "team": None,
            "order": None, "enabled": True}},
    ]


class ImportServer(Server):
    """A fresh server whose only preparation is `migrate` and `djhd import`."""

    def __init__(self, binary, workdir, dump_path):
        super().__init__(binary, workdir)
        self.dump_path = dump_path
        self.import_output = None

    def prepare(self):
        out = self.cli("migrate")
        match = re.search(r"Password:\s+(\S+)", out)
        assert match, out
        self.root_password = match.group(1)
        self.import_output = self.cli("djhd", "import", self.dump_path)


@pytest.fixture(scope="module")
def imported():
    def make(binary, workdir):
        path = os.path.join(workdir, "helpdesk-dump.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(dump(), f, ensure_ascii=False)  # one line, ", " and ": " as dumpdata writes it
        return ImportServer(binary, workdir, path)

    with running(make, "swiftdesk-djhd-import-") as srv:
        yield srv


def admin_basic():
    return basic_headers(ADMIN_LOGIN, ADMIN_PASSWORD)


def counts(output):
    """{model: (created, updated)} from the `<model>: N created, M updated` lines."""
    found = {}
    for match in re.finditer(r"^(\S+): (\d+) created, (\d+) updated\s*$", output, re.MULTILINE):
        found[match.group(1)] = (int(match.group(2)), int(match.group(3)))
    return found


def skipped(output):
    match = re.search(r"^skipped: (.*?)\s*$", output, re.MULTILINE)
    assert match, output
    return [m.strip() for m in match.group(1).split(",")]


# --- the import report ----------------------------------------------------------------------------

def test_import_report(imported):
    """Contract / brief §15: one `<model>: N created, M updated` line per model and `skipped: helpdesk.kbitem`."""
    assert counts(imported.import_output) == {model: (n, 0) for model, n in CREATED.items()}, imported.import_output
    assert skipped(imported.import_output) == ["helpdesk.kbitem"]


def test_imported_queue_is_listed(imported):
    """Contract CLI: `djhd queue list` shows the imported queue with its pk, title and slug."""
    queues = {(int(m.group(1)), m.group(2), m.group(3)) for m in QUEUE_LINE.finditer(imported.cli("djhd", "queue", "list"))}
    assert (QUEUE_PK, "Imported", "imported") in queues


# --- credentials (brief §16) ------------------------------------------------------------------------

def test_imported_password_works_with_basic(imported):
    """brief §16: the Django pbkdf2_sha256 hash is verified with its own iteration count (Basic auth)."""
    assert_json(get(imported, f"tickets/{TICKET_PK}/", auth=admin_basic()), 200)
    r = get(imported, f"tickets/{TICKET_PK}/", auth=basic_headers(ADMIN_LOGIN, "not-the-password"))
    assert_json(r, 401, {"detail": "Invalid username/password."})


def test_imported_token_works(imported):
    """brief §15: an authtoken.token row keeps its key (the pk) and its user."""
    assert_json(get(imported, f"tickets/{TICKET_PK}/", auth=token_headers(TOKEN_KEY)), 200)
    assert_json(get(imported, "tickets/", auth=None), 401, AUTH_MISSING)


def test_imported_non_staff_user_is_a_customer(imported):
    """Contract: is_staff false → a customer user: 403 on tickets, its own ticket in user_tickets."""
    auth = basic_headers(CUSTOMER_LOGIN, CUSTOMER_PASSWORD)
    assert_json(get(imported, "tickets/", auth=auth), 403, NO_PERMISSION)
    r = get(imported, f"user_tickets/{TICKET_PK}/", auth=auth)
    assert_json(r, 200)
    assert keys(r.text) == PUBLIC_TICKET_KEYS
    assert r.json() == {
        "ticket": f"{TICKET_PK} [imported-{TICKET_PK}]", "id": TICKET_PK, "title": "Imported printer ticket",
        "queue": {"title": "Imported", "id": QUEUE_PK}, "status": "Reopened - On Hold",
        "created": "2024-03-01T10:00:00Z", "due_date": "2024-04-01T12:00:00Z", "submitter": CUSTOMER_EMAIL,
        "kbitem": "", "secret_key": SECRET_KEY}


def test_imported_users_keep_their_ids(imported):
    """Contract: imported users keep their pk as their id (legacy find_user)."""
    assert legacy(imported, "find_user", {"username": ADMIN_LOGIN}).text == str(ADMIN_PK)
    assert legacy(imported, "find_user", {"username": CUSTOMER_LOGIN}).text == str(CUSTOMER_PK)
    r = legacy(imported, "list_queues", user=ADMIN_LOGIN, password=ADMIN_PASSWORD)
    assert (r.status_code, r.text) == (200, '[{"id": "7", "title": "Imported"}]')


# --- the data --------------------------------------------------------------------------------------

def expected_ticket():
    return {
        "id": TICKET_PK, "queue": QUEUE_PK, "title": "Imported printer ticket",
        "description": "Imported description\nwith two lines", "resolution": None,
        "submitter_email": CUSTOMER_EMAIL, "assigned_to": ADMIN_PK, "status": 2, "on_hold": True, "priority": 2,
        "due_date": "2024-04-01T12:00:00Z", "merged_to": None,
        "followup_set": [
            {"id": 99, "ticket": TICKET_PK, "user": ADMIN_PK, "title": "Ticket Opened",
             "comment": "Imported description\nwith two lines", "public": True, "new_status": None,
             "time_spent": "01:30:00", "followupattachment_set": [], "date": "2024-03-01T10:05:00Z",
             "message_id": None, "email_recipients": []},
            {"id": 100, "ticket": TICKET_PK, "user": CUSTOMER_PK, "title": "Imported printer ticket and Reopened",
             "comment": "still broken", "public": False, "new_status": 2, "time_spent": None,
             "followupattachment_set": [], "date": "2024-03-02T09:00:00Z",
             "message_id": "<abc.123@mail.example.org>", "email_recipients": ["imp.admin@example.org"]},
        ],
        "custom_contract_no": "C-1234",
    }


def test_imported_ticket(imported):
    """brief §15: ticket 42 keeps its pk, fields, follow-ups 99/100 (in date order) and the custom field value."""
    r = get(imported, f"tickets/{TICKET_PK}/", auth=token_headers(TOKEN_KEY))
    assert_json(r, 200)
    assert keys(r.text)[:len(TICKET_KEYS)] == TICKET_KEYS
    assert "custom_contract_no" in keys(r.text)
    got = r.json()
    expected = expected_ticket()
    assert {k: got[k] for k in expected if k != "followup_set"} == {k: v for k, v in expected.items() if k != "followup_set"}
    assert got["followup_set"][:2] == expected["followup_set"]  # later tests may add follow-ups after these


def test_new_ids_continue_after_imported_pks(imported):
    """Contract: after the import, new tickets and follow-ups get ids above the imported pks; the caller keeps pk 5."""
    body = {"queue": QUEUE_PK, "title": unique("after-import"), "description": "new", "priority": 3,
            "custom_contract_no": "C-9"}
    r = post(imported, "tickets/", body, auth=token_headers(TOKEN_KEY))
    assert_json(r, 201)
    t = r.json()
    assert t["id"] > TICKET_PK
    assert t["custom_contract_no"] == "C-9"
    assert t["followup_set"][0]["id"] > 100
    assert t["followup_set"][0]["user"] == ADMIN_PK
    r = post(imported, "followups/", {"ticket": TICKET_PK, "comment": "after the move"}, auth=admin_basic())
    assert_json(r, 201)
    assert r.json()["id"] > 100 and r.json()["user"] == ADMIN_PK


def test_reimport_changes_nothing(imported):
    """Contract: running the same import again creates nothing and leaves the data as it was."""
    before = get(imported, f"tickets/{TICKET_PK}/", auth=token_headers(TOKEN_KEY)).json()
    out = imported.cli("djhd", "import", imported.dump_path)
    found = counts(out)
    assert set(found) == set(MODELS), out
    assert all(created == 0 for created, _ in found.values()), out
    assert skipped(out) == ["helpdesk.kbitem"]
    after = get(imported, f"tickets/{TICKET_PK}/", auth=token_headers(TOKEN_KEY)).json()
    assert after == before
    assert_json(get(imported, "tickets/", auth=basic_headers(ADMIN_LOGIN, ADMIN_PASSWORD)), 200)


def test_bad_row_names_model_pk_and_field(imported, tmp_path):
    """Contract: a ticket whose queue pk does not exist fails (non-zero exit) naming `helpdesk.ticket`, the pk and `queue`."""
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([ticket_row(4343, 999, "Orphan ticket")]))
    with pytest.raises(RuntimeError) as failure:
        imported.cli("djhd", "import", str(path))
    message = str(failure.value)
    assert "helpdesk.ticket" in message and "4343" in message and "queue" in message, message
    assert_json(get(imported, "tickets/4343/", auth=token_headers(TOKEN_KEY)), 404,
                {"detail": "No Ticket matches the given query."})


def test_failed_import_is_all_or_nothing(imported, tmp_path):
    """Assumption (SwiftDesk's reference imports run in one transaction): a bad row leaves no earlier row behind."""
    path = tmp_path / "half.json"
    path.write_text(json.dumps([queue_row(8, "Atomic", "atomic"), ticket_row(44, 998, "Also orphan")]))
    with pytest.raises(RuntimeError):
        imported.cli("djhd", "import", str(path))
    listed = imported.cli("djhd", "queue", "list")
    assert "(atomic)" not in listed, listed
    r = requests.post(imported.base + "/api/list_queues/",
                      data={"user": ADMIN_LOGIN, "password": ADMIN_PASSWORD}, timeout=30)
    assert "Atomic" not in r.text


@pytest.mark.parametrize("pk", [0, 1_000_000_000])
def test_primary_keys_stay_below_the_foreign_range(imported, tmp_path, pk):
    """docs/django-helpdesk.md: pks 1 … 999 999 999 (10⁹ + id names other faces' objects)."""
    path = tmp_path / "range.json"
    path.write_text(json.dumps([queue_row(pk, "Range", "range")]))
    with pytest.raises(RuntimeError) as failure:
        imported.cli("djhd", "import", str(path))
    assert f"helpdesk.queue pk {pk}: field 'pk'" in str(failure.value)


def test_existing_agents_are_not_taken_over(imported, tmp_path):
    """docs/django-helpdesk.md: a staff user whose username is an existing SwiftDesk agent (root@localhost) is a conflict."""
    path = tmp_path / "agent.json"
    path.write_text(json.dumps([user_row(4711, "root@localhost", "not-its-password", "root@example.com", "Root", "Other", True)]))
    with pytest.raises(RuntimeError) as failure:
        imported.cli("djhd", "import", str(path))
    assert "root@localhost" in str(failure.value)
