#!/usr/bin/env python3
"""For the demo: what someone does by hand in the console — enables TTL on a table behind CloudFormation's back.
Usage: out_of_band.py ENDPOINT TABLE ATTRIBUTE."""
import sys

import boto3

endpoint, table, attribute = sys.argv[1:4]
ddb = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                   aws_secret_access_key="testing")
ddb.update_time_to_live(TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": attribute})
print(f"TTL on '{attribute}' enabled on {table} by hand")
