#!/usr/bin/env bash
# The inside of scripts/bench-aws.sh, run by `scripts/testbed.sh isolated`.
set -euo pipefail
python3 -c "
import boto3
boto3.client('dynamodb', endpoint_url='$TESTBED_ENDPOINT', region_name='us-east-1', aws_access_key_id='testing', aws_secret_access_key='testing').create_table(
    TableName='bench', BillingMode='PAY_PER_REQUEST', AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}],
    KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}])"
echo "== 1,000 DescribeTable calls at concurrency 8 against ministack on loopback"
python3 scripts/bench/measure.py "${RUNS:-5}" \
  "boto3=python3 scripts/bench/boto3_describe.py $TESTBED_ENDPOINT bench 1000 8" \
  "ddbstack=.build/release/ddbstack-bench $TESTBED_ENDPOINT bench 1000 8"
