#!/usr/bin/env bash
# Benchmark: how soon each waiter notices that a stack and its tables are ready, and what it costs in
# DescribeTable calls — `ddbstack wait` against the AWS CLI's waiters (`aws cloudformation wait
# stack-update-complete`, then `aws dynamodb wait table-exists` per table, which poll every 30 s and 20 s). The
# fault proxy holds the stack UPDATE_IN_PROGRESS, the tables UPDATING or a GSI backfilling, for a few seconds.
# Runs in a loopback-only network namespace; takes about three minutes (the AWS CLI's 30 s and 20 s polls).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build-release.sh --product ddbstack >/dev/null
if ! command -v aws >/dev/null; then
  [[ -x .venv/awscli/bin/aws ]] || { python3 -m venv .venv/awscli && .venv/awscli/bin/pip install --quiet --disable-pip-version-check awscli; }
  export PATH="$PWD/.venv/awscli/bin:$PATH"
fi
export AWS_CLI
AWS_CLI=$(command -v aws)
exec scripts/testbed.sh isolated scripts/bench/readiness.sh
