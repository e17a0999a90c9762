#!/usr/bin/env bash
# Runs the compatibility suites with real client libraries against a real swiftdesk server.
# Creates (once) a virtualenv in compat/.venv with the pinned clients from PyPI.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/pytest ] || ! cmp -s requirements.txt .venv/requirements.txt; then
    python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
    cp requirements.txt .venv/requirements.txt
fi
export SWIFTDESK_BIN="${SWIFTDESK_BIN:-$(cd .. && pwd)/.build/debug/swiftdesk}"
exec .venv/bin/pytest -q -p no:cacheprovider "$@"
