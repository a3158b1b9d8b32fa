#!/usr/bin/env python3
"""Checks that the patched emulator behaves as FACTS.md §1 documents, through CloudFormation and boto3.
Usage: selftest.py ENDPOINT. Exits non-zero with the first behaviour that does not match."""
import json
import sys
import time
import uuid

import boto3

endpoint = sys.argv[1]
settings = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
cfn = boto3.client("cloudformation", **settings)
ddb = boto3.client("dynamodb", **settings)
run = uuid.uuid4().hex[:8]
checks = 0


def check(condition, what):
    global checks
    checks += 1
    if not condition:
        sys.exit(f"testbed self-test FAILED: {what}")


def template(name, indexes=("a",), projection="ALL", ttl="expiresAt", protection=True, billing="PAY_PER_REQUEST", policy="Delete"):
    properties = {
        "TableName": name, "BillingMode": billing,
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}] + [{"AttributeName": i, "AttributeType": "S"} for i in indexes],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "TimeToLiveSpecification": {"AttributeName": ttl, "Enabled": True},
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        "SSESpecification": {"SSEEnabled": True}, "TableClass": "STANDARD_INFREQUENT_ACCESS",
        "DeletionProtectionEnabled": protection, "ContributorInsightsSpecification": {"Enabled": True},
    }
    if billing == "PROVISIONED":
        properties["ProvisionedThroughput"] = {"ReadCapacityUnits": {"Ref": "Capacity"}, "WriteCapacityUnits": 2}
    if indexes:
        properties["GlobalSecondaryIndexes"] = [{"IndexName": "by" + i, "KeySchema": [{"AttributeName": i, "KeyType": "HASH"}],
                                                 "Projection": {"ProjectionType": projection}} for i in indexes]
        if billing == "PROVISIONED":
            for index in properties["GlobalSecondaryIndexes"]:
                index["ProvisionedThroughput"] = {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}
    return json.dumps({"Parameters": {"Capacity": {"Type": "Number", "Default": 3}},
                       "Resources": {"T": {"Type": "AWS::DynamoDB::Table", "DeletionPolicy": policy, "Properties": properties}}})


def settle(stack):
    for _ in range(300):
        try:
            status = cfn.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
        except cfn.exceptions.ClientError as error:
            if "does not exist" in str(error):
                return "DELETE_COMPLETE"
            raise
        if not status.endswith("IN_PROGRESS"):
            return status
        time.sleep(0.05)
    sys.exit(f"testbed self-test FAILED: stack {stack} never settled")


def failure_reason(stack):
    events = cfn.describe_stack_events(StackName=stack)["StackEvents"]
    return next((e.get("ResourceStatusReason", "") for e in events if e["ResourceStatus"] == "UPDATE_FAILED"), "")


stack, table = f"selftest-{run}", f"selftest-{run}"
cfn.create_stack(StackName=stack, TemplateBody=template(table))
check(settle(stack) == "CREATE_COMPLETE", "create completes")
description = ddb.describe_table(TableName=table)["Table"]
check(description["ProvisionedThroughput"]["ReadCapacityUnits"] == 0, "on-demand tables report 0/0 throughput")
check(description["GlobalSecondaryIndexes"][0].get("IndexStatus") == "ACTIVE", "GSIs carry IndexStatus")
check(description["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]["WriteCapacityUnits"] == 0, "on-demand GSIs report 0/0")
check((description.get("SSEDescription") or {}).get("Status") == "ENABLED", "SSE applied at create")
check((description.get("TableClassSummary") or {}).get("TableClass") == "STANDARD_INFREQUENT_ACCESS", "TableClass applied at create")
check(description["DeletionProtectionEnabled"] is True, "deletion protection applied at create")
check(ddb.describe_time_to_live(TableName=table)["TimeToLiveDescription"].get("AttributeName") == "expiresAt", "TTL applied at create")
pitr = ddb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
check(pitr["PointInTimeRecoveryStatus"] == "ENABLED", "PITR applied at create")
check(ddb.describe_contributor_insights(TableName=table)["ContributorInsightsStatus"] == "ENABLED", "contributor insights applied at create")

cfn.update_stack(StackName=stack, TemplateBody=template(table, indexes=("a", "b", "c")))
check(settle(stack) == "UPDATE_ROLLBACK_COMPLETE", "two GSI creations in one update roll back")
check("Cannot perform more than one GSI creation or deletion in a single update" in failure_reason(stack), "with AWS's message")

cfn.update_stack(StackName=stack, TemplateBody=template(table, projection="KEYS_ONLY"))
check(settle(stack) == "UPDATE_ROLLBACK_COMPLETE", "a GSI projection change rolls back")
check("Cannot update GSI's properties other than Provisioned Throughput" in failure_reason(stack), "with AWS's message")

cfn.update_stack(StackName=stack, TemplateBody=template(table, indexes=("a", "b"), ttl="deleteAfter"))
check(settle(stack) == "UPDATE_COMPLETE", "one GSI creation in an update completes")
indexes = [i["IndexName"] for i in ddb.describe_table(TableName=table)["Table"]["GlobalSecondaryIndexes"]]
check(indexes == ["bya", "byb"], f"the GSI is added ({indexes})")
check(ddb.describe_time_to_live(TableName=table)["TimeToLiveDescription"].get("AttributeName") == "deleteAfter", "TTL applied on update")

cfn.delete_stack(StackName=stack)
settle(stack)
check(table in ddb.list_tables()["TableNames"], "a deletion-protected table is never deleted")

provisioned_stack, provisioned_table = f"selftest-p-{run}", f"selftest-p-{run}"
cfn.create_stack(StackName=provisioned_stack, TemplateBody=template(provisioned_table, billing="PROVISIONED", protection=False))
check(settle(provisioned_stack) == "CREATE_COMPLETE", "a provisioned table is created")
capacity = ddb.describe_table(TableName=provisioned_table)["Table"]["ProvisionedThroughput"]["ReadCapacityUnits"]
check(capacity == 3 and isinstance(capacity, int), f"a Number parameter's capacity is a number ({capacity!r})")
cfn.delete_stack(StackName=provisioned_stack)
settle(provisioned_stack)
check(provisioned_table not in ddb.list_tables()["TableNames"], "an unprotected table is deleted with its stack")
for policy in ("Retain", "Delete"):
    replaced_stack = f"selftest-r-{policy.lower()}-{run}"
    body = json.loads(template("", indexes=(), protection=False))
    resource = body["Resources"]["T"]
    del resource["Properties"]["TableName"]
    resource["UpdateReplacePolicy"] = policy
    cfn.create_stack(StackName=replaced_stack, TemplateBody=json.dumps(body))
    check(settle(replaced_stack) == "CREATE_COMPLETE", "an unnamed table is created")
    before = cfn.describe_stack_resources(StackName=replaced_stack)["StackResources"][0]["PhysicalResourceId"]
    resource["Properties"]["AttributeDefinitions"].append({"AttributeName": "at", "AttributeType": "S"})
    resource["Properties"]["KeySchema"].append({"AttributeName": "at", "KeyType": "RANGE"})
    cfn.update_stack(StackName=replaced_stack, TemplateBody=json.dumps(body))
    check(settle(replaced_stack) == "UPDATE_COMPLETE", "a key change replaces an unnamed table")
    after = cfn.describe_stack_resources(StackName=replaced_stack)["StackResources"][0]["PhysicalResourceId"]
    check(after != before, f"the replacement has a new name ({before} → {after})")
    tables = ddb.list_tables()["TableNames"]
    check(after in tables, "the replacement exists")
    check((before in tables) == (policy == "Retain"), f"UpdateReplacePolicy {policy} decides whether the old table stays")
    resource["Properties"]["TimeToLiveSpecification"]["AttributeName"] = "ttl2"
    cfn.update_stack(StackName=replaced_stack, TemplateBody=json.dumps(body))
    check(settle(replaced_stack) == "UPDATE_COMPLETE", "the replacement updates in place")
    check(ddb.describe_time_to_live(TableName=after)["TimeToLiveDescription"].get("AttributeName") == "ttl2", "settings reach the replacement")
taken_stack = f"selftest-taken-{run}"
cfn.create_stack(StackName=taken_stack, TemplateBody=template(table, protection=False))
check(settle(taken_stack) == "ROLLBACK_COMPLETE", "a TableName already taken fails the creation")
taken_events = cfn.describe_stack_events(StackName=taken_stack)["StackEvents"]
check(any("already exists" in e.get("ResourceStatusReason", "") for e in taken_events if e["ResourceStatus"] == "CREATE_FAILED"),
      "with AWS's message")
check(table in ddb.list_tables()["TableNames"], "and the existing table is left alone")

def global_template(name, replicas):
    return json.dumps({"Resources": {"G": {"Type": "AWS::DynamoDB::GlobalTable", "Properties": {
        "TableName": name, "BillingMode": "PAY_PER_REQUEST", "StreamSpecification": {"StreamViewType": "NEW_AND_OLD_IMAGES"},
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}], "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "Replicas": replicas}}}})


def in_region(region):
    return boto3.client("dynamodb", **{**settings, "region_name": region})


global_stack, global_table = f"selftest-g-{run}", f"selftest-g-{run}"
home = {"Region": "us-east-1", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True}}
cfn.create_stack(StackName=global_stack, TemplateBody=global_template(global_table, [home, {"Region": "eu-west-1", "TableClass": "STANDARD_INFREQUENT_ACCESS"}]))
check(settle(global_stack) == "CREATE_COMPLETE", "a global table is created")
replicas = ddb.describe_table(TableName=global_table)["Table"].get("Replicas", [])
check([(r["RegionName"], r["ReplicaStatus"]) for r in replicas if r["RegionName"] != "us-east-1"] == [("eu-west-1", "ACTIVE")],
      f"DescribeTable lists the other replica ({replicas})")
europe = in_region("eu-west-1").describe_table(TableName=global_table)["Table"]
check((europe.get("TableClassSummary") or {}).get("TableClass") == "STANDARD_INFREQUENT_ACCESS", "a replica gets its own settings")
pitr = ddb.describe_continuous_backups(TableName=global_table)["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
check(pitr["PointInTimeRecoveryStatus"] == "ENABLED", "the home replica gets its own settings")
def replacement(stack, template):
    """The Replacement a change set reports for the stack's one resource."""
    cfn.create_change_set(StackName=stack, ChangeSetName="probe", TemplateBody=template)
    for _ in range(300):
        described = cfn.describe_change_set(StackName=stack, ChangeSetName="probe")
        if described["Status"] not in ("CREATE_PENDING", "CREATE_IN_PROGRESS"):
            break
        time.sleep(0.05)
    cfn.delete_change_set(StackName=stack, ChangeSetName="probe")
    return [c["ResourceChange"].get("Replacement") for c in described["Changes"]]


check(replacement(global_stack, global_template(global_table, [home, {"Region": "eu-west-1"}, {"Region": "ap-south-1"}])) == ["False"],
      "a change set adding a replica does not replace the global table")
check(replacement(global_stack, global_template(global_table + "-renamed", [home, {"Region": "eu-west-1"}])) == ["True"],
      "a change set renaming the global table replaces it")
cfn.update_stack(StackName=global_stack, TemplateBody=global_template(global_table, [home, {"Region": "eu-west-1"}, {"Region": "ap-south-1"}, {"Region": "sa-east-1"}]))
check(settle(global_stack) == "UPDATE_ROLLBACK_COMPLETE", "two replicas added in one update roll back")
cfn.update_stack(StackName=global_stack, TemplateBody=global_template(global_table, [{"Region": "eu-west-1"}]))
check(settle(global_stack) == "UPDATE_ROLLBACK_COMPLETE", "removing the stack's region rolls back")
cfn.update_stack(StackName=global_stack, TemplateBody=global_template(global_table, [home]))
check(settle(global_stack) == "UPDATE_COMPLETE", "one replica removed in an update completes")
check(global_table not in in_region("eu-west-1").list_tables()["TableNames"], "the removed replica's table is deleted")
cfn.delete_stack(StackName=global_stack)
settle(global_stack)
print(f"testbed self-test: {checks} checks passed")
