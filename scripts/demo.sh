#!/usr/bin/env bash
# The README's main command: builds ddbstack and runs it on the bundled template.
# lint → plan → deploy (create, a GSI and its backfill, a two-step staged deploy, a refused key change) → drift, against the
# local test bed (ministack on 127.0.0.1, dummy credentials).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build-release.sh --product ddbstack
exec scripts/testbed.sh isolated scripts/demo/story.sh
