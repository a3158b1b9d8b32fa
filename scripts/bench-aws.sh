#!/usr/bin/env bash
# Benchmark: 1,000 DescribeTable calls at concurrency 8 against the local emulator, whole process, ddbstack's
# client (the ddbstack-bench target) against a boto3 script making the same calls. Runs in a loopback-only
# network namespace with the test bed; prints median time, peak memory and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product ddbstack-bench >/dev/null
exec scripts/testbed.sh isolated scripts/bench/aws.sh
