"""The benchmark's wrk scripts (Benchmarks/wrk/swiftdesk.lua) against a real server.

Benchmarks never run in CI, so this keeps their requests honest: every operation must succeed
against the current Znuny REST face (a changed route or answer shape would otherwise only show up
as errors in the next benchmark run).
"""
import json
import os
import shutil
import subprocess

import pytest
import requests

WRK_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "Benchmarks", "wrk")
BASE = "/otrs/nph-genericinterface.pl/Webservice/GenericTicketConnectorREST"

pytestmark = pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")


def run_wrk(server, op, session, limit=8):
    env = dict(os.environ, OP=op, SESSION_ID=session, TICKET_MAX="3", OP_LIMIT=str(limit),
               USER_LOGIN="root@localhost", PASSWORD=server.root_password,
               # the fixture's web service "Ticket" maps POST /search to TicketSearch
               SEARCH_URL="/otrs/nph-genericinterface.pl/Webservice/Ticket/search",
               LUA_PATH=os.path.join(WRK_DIR, "?.lua") + ";;")
    done = subprocess.run(["wrk", "-t1", "-c1", "-d10s", "--timeout=10s", "-s", os.path.join(WRK_DIR, "swiftdesk.lua"), server.base],
                          env=env, capture_output=True, text=True, timeout=60)
    line = next((l for l in done.stdout.splitlines() if l.startswith("BENCH_RESULT ")), None)
    assert line, done.stdout + done.stderr
    return json.loads(line[len("BENCH_RESULT "):])


@pytest.fixture(scope="module")
def session(server):
    answer = requests.post(server.base + BASE + "/Session", json={"UserLogin": "root@localhost", "Password": server.root_password}).json()
    return answer["SessionID"]


@pytest.mark.parametrize("op", ["create", "get", "get-login", "list", "followup", "search", "health"])
def test_operation_succeeds(server, session, op):
    if op != "create":
        run_wrk(server, "create", session, limit=3)  # tickets 1..3 exist for get/list/follow-up
    result = run_wrk(server, op, session)
    assert result["errors"] == 0, result["sample_error"]
    assert result["ok"] >= 8
    assert result["p50_ms"] > 0 and result["ops_per_s"] > 0


def test_operation_limit_ends_the_run_early(server, session):
    result = run_wrk(server, "health", session, limit=5)
    assert result["seconds"] < 5, result


def test_a_failing_operation_is_counted_as_an_error(server):
    result = run_wrk(server, "get", "not-a-session", limit=3)
    assert result["ok"] == 0 and result["errors"] >= 3
    assert "AuthFail" in result["sample_error"]


def run_django_script(server, op, limit=8):
    """The peer's script (Benchmarks/wrk/django.lua) against SwiftDesk's django-helpdesk face."""
    env = dict(os.environ, OP=op, TOKEN=server.djhd_token, QUEUES=f"{server.djhd_queue_support},{server.djhd_queue_billing}",
               TICKET_MAX="3", OP_LIMIT=str(limit), LUA_PATH=os.path.join(WRK_DIR, "?.lua") + ";;")
    done = subprocess.run(["wrk", "-t1", "-c1", "-d10s", "--timeout=10s", "-s", os.path.join(WRK_DIR, "django.lua"), server.base],
                          env=env, capture_output=True, text=True, timeout=60)
    line = next((l for l in done.stdout.splitlines() if l.startswith("BENCH_RESULT ")), None)
    assert line, done.stdout + done.stderr
    return json.loads(line[len("BENCH_RESULT "):])


@pytest.mark.parametrize("op", ["create", "get", "list", "followup"])
def test_peer_script_against_the_django_helpdesk_face(server, op):
    """The side-by-side benchmark sends django-helpdesk's own requests to SwiftDesk: they must all succeed."""
    run_django_script(server, "create", limit=3)  # this face's tickets 1..3 exist
    result = run_django_script(server, op)
    assert result["errors"] == 0, result["sample_error"]
    assert result["ok"] >= 8
