#!/usr/bin/env bash
# Inside the loopback-only namespace: start the test bed (plain, and one that verifies signatures), check it
# behaves as FACTS.md says, run the Swift tests against it, and stop everything by PID whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
ip link set lo up
beds=$(mktemp -d)
trap 'scripts/testbed.sh stop "$beds/plain"; scripts/testbed.sh stop "$beds/auth"; rm -rf "$beds"' EXIT
scripts/testbed.sh start "$beds/plain"
TESTBED_AUTH=true scripts/testbed.sh start "$beds/auth"
python3 scripts/testbed/selftest.py "http://127.0.0.1:$(cat "$beds/plain/port")"
export DDBSTACK_TESTBED="http://127.0.0.1:$(cat "$beds/plain/port")"
export DDBSTACK_TESTBED_PROXY="http://127.0.0.1:$(cat "$beds/plain/proxy-port")"
export DDBSTACK_TESTBED_AUTH="http://127.0.0.1:$(cat "$beds/auth/port")"
export DDBSTACK_REQUIRE_TESTBED=1
swift test --skip-build
