#!/usr/bin/env bash
# The README's main command: builds ddbstack and runs it on the bundled template.
# lint → plan → (stack created by a script until `ddbstack deploy` lands) → plan a change → drift, against the
# local test bed (ministack on 127.0.0.1, dummy credentials).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product ddbstack
exec scripts/testbed.sh isolated scripts/demo/story.sh
