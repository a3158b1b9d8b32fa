#!/usr/bin/env bash
# Benchmark: 1,000 DescribeTable calls at concurrency 8 against the local emulator, whole process, ddbstack's
# client (the ddbstack-bench target) against a boto3 script making the same calls. Runs in a loopback-only
# network namespace with the test bed; prints median time, peak memory and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product ddbstack-bench >/dev/null
scripts/testbed.sh install
exec unshare --net sh -c '
  set -e
  ip link set lo up
  bed=$(mktemp -d)
  trap "scripts/testbed.sh stop $bed; rm -rf $bed" EXIT
  scripts/testbed.sh start "$bed"
  endpoint="http://127.0.0.1:$(cat "$bed/port")"
  export AWS_EC2_METADATA_DISABLED=true
  python3 -c "
import boto3
boto3.client(\"dynamodb\", endpoint_url=\"$endpoint\", region_name=\"us-east-1\", aws_access_key_id=\"testing\", aws_secret_access_key=\"testing\").create_table(
    TableName=\"bench\", BillingMode=\"PAY_PER_REQUEST\", AttributeDefinitions=[{\"AttributeName\": \"id\", \"AttributeType\": \"S\"}],
    KeySchema=[{\"AttributeName\": \"id\", \"KeyType\": \"HASH\"}])"
  echo "== 1,000 DescribeTable calls at concurrency 8 against ministack on loopback"
  python3 scripts/bench/measure.py ${RUNS:-5} \
    "boto3=python3 scripts/bench/boto3_describe.py $endpoint bench 1000 8" \
    "ddbstack=.build/release/ddbstack-bench $endpoint bench 1000 8"
'
