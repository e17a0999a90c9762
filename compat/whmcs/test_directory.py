"""GetSupportDepartments, GetSupportStatuses, GetTicketCounts, GetTicketPredefinedCats and
GetTicketPredefinedReplies (spec §4.9-4.11, §4.13; brief §5.9-5.11, §5.13). Department 9
(`Counting`) gets tickets only from the counting test here and department 11 (`Zeta Empty`) never
does, so their counts are exact; GetTicketCounts spans every department, so it is checked by
differences."""
from .whmcsutil import (
    DEPT_COUNTING, DEPT_EMPTY, STATUS_TITLES, call, ok, open_ticket, pairs, php_json, xml_root,
)

COLORS = {"Open": "#779500", "Answered": "#000000", "Customer-Reply": "#ff6600", "Escalated": "#aa00aa",
          "On Hold": "#224488", "In Progress": "#cc0000", "Closed": "#888888"}
# GetTicketCounts' `status` keys follow the status table's ids (brief §5.11); Escalated is id 7.
COUNT_KEYS = ["open", "answered", "customerreply", "closed", "onhold", "inprogress", "escalated"]
COUNT_TITLES = ["Open", "Answered", "Customer-Reply", "Closed", "On Hold", "In Progress", "Escalated"]


def statuses(server, deptid=None):
    body = ok(server, "GetSupportStatuses", **({} if deptid is None else {"deptid": deptid}))
    assert body["totalresults"] == 7
    rows = body["statuses"]["status"]
    assert [r["title"] for r in rows] == STATUS_TITLES
    assert all(list(r) == ["title", "count", "color"] and r["color"] == COLORS[r["title"]] for r in rows)
    return {r["title"]: r["count"] for r in rows}


def departments(server):
    return {d["id"]: d for d in ok(server, "GetSupportDepartments")["departments"]["department"]}


def counts(server):
    body = ok(server, "GetTicketCounts", includeCountsByStatus=1)
    assert list(body) == ["result", "filteredDepartments", "allActive", "awaitingReply", "flaggedTickets", "status"]
    assert list(body["status"]) == COUNT_KEYS
    assert [body["status"][k]["title"] for k in COUNT_KEYS] == COUNT_TITLES
    return body


def test_departments_by_name(server):
    r = call(server, "GetSupportDepartments")
    body = r.json()
    assert [k for k, _ in pairs(r.text)] == ["result", "totalresults", "departments"]
    rows = body["departments"]["department"]
    assert body["totalresults"] == len(rows) == 5
    assert [(d["id"], d["name"]) for d in rows] == [
        ("9", "Counting"), ("2", "Sales"), ("1", "Sample Support Department"), ("7", "Technical &amp; Network"),
        ("11", "Zeta Empty")]
    assert all(list(d) == ["id", "name", "awaitingreply", "opentickets"] for d in rows)
    assert rows[-1] == {"id": "11", "name": "Zeta Empty", "awaitingreply": "0", "opentickets": "0"}
    assert r.text == php_json(body)


def test_imported_department_counts(server):
    """Department 7 holds the imported tickets: Customer-Reply and Escalated (both awaiting), Closed."""
    assert departments(server)["7"] == {"id": "7", "name": "Technical &amp; Network", "awaitingreply": "2",
                                        "opentickets": "2"}
    assert statuses(server, 7) == {"Open": 0, "Answered": 0, "Customer-Reply": 1, "Escalated": 1, "On Hold": 0,
                                   "In Progress": 0, "Closed": 1}


def test_ignore_dept_assignments_changes_nothing(server):
    """The API user is a member of every department (brief §2 suggestion)."""
    assert ok(server, "GetSupportDepartments", ignore_dept_assignments=1) == ok(server, "GetSupportDepartments")


def test_statuses_of_an_empty_or_unknown_department(server):
    zero = {title: 0 for title in STATUS_TITLES}
    assert statuses(server, DEPT_EMPTY) == zero
    assert statuses(server, 424242) == zero
    r = call(server, "GetSupportStatuses", deptid=DEPT_EMPTY)
    assert r.text == php_json({"result": "success", "totalresults": 7, "statuses": {"status": [
        {"title": t, "count": 0, "color": COLORS[t]} for t in STATUS_TITLES]}})


def test_counting(server):
    """Tickets in department 9 move through statuses; every counter follows."""
    base_all = statuses(server)
    base_counts = counts(server)
    assert statuses(server, DEPT_COUNTING) == {title: 0 for title in STATUS_TITLES}
    assert departments(server)["9"] == {"id": "9", "name": "Counting", "awaitingreply": "0", "opentickets": "0"}

    made = {}
    for title in ["Open", "Answered", "Customer-Reply", "Escalated", "On Hold", "In Progress", "Closed", "Closed"]:
        t = open_ticket(server, deptid=DEPT_COUNTING)
        if title != "Open":
            ok(server, "UpdateTicket", ticketid=t["id"], status=title)
        made.setdefault(title, []).append(t["id"])
    ok(server, "UpdateTicket", ticketid=made["On Hold"][0], flag=server.whmcs_agent_id)
    ok(server, "UpdateTicket", ticketid=made["Closed"][0], flag=server.whmcs_agent_id)  # closed: not counted
    ok(server, "UpdateTicket", ticketid=made["Answered"][0], flag=server.whmcs_admin_id)  # someone else's

    expected = {"Open": 1, "Answered": 1, "Customer-Reply": 1, "Escalated": 1, "On Hold": 1, "In Progress": 1,
                "Closed": 2}
    assert statuses(server, DEPT_COUNTING) == expected
    # awaiting: Open, Customer-Reply, Escalated; active: all but Closed.
    assert departments(server)["9"] == {"id": "9", "name": "Counting", "awaitingreply": "3", "opentickets": "6"}
    after_all = statuses(server)
    assert {t: after_all[t] - base_all[t] for t in STATUS_TITLES} == expected
    after = counts(server)
    assert after["filteredDepartments"] == [1, 2, 7, 9, 11]
    # WHMCS's code: without the department filter it lists no departments (and counts them all).
    unfiltered = ok(server, "GetTicketCounts", ignoreDepartmentAssignments="1")
    assert unfiltered["filteredDepartments"] == [] and unfiltered["allActive"] == after["allActive"]
    assert after["allActive"] - base_counts["allActive"] == 6
    assert after["awaitingReply"] - base_counts["awaitingReply"] == 3
    assert after["flaggedTickets"] - base_counts["flaggedTickets"] == 1
    for key, title in zip(COUNT_KEYS, COUNT_TITLES):
        assert after["status"][key]["count"] - base_counts["status"][key]["count"] == expected[title], key

    # Deleting them takes them out again.
    for ids in made.values():
        for ticket_id in ids:
            ok(server, "DeleteTicket", ticketid=ticket_id)
    assert statuses(server, DEPT_COUNTING) == {title: 0 for title in STATUS_TITLES}
    assert counts(server)["allActive"] == base_counts["allActive"]


def test_merged_tickets_are_not_counted(server):
    base = statuses(server, DEPT_COUNTING)
    target = open_ticket(server, deptid=DEPT_COUNTING)
    source = open_ticket(server, deptid=DEPT_COUNTING)
    assert statuses(server, DEPT_COUNTING)["Open"] == base["Open"] + 2
    ok(server, "MergeTicket", ticketid=target["id"], mergeticketids=str(source["id"]))
    after = statuses(server, DEPT_COUNTING)
    assert (after["Open"], after["Closed"]) == (base["Open"] + 1, base["Closed"])
    ok(server, "DeleteTicket", ticketid=target["id"])


def test_ticket_counts_without_status(server):
    """`status` only with a truthy includeCountsByStatus; counters are ints."""
    r = call(server, "GetTicketCounts", includeCountsByStatus="0")
    body = r.json()
    assert [k for k, _ in pairs(r.text)] == ["result", "filteredDepartments", "allActive", "awaitingReply",
                                             "flaggedTickets"]
    assert all(isinstance(body[k], int) for k in ("allActive", "awaitingReply", "flaggedTickets"))
    assert r.text == php_json(body)
    assert "status" not in ok(server, "GetTicketCounts")


def test_ticket_counts_status_object(server):
    body = counts(server)
    assert all(list(v) == ["title", "count"] and isinstance(v["count"], int) for v in body["status"].values())


def test_ticket_counts_default_nvp(server):
    r = call(server, "GetTicketCounts", None)
    body = ok(server, "GetTicketCounts")
    assert r.text == (f"result=success;filteredDepartments=Array;allActive={body['allActive']};"
                      f"awaitingReply={body['awaitingReply']};flaggedTickets={body['flaggedTickets']}")


# --- predefined replies (imported) -------------------------------------------------------------

def test_predefined_categories(server):
    r = call(server, "GetTicketPredefinedCats")
    assert r.text == php_json({"result": "success", "totalresults": 3, "categories": {"category": [
        {"id": "4", "parentid": "3", "name": "Billing &amp; Payments", "replycount": "2"},
        {"id": "5", "parentid": "0", "name": "Empty Category", "replycount": "0"},
        {"id": "3", "parentid": "0", "name": "Quick Reference", "replycount": "1"}]}})


def test_predefined_replies(server):
    r = call(server, "GetTicketPredefinedReplies")
    assert r.text == php_json({"result": "success", "totalresults": "3", "predefinedreplies": {"predefinedreply": [
        {"name": "Card declined", "reply": "Your card was declined."},
        {"name": "Invoice resent", "reply": "We have resent invoice #[INVOICE] &amp; the receipt."},
        {"name": "Sample Quick Reference Reply", "reply": "Hello [NAME],\r\n\r\nThis is a sample reply."}]}})


def test_predefined_replies_by_category(server):
    body = ok(server, "GetTicketPredefinedReplies", catid=4)
    assert body["totalresults"] == "2"  # a COUNT(id) row in WHMCS's code: a string
    assert [r["name"] for r in body["predefinedreplies"]["predefinedreply"]] == ["Card declined", "Invoice resent"]
    assert ok(server, "GetTicketPredefinedReplies", catid=3)["predefinedreplies"]["predefinedreply"] == [
        {"name": "Sample Quick Reference Reply", "reply": "Hello [NAME],\r\n\r\nThis is a sample reply."}]


def test_empty_predefined_replies_have_no_list(server):
    """Brief §5.13: empty → the key is absent."""
    assert call(server, "GetTicketPredefinedReplies", catid=5).text == '{"result":"success","totalresults":"0"}'
    assert call(server, "GetTicketPredefinedReplies", catid=424242).text == '{"result":"success","totalresults":"0"}'
    # A catid that is there filters, even one that is not a number (category 0).
    assert call(server, "GetTicketPredefinedReplies", catid="x").text == '{"result":"success","totalresults":"0"}'


def test_predefined_replies_xml(server):
    text = call(server, "GetTicketPredefinedReplies", None, catid=3).text
    root = xml_root(text)
    assert root.find("totalresults").text == "1"
    reply = root.find("predefinedreplies").find("predefinedreply")
    assert reply.find("name").text == "Sample Quick Reference Reply"
    assert "<reply>Hello [NAME],\r\n\r\nThis is a sample reply.</reply>" in text
