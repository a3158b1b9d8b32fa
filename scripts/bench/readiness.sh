#!/usr/bin/env bash
# The inside of scripts/bench-readiness.sh, run by `scripts/testbed.sh isolated`: a 3-table stack created and then
# updated (so the AWS CLI's stack-update-complete waiter applies), then the measurements of readiness.py.
set -euo pipefail
export AWS_ENDPOINT_URL=$TESTBED_PROXY
ddbstack=.build/release/ddbstack
"$ddbstack" deploy fixtures/stacks/app.yaml --stack bench --parameter Env=bench --color never >/dev/null
"$ddbstack" deploy fixtures/stacks/app.yaml --stack bench --tags bench=readiness --color never >/dev/null
python3 scripts/bench/readiness.py "$AWS_CLI" "$ddbstack"
