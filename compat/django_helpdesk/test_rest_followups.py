"""/api/followups/: the FollowUp object and the side effects of creating one through
`update_ticket` (brief §5, §8 items 2, 3, 5, 6; spec §B.5, §E)."""
from datetime import datetime

import pytest

from .djhdutil import (
    DETAIL_ALLOW, FOLLOWUP_KEYS, ISO_UTC, LIST_ALLOW, NOT_FOUND, PAGE_KEYS, add_followup, assert_exact, assert_json,
    basic_headers, caller_id, create_ticket, delete, get, keys, legacy, pairs, patch, post, ticket, unique,
)

NO_FOLLOWUP = {"detail": "No FollowUp matches the given query."}


def test_create_answer_and_defaults(server):
    """brief §5 / §8.2: 201 FollowUp in key order; title defaults to the ticket's title, public false, user = caller."""
    t = create_ticket(server)
    r = post(server, "followups/", {"ticket": t["id"], "comment": "Looked at it."})
    assert_json(r, 201)
    assert r.headers.get("Allow") == LIST_ALLOW
    assert keys(r.text) == FOLLOWUP_KEYS
    f = r.json()
    assert isinstance(f["id"], int) and f["id"] != t["followup_set"][0]["id"]
    assert f["ticket"] == t["id"]
    assert f["user"] == t["followup_set"][0]["user"]
    assert f["title"] == t["title"]
    assert f["comment"] == "Looked at it."
    assert f["public"] is False
    assert f["new_status"] is None
    assert f["time_spent"] is None
    assert f["followupattachment_set"] == []
    assert ISO_UTC.fullmatch(f["date"]), f["date"]
    assert f["message_id"] is None
    assert f["email_recipients"] == []
    after = ticket(server, t["id"])
    assert after["status"] == 1 and after["title"] == t["title"]
    assert [x["id"] for x in after["followup_set"]] == [t["followup_set"][0]["id"], f["id"]]
    assert after["followup_set"][1] == f


def test_title_renames_ticket(server):
    """brief §8.2 / §8.5: a follow-up `title` is the follow-up's title and renames the ticket."""
    t = create_ticket(server)
    new_title = unique("renamed")
    f = add_followup(server, t["id"], title=new_title, comment="new name")
    assert f["title"] == new_title
    assert f["new_status"] is None
    assert ticket(server, t["id"])["title"] == new_title


def test_resolving_followup(server):
    """brief §8.3 / §8.6: `new_status: 3` → title `<ticket title> and Resolved`, ticket resolved, resolution = comment."""
    t = create_ticket(server)
    f = add_followup(server, t["id"], comment="Replaced the fuser.", new_status=3, public=True)
    assert f["title"] == t["title"] + " and Resolved"
    assert f["new_status"] == 3
    assert f["public"] is True
    after = ticket(server, t["id"])
    assert (after["status"], after["resolution"], after["title"]) == (3, "Replaced the fuser.", t["title"])


def test_title_and_status_together(server):
    """brief §8.3 / §8.5 / §8.6: title `Done` + new_status 4 → `Done and Closed`; ticket renamed, closed, resolution set (was null)."""
    t = create_ticket(server)
    f = add_followup(server, t["id"], title="Done", comment="closing", new_status=4)
    assert (f["title"], f["new_status"]) == ("Done and Closed", 4)
    after = ticket(server, t["id"])
    assert (after["title"], after["status"], after["resolution"]) == ("Done", 4, "closing")


def test_unchanged_status_is_not_recorded(server):
    """brief §8.3: `new_status` equal to the current status → stored as null, no ` and …` suffix."""
    t = create_ticket(server)
    f = add_followup(server, t["id"], comment="still open", new_status=1)
    assert (f["new_status"], f["title"]) == (None, t["title"])


def test_blank_title(server):
    """brief §8.2 / §8.3: title `""` → `Comment` (with comment), `Updated` (without), `Resolved` (status); ticket keeps its title."""
    t = create_ticket(server)
    assert add_followup(server, t["id"], title="", comment="something")["title"] == "Comment"
    assert add_followup(server, t["id"], title="")["title"] == "Updated"
    assert add_followup(server, t["id"], title="", comment="fixed", new_status=3)["title"] == "Resolved"
    assert ticket(server, t["id"])["title"] == t["title"]


def test_comment_on_resolved_ticket_overwrites_resolution(server):
    """brief §8.6 / spec §E: any follow-up on a resolved ticket overwrites its `resolution`."""
    t = create_ticket(server)
    add_followup(server, t["id"], comment="first fix", new_status=3)
    add_followup(server, t["id"], comment="second thoughts")
    after = ticket(server, t["id"])
    assert (after["status"], after["resolution"]) == (3, "second thoughts")


@pytest.mark.parametrize("sent, shown", [
    ("01:30:00", "01:30:00"),
    ("1:30:00", "01:30:00"),
    ("5400", "01:30:00"),
    ("1 02:00:00", "1 02:00:00"),
    # parse_duration and duration_string, as the 2.6.1 peer answers them.
    ("1 day, 2:00:00", "1 02:00:00"),
    ("-1:00:00", "-1 23:00:00"),
    ("1.5", "00:00:01.500000"),
    ("01:02:03.5", "01:02:03.500000"),
    ("P1DT2H30M", "1 02:30:00"),
    ("", "00:00:00"),
])
def test_time_spent(server, sent, shown):
    """spec §E / brief §5: `time_spent` is a duration written `[D ]HH:MM:SS` (`"01:30:00"`)."""
    t = create_ticket(server)
    f = add_followup(server, t["id"], comment="worked", time_spent=sent)
    assert f["time_spent"] == shown
    assert get(server, f"followups/{f['id']}/").json()["time_spent"] == shown


@pytest.mark.parametrize("sent", ["a while", " 90", "1e3"])
def test_bad_time_spent(server, sent):
    """brief §5: an unparsable duration → Django's `Duration has wrong format…` text (no trimming,
    no float notation)."""
    t = create_ticket(server)
    r = post(server, "followups/", {"ticket": t["id"], "comment": "x", "time_spent": sent})
    assert_json(r, 400, {"time_spent": ["Duration has wrong format. Use one of these formats instead: "
                                        "[DD] [HH:[MM:]]ss[.uuuuuu]."]})


def test_user_in_body_is_ignored(server):
    """spec §E: `user` in the create body is ignored; the caller wins."""
    t = create_ticket(server)
    olga = caller_id(server, auth=basic_headers("olga", "olga-password"))
    f = add_followup(server, t["id"], comment="who am I", user=olga)
    assert f["user"] == t["followup_set"][0]["user"] != olga


def test_public_in_form_data(server):
    """spec §E / brief §5: form value `on` is true; an absent boolean in form data is false."""
    t = create_ticket(server)
    r = post(server, "followups/", data={"ticket": str(t["id"]), "comment": "form public", "public": "on"})
    assert_json(r, 201)
    assert r.json()["public"] is True
    r = post(server, "followups/", data={"ticket": str(t["id"]), "comment": "form private"})
    assert_json(r, 201)
    assert r.json()["public"] is False


def test_missing_ticket(server):
    """brief §5: `ticket` is required."""
    assert_exact(post(server, "followups/", {"comment": "orphan"}), 400, '{"ticket":["This field is required."]}')


def test_unknown_ticket(server):
    """brief §5: an unknown `ticket` pk → `Invalid pk "<id>" - object does not exist.`"""
    r = post(server, "followups/", {"ticket": 987654321, "comment": "orphan"})
    assert_exact(r, 400, '{"ticket":["Invalid pk \\"987654321\\" - object does not exist."]}')


def test_bad_new_status(server):
    """brief §5: `new_status` outside 1–5 → `"9" is not a valid choice.`; nothing is saved."""
    t = create_ticket(server)
    r = post(server, "followups/", {"ticket": t["id"], "comment": "x", "new_status": 9})
    assert_exact(r, 400, '{"new_status":["\\"9\\" is not a valid choice."]}')
    assert len(ticket(server, t["id"])["followup_set"]) == 1


def test_get_one(server):
    """spec §B.2: GET /api/followups/<id>/ answers the follow-up as created."""
    t = create_ticket(server)
    f = add_followup(server, t["id"], comment="readable")
    r = get(server, f"followups/{f['id']}/")
    assert_json(r, 200, f)
    assert keys(r.text) == FOLLOWUP_KEYS
    assert r.headers.get("Allow") == DETAIL_ALLOW


def test_list(server):
    """brief §4: /api/followups/ is paginated `{count,next,previous,results}`, ordered by date."""
    t = create_ticket(server)
    f = add_followup(server, t["id"], comment="listed")
    r = get(server, "followups/", params={"page_size": 100000})
    assert_json(r, 200)
    assert keys(r.text) == PAGE_KEYS
    results = r.json()["results"]
    assert f in results
    assert t["followup_set"][0] in results
    dates = [datetime.fromisoformat(x["date"].replace("Z", "+00:00")) for x in results]
    assert dates == sorted(dates)
    for item in dict(pairs(r.text))["results"]:
        assert [k for k, _ in item] == FOLLOWUP_KEYS
    assert all(isinstance(x["email_recipients"], list) for x in results)


def test_patch_is_a_plain_update(server):
    """brief §8: PATCH /api/followups/<id>/ changes the row only (ticket title/status untouched)."""
    t = create_ticket(server)
    f = add_followup(server, t["id"], comment="typo here")
    r = patch(server, f"followups/{f['id']}/", {"comment": "typo fixed", "title": unique("nottheticket"), "new_status": 4})
    assert_json(r, 200)
    got = r.json()
    assert got["comment"] == "typo fixed" and got["new_status"] == 4
    after = ticket(server, t["id"])
    assert (after["title"], after["status"]) == (t["title"], 1)
    assert len(after["followup_set"]) == 2
    assert after["followup_set"][1]["comment"] == "typo fixed"


def test_patch_clears_and_restores(server):
    """2.6.1: a PATCH with null clears title/comment/new_status/time_spent, a later PATCH sets them again."""
    t = create_ticket(server)
    f = add_followup(server, t["id"], comment="first", new_status=4, time_spent="01:00:00")
    assert_json(patch(server, f"followups/{f['id']}/", {"title": None, "comment": None}), 200)
    back = patch(server, f"followups/{f['id']}/", {"title": "back", "comment": "again"}).json()
    assert (back["title"], back["comment"]) == ("back", "again")
    cleared = patch(server, f"followups/{f['id']}/", {"new_status": None, "time_spent": None}).json()
    assert (cleared["new_status"], cleared["time_spent"]) == (None, None)


def test_delete(server):
    """spec §B.2: DELETE /api/followups/<id>/ → 204 empty; the follow-up leaves the ticket's `followup_set`."""
    t = create_ticket(server)
    f = add_followup(server, t["id"], comment="to be deleted")
    r = delete(server, f"followups/{f['id']}/")
    assert r.status_code == 204 and r.content == b""
    assert "Content-Type" not in r.headers
    assert_json(get(server, f"followups/{f['id']}/"), 404, NO_FOLLOWUP)
    assert [x["id"] for x in ticket(server, t["id"])["followup_set"]] == [t["followup_set"][0]["id"]]


def test_unknown_ids(server):
    """spec §E: unknown numeric id → `No FollowUp matches the given query.`; non-numeric → `Not found.`"""
    assert_json(get(server, "followups/987654321/"), 404, NO_FOLLOWUP)
    assert_json(get(server, "followups/xyz/"), 404, NOT_FOUND)


def test_email_recipients_as_django_helpdesk_records_them(server):
    """2.6.1's update_ticket: the submitter hears of public follow-ups with a comment (or a resolve);
    the assigned agent of every follow-up, unless the agent wrote it; the writer never."""
    olga = int(legacy(server, "find_user", {"username": "olga"}).text)
    t = create_ticket(server, assigned_to=olga)
    submitter = t["submitter_email"]
    assert t["followup_set"][0]["email_recipients"] == sorted([submitter, "olga@example.com"])
    public = add_followup(server, t["id"], comment="We are on it.", public=True)
    assert public["email_recipients"] == sorted([submitter, "olga@example.com"])
    private = add_followup(server, t["id"], comment="internal")
    assert private["email_recipients"] == ["olga@example.com"]
    silent = add_followup(server, t["id"], public=True)
    assert silent["email_recipients"] == ["olga@example.com"]
    resolved = add_followup(server, t["id"], public=True, new_status=3)
    assert resolved["email_recipients"] == sorted([submitter, "olga@example.com"])
    by_olga = add_followup(server, t["id"], auth=basic_headers("olga", "olga-password"), comment="Done.", public=True)
    assert by_olga["email_recipients"] == [submitter]
    unassigned = create_ticket(server, submitter_email=None)
    assert unassigned["followup_set"][0]["email_recipients"] == []
