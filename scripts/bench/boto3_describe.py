#!/usr/bin/env python3
"""The boto3 side of scripts/bench-aws.sh: N DescribeTable calls at concurrency C, one shared client."""
import sys
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

endpoint, table = sys.argv[1], sys.argv[2]
calls = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
concurrency = int(sys.argv[4]) if len(sys.argv) > 4 else 8
client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                      aws_secret_access_key="testing", config=Config(max_pool_connections=concurrency))
with ThreadPoolExecutor(concurrency) as pool:
    results = list(pool.map(lambda _: client.describe_table(TableName=table)["Table"]["TableName"], range(calls)))
print(f"{len(results)} DescribeTable calls, concurrency {concurrency}")
