/// The properties of the three table resources, from the CloudFormation resource schemas (FACTS.md §1).
public enum Shapes {
    static let keySchema = Shape.list(
        .object(
            ObjectShape(
                "KeySchema", ["AttributeName": .string, "KeyType": .string],
                required: ["AttributeName", "KeyType"])))
    static let attributeDefinitions = Shape.list(
        .object(
            ObjectShape(
                "AttributeDefinitions", ["AttributeName": .string, "AttributeType": .string],
                required: ["AttributeName", "AttributeType"])))
    static let throughput = Shape.object(
        ObjectShape(
            "ProvisionedThroughput", ["ReadCapacityUnits": .integer, "WriteCapacityUnits": .integer],
            required: ["ReadCapacityUnits", "WriteCapacityUnits"]))
    static let onDemand = Shape.object(
        ObjectShape("OnDemandThroughput", ["MaxReadRequestUnits": .integer, "MaxWriteRequestUnits": .integer]))
    static let warm = Shape.object(
        ObjectShape("WarmThroughput", ["ReadUnitsPerSecond": .integer, "WriteUnitsPerSecond": .integer]))
    static let projection = Shape.object(
        ObjectShape("Projection", ["NonKeyAttributes": .list(.string), "ProjectionType": .string]))
    static let contributorInsights = Shape.object(
        ObjectShape(
            "ContributorInsightsSpecification", ["Enabled": .boolean, "Mode": .string],
            required: ["Enabled"]))
    static let resourcePolicy = Shape.object(
        ObjectShape("ResourcePolicy", ["PolicyDocument": .any], required: ["PolicyDocument"]))
    static let pointInTimeRecovery = Shape.object(
        ObjectShape(
            "PointInTimeRecoverySpecification",
            ["PointInTimeRecoveryEnabled": .boolean, "RecoveryPeriodInDays": .integer]))
    static let timeToLive = Shape.object(
        ObjectShape(
            "TimeToLiveSpecification", ["AttributeName": .string, "Enabled": .boolean],
            required: ["Enabled"]))
    static let tags = Shape.list(
        .object(ObjectShape("Tags", ["Key": .string, "Value": .string], required: ["Key", "Value"])))
    static let kinesis = Shape.object(
        ObjectShape(
            "KinesisStreamSpecification",
            ["StreamArn": .string, "ApproximateCreationDateTimePrecision": .string],
            required: ["StreamArn"]))

    static let localSecondaryIndex = Shape.object(
        ObjectShape(
            "LocalSecondaryIndexes", ["IndexName": .string, "KeySchema": keySchema, "Projection": projection],
            required: ["IndexName", "KeySchema", "Projection"]))

    public static let table = ObjectShape(
        "AWS::DynamoDB::Table",
        [
            "AttributeDefinitions": attributeDefinitions, "BillingMode": .string,
            "ContributorInsightsSpecification": contributorInsights,
            "DeletionProtectionEnabled": .boolean,
            "GlobalSecondaryIndexes": .list(
                .object(
                    ObjectShape(
                        "GlobalSecondaryIndexes",
                        [
                            "IndexName": .string, "KeySchema": keySchema, "Projection": projection,
                            "ProvisionedThroughput": throughput,
                            "ContributorInsightsSpecification": contributorInsights, "OnDemandThroughput": onDemand,
                            "WarmThroughput": warm,
                        ], required: ["IndexName", "KeySchema", "Projection"]))),
            "ImportSourceSpecification": .any, "KeySchema": keySchema, "KinesisStreamSpecification": kinesis,
            "LocalSecondaryIndexes": .list(localSecondaryIndex), "OnDemandThroughput": onDemand,
            "PointInTimeRecoverySpecification": pointInTimeRecovery, "ProvisionedThroughput": throughput,
            "ResourcePolicy": resourcePolicy,
            "SSESpecification": .object(
                ObjectShape(
                    "SSESpecification", ["SSEEnabled": .boolean, "SSEType": .string, "KMSMasterKeyId": .string],
                    required: ["SSEEnabled"])),
            "StreamSpecification": .object(
                ObjectShape(
                    "StreamSpecification", ["StreamViewType": .string, "ResourcePolicy": resourcePolicy],
                    required: ["StreamViewType"])),
            "TableClass": .string, "TableName": .string, "Tags": tags, "TimeToLiveSpecification": timeToLive,
            "WarmThroughput": warm,
        ], required: ["KeySchema"])

    static let autoScaling = Shape.object(
        ObjectShape(
            "CapacityAutoScalingSettings",
            [
                "MinCapacity": .integer, "MaxCapacity": .integer, "SeedCapacity": .integer,
                "TargetTrackingScalingPolicyConfiguration": .object(
                    ObjectShape(
                        "TargetTrackingScalingPolicyConfiguration",
                        [
                            "DisableScaleIn": .boolean, "ScaleInCooldown": .integer, "ScaleOutCooldown": .integer,
                            "TargetValue": .number,
                        ], required: ["TargetValue"])),
            ], required: ["MinCapacity", "MaxCapacity", "TargetTrackingScalingPolicyConfiguration"]))
    static let writeProvisioned = Shape.object(
        ObjectShape(
            "WriteProvisionedThroughputSettings",
            ["WriteCapacityAutoScalingSettings": autoScaling]))
    static let readProvisioned = Shape.object(
        ObjectShape(
            "ReadProvisionedThroughputSettings",
            ["ReadCapacityUnits": .integer, "ReadCapacityAutoScalingSettings": autoScaling]))
    static let readOnDemand = Shape.object(
        ObjectShape("ReadOnDemandThroughputSettings", ["MaxReadRequestUnits": .integer]))
    static let writeOnDemand = Shape.object(
        ObjectShape("WriteOnDemandThroughputSettings", ["MaxWriteRequestUnits": .integer]))

    public static let globalTable = ObjectShape(
        "AWS::DynamoDB::GlobalTable",
        [
            "AttributeDefinitions": attributeDefinitions, "BillingMode": .string,
            "GlobalSecondaryIndexes": .list(
                .object(
                    ObjectShape(
                        "GlobalSecondaryIndexes",
                        [
                            "IndexName": .string, "KeySchema": keySchema, "Projection": projection,
                            "ReadOnDemandThroughputSettings": readOnDemand,
                            "ReadProvisionedThroughputSettings": readProvisioned, "WarmThroughput": warm,
                            "WriteOnDemandThroughputSettings": writeOnDemand,
                            "WriteProvisionedThroughputSettings": writeProvisioned,
                        ], required: ["IndexName", "KeySchema", "Projection"]))),
            "GlobalTableSourceArn": .string,
            "GlobalTableWitnesses": .list(.object(ObjectShape("GlobalTableWitnesses", ["Region": .string]))),
            "KeySchema": keySchema, "LocalSecondaryIndexes": .list(localSecondaryIndex),
            "MultiRegionConsistency": .string,
            "ReadOnDemandThroughputSettings": readOnDemand, "ReadProvisionedThroughputSettings": readProvisioned,
            "Replicas": .list(
                .object(
                    ObjectShape(
                        "Replicas",
                        [
                            "Region": .string, "ContributorInsightsSpecification": contributorInsights,
                            "DeletionProtectionEnabled": .boolean,
                            "GlobalSecondaryIndexes": .list(
                                .object(
                                    ObjectShape(
                                        "GlobalSecondaryIndexes",
                                        [
                                            "IndexName": .string,
                                            "ContributorInsightsSpecification": contributorInsights,
                                            "ReadOnDemandThroughputSettings": readOnDemand,
                                            "ReadProvisionedThroughputSettings": readProvisioned,
                                        ], required: ["IndexName"]))),
                            "GlobalTableSettingsReplicationMode": .string, "KinesisStreamSpecification": kinesis,
                            "PointInTimeRecoverySpecification": pointInTimeRecovery,
                            "ReadOnDemandThroughputSettings": readOnDemand,
                            "ReadProvisionedThroughputSettings": readProvisioned,
                            "ReplicaStreamSpecification": .object(
                                ObjectShape(
                                    "ReplicaStreamSpecification", ["ResourcePolicy": resourcePolicy],
                                    required: ["ResourcePolicy"])),
                            "ResourcePolicy": resourcePolicy,
                            "SSESpecification": .object(
                                ObjectShape(
                                    "SSESpecification", ["KMSMasterKeyId": .string], required: ["KMSMasterKeyId"])),
                            "TableClass": .string, "Tags": tags,
                        ], required: ["Region"]))),
            "SSESpecification": .object(
                ObjectShape("SSESpecification", ["SSEEnabled": .boolean, "SSEType": .string], required: ["SSEEnabled"])),
            "StreamSpecification": .object(
                ObjectShape("StreamSpecification", ["StreamViewType": .string], required: ["StreamViewType"])),
            "TableName": .string, "TimeToLiveSpecification": timeToLive, "WarmThroughput": warm,
            "WriteOnDemandThroughputSettings": writeOnDemand, "WriteProvisionedThroughputSettings": writeProvisioned,
        ], required: ["KeySchema", "AttributeDefinitions", "Replicas"])

    /// SAM's table: a primary key, optional throughput (on-demand without it), a name, a tag map, SSE.
    public static let simpleTable = ObjectShape(
        "AWS::Serverless::SimpleTable",
        [
            "PrimaryKey": .object(
                ObjectShape("PrimaryKey", ["Name": .string, "Type": .string], required: ["Name", "Type"])),
            "ProvisionedThroughput": throughput, "TableName": .string, "Tags": .any,
            "PointInTimeRecoverySpecification": pointInTimeRecovery,
            "SSESpecification": .object(
                ObjectShape("SSESpecification", ["SSEEnabled": .boolean], required: ["SSEEnabled"])),
        ])

    public static func shape(of kind: Table.Kind) -> ObjectShape {
        switch kind {
        case .table: return table
        case .globalTable: return globalTable
        case .simpleTable: return simpleTable
        }
    }
}
