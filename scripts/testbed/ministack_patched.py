#!/usr/bin/env python3
"""Starts ministack 1.5.33 with its AWS::DynamoDB::Table handler wrapped (not forked) so that stack
operations behave as CloudFormation documents (FACTS.md §1 and §4):
- TTL, PITR, SSE, TableClass, throughput, deletion protection and contributor insights applied at create and on
  every update;
- at most one GSI creation or deletion per table per update, and no change to a GSI's keys or projection
  under the same name — refused with AWS's messages, so the engine's UPDATE_FAILED → rollback path runs;
- a deletion-protected table is never deleted; a TableName already taken is refused (ministack adopts it);
- a replaced unnamed table gets a new generated name, and the old one goes or stays by UpdateReplacePolicy;
- AWS's numbers: capacity as numbers, 0/0 on on-demand tables and their GSIs, IndexStatus on every GSI;
- AWS::DynamoDB::GlobalTable: a replica table in every region of Replicas (through UpdateTable ReplicaUpdates,
  so DescribeTable lists them), each with its own settings; the stack's region required and never removed; one
  replica added or removed per update; a removed replica's table deleted with its items; change sets classify
  its properties as the GlobalTable schema does (a Replicas change is Replacement False).
It binds 127.0.0.1 only, with the IoT and SFTP side listeners off."""
import copy
import os
import time

for name, value in {"BIND_HOST": "127.0.0.1", "MINISTACK_HOST": "127.0.0.1", "IOT_MTLS_ENABLED": "0", "SFTP_ENABLED": "0",
                    "PERSIST_STATE": "0", "DOCKER_HOST": "unix:///nonexistent/docker.sock"}.items():
    os.environ[name] = value if name in ("BIND_HOST", "MINISTACK_HOST") else os.environ.get(name, value)

from ministack.core.responses import get_account_id, get_region, request_scope  # noqa: E402
from ministack.services import dynamodb as ddb  # noqa: E402
from ministack.services.cloudformation import provisioners  # noqa: E402

HANDLERS = provisioners._RESOURCE_HANDLERS["AWS::DynamoDB::Table"]
ORIGINAL = dict(HANDLERS)
IN_PLACE_GSI_PROPERTIES = {"ProvisionedThroughput", "ContributorInsightsSpecification", "OnDemandThroughput", "WarmThroughput"}


def truthy(value):
    return value is True or (isinstance(value, str) and value.lower() == "true")


def capacity(throughput, billing):
    if billing == "PAY_PER_REQUEST" or not throughput:
        return {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0, "NumberOfDecreasesToday": 0}
    return {"ReadCapacityUnits": int(throughput.get("ReadCapacityUnits", 0)),
            "WriteCapacityUnits": int(throughput.get("WriteCapacityUnits", 0)), "NumberOfDecreasesToday": 0}


def apply_settings(name, props):
    table = ddb._tables.get(name)
    if table is None:
        return
    billing = props.get("BillingMode", "PROVISIONED")
    table["BillingModeSummary"] = {**(table.get("BillingModeSummary") or {}), "BillingMode": billing}
    table["ProvisionedThroughput"] = capacity(props.get("ProvisionedThroughput"), billing)
    declared = {g["IndexName"]: g for g in props.get("GlobalSecondaryIndexes", [])}
    # ministack stores the template's own dicts; copy before adding what only DescribeTable shows.
    table["GlobalSecondaryIndexes"] = copy.deepcopy(table.get("GlobalSecondaryIndexes") or [])
    for index in table["GlobalSecondaryIndexes"]:
        index.setdefault("IndexStatus", "ACTIVE")
        index["ProvisionedThroughput"] = capacity((declared.get(index["IndexName"]) or {}).get("ProvisionedThroughput"), billing)
    ttl = props.get("TimeToLiveSpecification")
    if ttl:
        ddb._ttl_settings[name] = {"TimeToLiveStatus": "ENABLED" if truthy(ttl.get("Enabled")) else "DISABLED",
                                   "AttributeName": ttl.get("AttributeName", "")}
    else:
        ddb._ttl_settings.pop(name, None)
    ddb._pitr_settings[name] = truthy((props.get("PointInTimeRecoverySpecification") or {}).get("PointInTimeRecoveryEnabled"))
    sse = props.get("SSESpecification") or {}
    if truthy(sse.get("SSEEnabled")):
        key = sse.get("KMSMasterKeyId") or "aws/dynamodb"
        arn = key if key.startswith("arn:") else f"arn:aws:kms:{get_region()}:{get_account_id()}:key/{key.split('/')[-1]}"
        table["SSEDescription"] = {"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": arn}
    else:
        table["SSEDescription"] = None
    table_class = props.get("TableClass")
    table["TableClassSummary"] = {"TableClass": table_class} if table_class else None
    table["DeletionProtectionEnabled"] = truthy(props.get("DeletionProtectionEnabled"))
    apply_contributor_insights(name, None, props)
    for index in table["GlobalSecondaryIndexes"]:
        apply_contributor_insights(name, index["IndexName"], declared.get(index["IndexName"]) or {})


def apply_contributor_insights(name, index_name, props):
    key = ddb._ci_key(name, index_name)
    if truthy((props.get("ContributorInsightsSpecification") or {}).get("Enabled")):
        ddb._contributor_insights[key] = {"ContributorInsightsStatus": "ENABLED", "LastUpdateDateTime": int(time.time()),
                                          "ContributorInsightsRuleList": []}
    else:
        ddb._contributor_insights.pop(key, None)


def index_shape(index):
    return {key: value for key, value in index.items() if key not in IN_PLACE_GSI_PROPERTIES}


def create(logical_id, props, stack_name):
    name = props.get("TableName")
    if name and name in ddb._tables:
        # AWS refuses a name that is taken; ministack would adopt the existing table as the stack's own.
        raise ValueError(f"Resource of type 'AWS::DynamoDB::Table' with identifier '{name}' already exists.")
    result = ORIGINAL["create"](logical_id, props, stack_name)
    apply_settings(result[0], props)
    return result


def update(physical_id, old_props, new_props, stack_name, logical_id=None):
    old = {g["IndexName"]: g for g in old_props.get("GlobalSecondaryIndexes", [])}
    new = {g["IndexName"]: g for g in new_props.get("GlobalSecondaryIndexes", [])}
    if len(new.keys() - old.keys()) + len(old.keys() - new.keys()) > 1:
        raise ValueError("Cannot perform more than one GSI creation or deletion in a single update")
    for name in new.keys() & old.keys():
        if index_shape(old[name]) != index_shape(new[name]):
            raise ValueError("Cannot update GSI's properties other than Provisioned Throughput and Contributor Insights "
                             "Specification. You can create a new GSI with a different name.")
    if not old_props.get("TableName") and not new_props.get("TableName"):
        if requires_replacement(old_props, new_props):
            # As on AWS: a new table under a new name; the engine's predecessor rule applies UpdateReplacePolicy.
            result = provisioners._seeded_create(create, logical_id or physical_id, new_props, stack_name)
            provisioners._delete_predecessor(delete, physical_id, old_props)
            return result
        # Pin the generated name, so in-place updates reach the table that exists under it.
        old_props, new_props = {**old_props, "TableName": physical_id}, {**new_props, "TableName": physical_id}
    result = ORIGINAL["update"](physical_id, old_props, new_props, stack_name, logical_id)
    apply_settings(result[0], new_props)
    return result


def requires_replacement(old_props, new_props):
    """KeySchema, LSIs, or the type of an existing attribute changed (FACTS.md §1)."""
    if old_props.get("KeySchema") != new_props.get("KeySchema"):
        return True
    if old_props.get("LocalSecondaryIndexes") != new_props.get("LocalSecondaryIndexes"):
        return True
    old_types = {a["AttributeName"]: a["AttributeType"] for a in old_props.get("AttributeDefinitions", [])}
    return any(old_types.get(a["AttributeName"], a["AttributeType"]) != a["AttributeType"] for a in new_props.get("AttributeDefinitions", []))


def delete(physical_id, props):
    table = ddb._tables.get(physical_id)
    if table is not None and table.get("DeletionProtectionEnabled"):
        raise ValueError(f"Resource cannot be deleted: table {physical_id} has DeletionProtectionEnabled set to true "
                         "(ResourceInUseException)")
    return ORIGINAL["delete"](physical_id, props)


HANDLERS.update({"create": create, "update": update, "delete": delete})

GLOBAL_HANDLERS = provisioners._RESOURCE_HANDLERS["AWS::DynamoDB::GlobalTable"]
GLOBAL_ORIGINAL = dict(GLOBAL_HANDLERS)
REPLICA_SETTINGS = ("PointInTimeRecoverySpecification", "DeletionProtectionEnabled", "TableClass", "ContributorInsightsSpecification")


def replicas_of(props):
    return {r["Region"]: r for r in props.get("Replicas", [])}


def replica_props(props, replica):
    """The table's settings as one replica has them: per-replica settings over the table's."""
    merged = {k: v for k, v in props.items() if k not in REPLICA_SETTINGS}
    merged.update({k: replica[k] for k in REPLICA_SETTINGS if k in replica})
    key = (replica.get("SSESpecification") or {}).get("KMSMasterKeyId")
    if key:
        merged["SSESpecification"] = {**(props.get("SSESpecification") or {}), "KMSMasterKeyId": key}
    return merged


def replica_updates(name, action, regions):
    for region in regions:
        status, _, body = ddb._update_table({"TableName": name, "ReplicaUpdates": [{action: {"RegionName": region}}]})
        if status >= 400:
            raise ValueError(f"replica {action.lower()} in {region} failed: {body!r}")


def apply_replica_settings(name, props):
    account = get_account_id()
    for region, replica in replicas_of(props).items():
        with request_scope(account, region):
            apply_settings(name, replica_props(props, replica))


def global_create(logical_id, props, stack_name):
    home, replicas = get_region(), replicas_of(props)
    if home not in replicas:
        raise ValueError(f"Replicas must include the stack's region {home}")
    name = props.get("TableName")
    if name and name in ddb._tables:
        raise ValueError(f"Resource of type 'AWS::DynamoDB::GlobalTable' with identifier '{name}' already exists.")
    result = GLOBAL_ORIGINAL["create"](logical_id, props, stack_name)
    replica_updates(result[0], "Create", sorted(set(replicas) - {home}))
    apply_replica_settings(result[0], props)
    return result


def global_update(physical_id, old_props, new_props, stack_name, logical_id=None):
    home, old, new = get_region(), replicas_of(old_props), replicas_of(new_props)
    added, removed = sorted(new.keys() - old.keys()), sorted(old.keys() - new.keys())
    if home in removed:
        raise ValueError(f"The replica in the stack's region {home} cannot be removed")
    if len(added) + len(removed) > 1:
        raise ValueError("Only one replica can be added or removed in a single stack update")
    result = GLOBAL_ORIGINAL["update"](physical_id, old_props, new_props, stack_name)
    replica_updates(physical_id, "Delete", removed)
    replica_updates(physical_id, "Create", added)
    apply_replica_settings(physical_id, new_props)
    return result


def global_delete(physical_id, props):
    replica_updates(physical_id, "Delete", sorted(set(replicas_of(props)) - {get_region()}))
    return GLOBAL_ORIGINAL["delete"](physical_id, props)


GLOBAL_HANDLERS.update({"create": global_create, "update": global_update, "delete": global_delete})
# Change sets: ministack knows no GlobalTable schema and calls every changed property "Conditionally" replacing; on
# AWS only TableName is create-only, and KeySchema, LocalSecondaryIndexes and GlobalTableSourceArn conditionally.
provisioners._REPLACING_PROPERTIES["AWS::DynamoDB::GlobalTable"] = ("TableName",)
provisioners._CONDITIONALLY_REPLACING_PROPERTIES["AWS::DynamoDB::GlobalTable"] = (
    "KeySchema", "LocalSecondaryIndexes", "GlobalTableSourceArn")

if __name__ == "__main__":
    from ministack.app import main
    main()
