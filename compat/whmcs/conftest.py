"""The WHMCS suite's data set: `swiftdesk whmcs import fixtures/whmcs-import.json` on the running
server, once, before the first WHMCS test.

It is imported here rather than in compat/conftest.py's prepare() because the imported tickets
would then be SwiftDesk tickets 2-4, and the benchmark suite (compat/bench) writes follow-ups
into tickets 1-3; imported after the other suites' setup, the tickets are nobody else's. The
server trusts its cached face configuration (statuses, custom fields, predefined replies) for 5
seconds, so the fixture waits that long once.
"""
import time

import pytest

from .whmcsutil import FIXTURE


@pytest.fixture(scope="session", autouse=True)
def whmcs_data(server):
    if server.whmcs_import_output is None:
        server.whmcs_import_output = server.cli("whmcs", "import", FIXTURE)
        time.sleep(5.5)
    return server.whmcs_import_output
