import Schema
import StackModel
import Template

/// A table as it is in the account: the same `Table` a template produces (CloudFormation's property names),
/// plus what only the live table has — its status and each GSI's status and backfill.
public struct LiveTable: Sendable {
    public typealias IndexStatus = StackModel.IndexStatus

    public var table: Table
    public var status: String
    public var indexes: [IndexStatus]
    /// A global table's replicas in other regions, each with its status.
    public var replicas: [ReplicaStatus] = []
    public var arn: String?
    public var streamArn: String?
    /// `BillingModeSummary.LastUpdateToPayPerRequestDateTime`, seconds since 1970.
    public var lastSwitchToOnDemand: Int?

    /// ACTIVE, every GSI ACTIVE, none backfilling, every replica ACTIVE with its GSIs built (as far as read).
    public var isReady: Bool {
        status == "ACTIVE" && indexes.allSatisfy { $0.status == "ACTIVE" && !$0.backfilling }
            && replicas.allSatisfy(\.isReady)
    }

    /// Maps DescribeTable, with DescribeTimeToLive, DescribeContinuousBackups and the tags merged in. Tolerant of
    /// what emulators omit or send as empty strings; `aws:` tags are left out (AWS adds them, templates cannot).
    /// `contributorInsights` holds DescribeContributorInsights' status by index name ("" for the table), and
    /// `kinesis` DescribeKinesisStreamingDestination's answer, when they were read.
    public init(
        description: JSONValue, timeToLive: JSONValue? = nil, continuousBackups: JSONValue? = nil,
        tags: [(String, String)] = [],
        contributorInsights: [String: String] = [:], kinesis: JSONValue? = nil, logicalId: String? = nil
    ) {
        let name = description["TableName"]?.stringValue ?? ""
        var properties: [Node.Entry] = []
        func add(_ key: String, _ value: Node?) {
            if let value { properties.append(Node.Entry(key: key, keyRange: .none, value: value)) }
        }
        add("TableName", .text(name))
        let billing = description["BillingModeSummary"]?["BillingMode"]?.nonEmptyString ?? "PROVISIONED"
        add("BillingMode", .text(billing))
        add(
            "AttributeDefinitions",
            Self.list(description["AttributeDefinitions"], keys: ["AttributeName", "AttributeType"]))
        add("KeySchema", Self.list(description["KeySchema"], keys: ["AttributeName", "KeyType"]))
        if billing == "PROVISIONED" {
            add("ProvisionedThroughput", Self.throughput(description["ProvisionedThroughput"]))
        }
        let gsis = description["GlobalSecondaryIndexes"]?.arrayValue ?? []
        if !gsis.isEmpty {
            add(
                "GlobalSecondaryIndexes",
                Node(
                    .sequence(
                        gsis.map { gsi in
                            Self.index(
                                gsi, provisioned: billing == "PROVISIONED",
                                contributorInsights: contributorInsights[gsi["IndexName"]?.stringValue ?? ""].map(
                                    Self.insightsEnabled))
                        })))
        }
        let lsis = description["LocalSecondaryIndexes"]?.arrayValue ?? []
        if !lsis.isEmpty {
            add("LocalSecondaryIndexes", Node(.sequence(lsis.map { Self.index($0, provisioned: false) })))
        }
        if description["StreamSpecification"]?["StreamEnabled"]?.boolValue == true,
            let view = description["StreamSpecification"]?["StreamViewType"]?.nonEmptyString
        {
            add("StreamSpecification", .mapping(["StreamViewType": .text(view)]))
        }
        if let ttl = timeToLive, ["ENABLED", "ENABLING"].contains(ttl["TimeToLiveStatus"]?.stringValue ?? ""),
            let attribute = ttl["AttributeName"]?.nonEmptyString
        {
            add("TimeToLiveSpecification", .mapping(["AttributeName": .text(attribute), "Enabled": Node(.bool(true))]))
        }
        if let pitr = continuousBackups?["PointInTimeRecoveryDescription"],
            pitr["PointInTimeRecoveryStatus"]?.stringValue == "ENABLED"
        {
            var members = [("PointInTimeRecoveryEnabled", Node(.bool(true)))]
            if let days = pitr["RecoveryPeriodInDays"]?.intValue {
                members.append(("RecoveryPeriodInDays", Node(.number(String(days)))))
            }
            add("PointInTimeRecoverySpecification", .mapping(members))
        }
        if let sse = description["SSEDescription"],
            ["ENABLED", "ENABLING", "UPDATING"].contains(sse["Status"]?.stringValue ?? "")
        {
            var members = [("SSEEnabled", Node(.bool(true)))]
            if let type = sse["SSEType"]?.nonEmptyString { members.append(("SSEType", .text(type))) }
            if let key = sse["KMSMasterKeyArn"]?.nonEmptyString { members.append(("KMSMasterKeyId", .text(key))) }
            add("SSESpecification", .mapping(members))
        }
        if let tableClass = description["TableClassSummary"]?["TableClass"]?.nonEmptyString {
            add("TableClass", .text(tableClass))
        }
        if description["DeletionProtectionEnabled"]?.boolValue == true {
            add("DeletionProtectionEnabled", Node(.bool(true)))
        }
        if let status = contributorInsights[""] {
            add("ContributorInsightsSpecification", .mapping(["Enabled": Node(.bool(Self.insightsEnabled(status)))]))
        }
        if let kinesis {
            let active = (kinesis["KinesisDataStreamDestinations"]?.arrayValue ?? [])
                .first { ["ACTIVE", "ENABLING", "UPDATING"].contains($0["DestinationStatus"]?.stringValue ?? "") }
            if let arn = active?["StreamArn"]?.nonEmptyString {
                add("KinesisStreamSpecification", .mapping(["StreamArn": .text(arn)]))
            }
        }
        let userTags = tags.filter { !$0.0.lowercased().hasPrefix("aws:") }
        if !userTags.isEmpty {
            add("Tags", Node(.sequence(userTags.map { Node.mapping(["Key": .text($0.0), "Value": .text($0.1)]) })))
        }
        table = Table(logicalId: logicalId ?? name, properties: Node(.mapping(properties)))
        status = description["TableStatus"]?.nonEmptyString ?? "ACTIVE"
        indexes = gsis.map { index in
            IndexStatus(
                name: index["IndexName"]?.stringValue ?? "", status: index["IndexStatus"]?.nonEmptyString ?? "ACTIVE",
                backfilling: index["Backfilling"]?.boolValue ?? false)
        }
        replicas = (description["Replicas"]?.arrayValue ?? []).compactMap { replica in
            replica["RegionName"]?.nonEmptyString.map {
                ReplicaStatus(region: $0, status: replica["ReplicaStatus"]?.nonEmptyString ?? "ACTIVE")
            }
        }
        arn = description["TableArn"]?.nonEmptyString
        streamArn = description["LatestStreamArn"]?.nonEmptyString
        lastSwitchToOnDemand = description["BillingModeSummary"]?["LastUpdateToPayPerRequestDateTime"]?.epochSeconds
    }

    private static func list(_ value: JSONValue?, keys: [String]) -> Node {
        Node(
            .sequence(
                (value?.arrayValue ?? []).map { item in
                    .mapping(keys.compactMap { key in item[key]?.stringValue.map { (key, Node.text($0)) } })
                }))
    }

    /// Capacity as numbers, whatever the emulator sent (FACTS.md §4: strings from a Number parameter).
    private static func throughput(_ value: JSONValue?) -> Node? {
        guard let read = value?["ReadCapacityUnits"]?.looseInt, let write = value?["WriteCapacityUnits"]?.looseInt
        else { return nil }
        return .mapping([
            ("ReadCapacityUnits", Node(.number(String(read)))), ("WriteCapacityUnits", Node(.number(String(write)))),
        ])
    }

    private static func insightsEnabled(_ status: String) -> Bool { status == "ENABLED" || status == "ENABLING" }

    private static func index(_ value: JSONValue, provisioned: Bool, contributorInsights: Bool? = nil) -> Node {
        var members: [(String, Node)] = [("IndexName", .text(value["IndexName"]?.stringValue ?? ""))]
        members.append(("KeySchema", list(value["KeySchema"], keys: ["AttributeName", "KeyType"])))
        var projection: [(String, Node)] = [
            ("ProjectionType", .text(value["Projection"]?["ProjectionType"]?.nonEmptyString ?? "ALL"))
        ]
        if let attributes = value["Projection"]?["NonKeyAttributes"]?.arrayValue, !attributes.isEmpty {
            projection.append(
                ("NonKeyAttributes", Node(.sequence(attributes.compactMap(\.stringValue).map(Node.text)))))
        }
        members.append(("Projection", .mapping(projection)))
        if provisioned, let throughput = throughput(value["ProvisionedThroughput"]) {
            members.append(("ProvisionedThroughput", throughput))
        }
        if let contributorInsights {
            members.append(
                ("ContributorInsightsSpecification", .mapping(["Enabled": Node(.bool(contributorInsights))])))
        }
        return .mapping(members)
    }
}

extension Node {
    static func mapping(_ members: KeyValuePairs<String, Node>) -> Node { mapping(members.map { ($0.key, $0.value) }) }
}

extension JSONValue {
    /// A string that is not empty (emulators send "" where AWS omits a member).
    var nonEmptyString: String? { stringValue.flatMap { $0.isEmpty ? nil : $0 } }

    /// A number, or a string holding one.
    var looseInt: Int? { intValue ?? stringValue.flatMap { Int($0) } }

    /// Epoch seconds, possibly fractional, or an ISO 8601 string.
    var epochSeconds: Int? { numberValue.map { Int($0) } ?? stringValue.flatMap(Timestamp.parse) }
}
