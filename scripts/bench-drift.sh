#!/usr/bin/env bash
# Benchmark: `ddbstack drift --stack` of a 200-table stack (created through TemplateURL: the template is far over
# the 51,200-byte inline limit), whole process, against a boto3 script making the same reads one table after
# another. Both go through the fault proxy adding 30 ms to every call — roughly AWS's control-plane latency,
# without which a local emulator measures only its own CPU. Runs in a loopback-only network namespace.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build-release.sh --product ddbstack >/dev/null
exec scripts/testbed.sh isolated scripts/bench/drift.sh
