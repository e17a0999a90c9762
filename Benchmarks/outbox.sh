#!/usr/bin/env bash
# How fast server binaries drain the mail outbox into an SMTP relay that takes a while per
# message (harness/outbox.py: aiosmtpd sink with a delay, N queued messages, fresh SQLite per run).
#
# Usage: Benchmarks/outbox.sh [--messages N] [--connections "1 4"] [--delay-ms MS]
#        [--slow-every N --slow-ms MS] [--rounds R] BINARY...
# Python packages (aiosmtpd, requests) go into Benchmarks/.venv the first time.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
VENV="$HERE/.venv"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import aiosmtpd, requests' 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q aiosmtpd requests
fi
exec "$VENV/bin/python" "$HERE/harness/outbox.py" "$@"
