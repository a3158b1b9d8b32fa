#!/usr/bin/env python3
"""Creates a stack on the test bed, for the benchmarks and the demo (until `ddbstack deploy` does it): uploads the
template to the emulator's S3 and passes TemplateURL, which works at any size (CloudFormation needs it above
51,200 bytes). Usage: create_stack.py ENDPOINT STACK TEMPLATE [KEY=VALUE ...] (parameters)."""
import sys
import time

import boto3

endpoint, stack, path = sys.argv[1:4]
kw = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
s3, cfn = boto3.client("s3", **kw), boto3.client("cloudformation", **kw)
s3.create_bucket(Bucket="ddbstack-bench-templates")
s3.put_object(Bucket="ddbstack-bench-templates", Key=f"{stack}.yaml", Body=open(path, "rb").read())
parameters = [{"ParameterKey": k, "ParameterValue": v} for k, v in (arg.split("=", 1) for arg in sys.argv[4:])]
cfn.create_stack(StackName=stack, TemplateURL=f"{endpoint}/ddbstack-bench-templates/{stack}.yaml", Parameters=parameters)
while True:
    status = cfn.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
    if not status.endswith("IN_PROGRESS"):
        break
    time.sleep(0.2)
if status != "CREATE_COMPLETE":
    sys.exit(f"stack {stack}: {status}")
print(f"stack {stack}: {status}")
