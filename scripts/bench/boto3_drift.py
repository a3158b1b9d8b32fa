#!/usr/bin/env python3
"""The boto3 side of scripts/bench-drift.sh: the reads `ddbstack drift --stack` makes, one table after another,
as a hand-written drift script would (DescribeStacks, GetTemplate, ListStackResources, then DescribeTable,
DescribeTimeToLive, DescribeContinuousBackups and ListTagsOfResource per table). Prints the number of calls."""
import sys

import boto3

endpoint, stack = sys.argv[1], sys.argv[2]
kw = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
cfn, ddb = boto3.client("cloudformation", **kw), boto3.client("dynamodb", **kw)
calls = 3
cfn.describe_stacks(StackName=stack)
cfn.get_template(StackName=stack)
resources = []
for page in cfn.get_paginator("list_stack_resources").paginate(StackName=stack):
    resources += page["StackResourceSummaries"]
    calls += 1
calls -= 1
for resource in resources:
    if resource["ResourceType"] != "AWS::DynamoDB::Table":
        continue
    name = resource["PhysicalResourceId"]
    table = ddb.describe_table(TableName=name)["Table"]
    ddb.describe_time_to_live(TableName=name)
    ddb.describe_continuous_backups(TableName=name)
    ddb.list_tags_of_resource(ResourceArn=table["TableArn"])
    calls += 4
print(f"{calls} calls")
