import Changes
import Schema
import Template

/// Both sides of a drift comparison in one canonical form, so only real differences remain (FACTS.md §1, §3):
/// the defaults the API reports and a template leaves implicit are made explicit or dropped, lists without
/// order become sets, numbers and booleans lose their spelling, and what cannot be compared is set aside.
struct DriftNormalizer {
    /// The template's table.
    let expected: Table
    /// Stack-level tags, which CloudFormation copies onto every table it manages.
    let stackTags: [(String, String)]
    /// Whether contributor insights and the Kinesis destination were read (only when the template declares them).
    let comparesExtras: Bool
    /// The region the live table was read in: a global table's replica there is that table.
    var region: String? = nil

    /// Properties the live reads cannot show, so they are never reported as drift.
    static let unreadable: Set<String> = [
        "ResourcePolicy", "ImportSourceSpecification", "OnDemandThroughput", "WarmThroughput",
    ]

    /// The template side, and the properties left out of the comparison with why.
    func expectedProperties() -> (properties: [(String, Node)], notCompared: [String]) {
        var notCompared: [String] = []
        var properties: [(String, Node)] = []
        for entry in expected.properties?.entries ?? [] where entry.key != "Replicas" {
            if expected.kind == .globalTable, entry.key.hasSuffix("ProvisionedThroughputSettings") {
                notCompared.append("\(entry.key) (a global table's capacity is managed by auto scaling)")
            } else if Self.unreadable.contains(entry.key) || (!comparesExtras && Self.extras.contains(entry.key)) {
                notCompared.append("\(entry.key) (not readable from DynamoDB)")
            } else if entry.value.containsIntrinsic {
                notCompared.append("\(entry.key) (depends on a value unknown offline)")
            } else {
                properties.append((entry.key, entry.value))
            }
        }
        if expected.kind == .globalTable { localReplica(into: &properties, notCompared: &notCompared) }
        // Stack tags reach the table too; a tag the template sets itself wins.
        let declared = properties.first { $0.0 == "Tags" }?.1.items ?? []
        let declaredKeys = Set(declared.compactMap { $0["Key"]?.scalarText })
        let tags =
            declared
            + stackTags.filter { !declaredKeys.contains($0.0) }.map {
                Node.mapping([("Key", .text($0.0)), ("Value", .text($0.1))])
            }
        properties.removeAll { $0.0 == "Tags" }
        if !tags.isEmpty { properties.append(("Tags", .list(tags))) }
        return (normalize(properties, billing: billing(properties)), notCompared)
    }

    /// A global table's settings per replica: the one in the region read is the live table, so its settings are
    /// compared as the table's own; the others live in other regions and are named as not compared here.
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-dynamodb-globaltable-replicaspecification.html
    private func localReplica(into properties: inout [(String, Node)], notCompared: inout [String]) {
        let replicas = expected.properties?["Replicas"]?.items ?? []
        guard let region, let local = replicas.first(where: { $0["Region"]?.string == region }) else {
            notCompared.append(
                "Replicas (\(region.map { "none in \($0)" } ?? "the region is unknown"): no replica's settings compared)"
            )
            return
        }
        for setting in [
            "PointInTimeRecoverySpecification", "DeletionProtectionEnabled", "TableClass", "Tags",
            "ContributorInsightsSpecification",
            "KinesisStreamSpecification",
        ] {
            guard let value = local[setting] else { continue }
            guard !value.containsIntrinsic else {
                notCompared.append(ReplicaPath.of(region, setting) + " (depends on a value unknown offline)")
                continue
            }
            properties.removeAll { $0.0 == setting }
            properties.append((setting, value))
        }
        if let key = local["SSESpecification"]?["KMSMasterKeyId"],
            let position = properties.firstIndex(where: { $0.0 == "SSESpecification" })
        {
            let sse = properties[position].1
            properties[position].1 = Node(
                .mapping(
                    (sse.entries ?? []).filter { $0.key != "KMSMasterKeyId" } + [
                        Node.Entry(key: "KMSMasterKeyId", keyRange: key.range, value: key)
                    ]),
                range: sse.range)
        }
        for other in replicas where other["Region"]?.string != region {
            notCompared.append(
                ReplicaPath.of(other["Region"]?.scalarText ?? "?")
                    + " (another region's replica: read it there with --region)"
            )
        }
    }

    /// The live side, reduced to what the template side compares.
    func liveProperties(_ live: Table, comparedWith expectedSide: [(String, Node)]) -> [(String, Node)] {
        var properties = (live.properties?.entries ?? []).map { ($0.key, $0.value) }
        let expectedKeys = Set(expectedSide.map(\.0))
        // A generated name is the stack's business: compare TableName only when the template sets one.
        if !expectedKeys.contains("TableName") { properties.removeAll { $0.0 == "TableName" } }
        if !comparesExtras { properties.removeAll { Self.extras.contains($0.0) } }
        // A global table's capacity follows its auto scaling settings, not a number the template states.
        if expected.kind == .globalTable { properties.removeAll { $0.0 == "ProvisionedThroughput" } }
        properties = normalize(properties, billing: billing(properties))
        return reconcileKeys(properties, expectedSide)
    }

    static let extras: Set<String> = ["ContributorInsightsSpecification", "KinesisStreamSpecification"]

    private func billing(_ properties: [(String, Node)]) -> String {
        properties.first { $0.0 == "BillingMode" }?.1.scalarText ?? "PROVISIONED"
    }

    private func normalize(_ properties: [(String, Node)], billing: String) -> [(String, Node)] {
        var result: [(String, Node)] = [("BillingMode", .text(billing))]
        for (key, value) in properties where key != "BillingMode" {
            if let normalized = normalize(key, value, billing: billing) { result.append((key, normalized)) }
        }
        return result
    }

    /// One property in canonical form; nil when it states the default (absent and default compare equal).
    private func normalize(_ key: String, _ value: Node, billing: String) -> Node? {
        switch key {
        case "AttributeDefinitions":
            return .list((value.items ?? []).map { Self.pair($0, "AttributeName", "AttributeType") })
        case "KeySchema":
            return .list((value.items ?? []).map { Self.pair($0, "AttributeName", "KeyType") })
        case "ProvisionedThroughput":
            return billing == "PAY_PER_REQUEST" ? nil : throughput(value)
        case "GlobalSecondaryIndexes", "LocalSecondaryIndexes":
            let indexes = (value.items ?? []).map { index(key, $0, billing: billing) }
                .sorted { ($0["IndexName"]?.scalarText ?? "") < ($1["IndexName"]?.scalarText ?? "") }
            return indexes.isEmpty ? nil : .list(indexes)
        case "StreamSpecification":
            return value["StreamViewType"].map { .mapping([("StreamViewType", $0)]) }
        case "TimeToLiveSpecification":
            guard value["Enabled"]?.truth == true else { return nil }
            return .mapping([("AttributeName", value["AttributeName"] ?? .text("")), ("Enabled", .flag(true))])
        case "PointInTimeRecoverySpecification":
            guard value["PointInTimeRecoveryEnabled"]?.truth == true else { return nil }
            return .mapping([
                ("PointInTimeRecoveryEnabled", .flag(true)),
                ("RecoveryPeriodInDays", .number(value["RecoveryPeriodInDays"]?.integer ?? 35)),
            ])
        case "SSESpecification":
            guard value["SSEEnabled"]?.truth == true else { return nil }
            var members: [(String, Node)] = [
                ("SSEEnabled", .flag(true)), ("SSEType", .text(value["SSEType"]?.scalarText ?? "KMS")),
            ]
            if let key = value["KMSMasterKeyId"]?.scalarText { members.append(("KMSMasterKeyId", .text(key))) }
            return .mapping(members)
        case "TableClass":
            return value.scalarText == "STANDARD" ? nil : value
        case "DeletionProtectionEnabled":
            return value.truth == true ? .flag(true) : nil
        case "ContributorInsightsSpecification":
            return value["Enabled"]?.truth == true ? .mapping([("Enabled", .flag(true))]) : nil
        case "KinesisStreamSpecification":
            return value["StreamArn"].map { .mapping([("StreamArn", $0)]) }
        case "Tags":
            let tags = (value.items ?? []).compactMap { tag -> Node? in
                guard let key = tag["Key"]?.scalarText, !key.lowercased().hasPrefix("aws:") else { return nil }
                return .mapping([("Key", .text(key)), ("Value", .text(tag["Value"]?.scalarText ?? ""))])
            }
            return tags.isEmpty ? nil : .list(tags)
        default:
            return value
        }
    }

    /// `{AttributeName, KeyType}` in one member order, whatever order the template wrote.
    private static func pair(_ item: Node, _ first: String, _ second: String) -> Node {
        .mapping([(first, .text(item[first]?.scalarText ?? "")), (second, .text(item[second]?.scalarText ?? ""))])
    }

    private func throughput(_ value: Node) -> Node {
        .mapping([
            ("ReadCapacityUnits", .number(value["ReadCapacityUnits"]?.integer ?? 0)),
            ("WriteCapacityUnits", .number(value["WriteCapacityUnits"]?.integer ?? 0)),
        ])
    }

    private func index(_ kind: String, _ value: Node, billing: String) -> Node {
        let keys = (value["KeySchema"]?.items ?? []).map { Self.pair($0, "AttributeName", "KeyType") }
        var members: [(String, Node)] = [("IndexName", value["IndexName"] ?? .text("")), ("KeySchema", .list(keys))]
        var projection: [(String, Node)] = [
            ("ProjectionType", .text(value["Projection"]?["ProjectionType"]?.scalarText ?? "ALL"))
        ]
        let nonKey = (value["Projection"]?["NonKeyAttributes"]?.items ?? []).compactMap(\.scalarText).sorted()
        if !nonKey.isEmpty { projection.append(("NonKeyAttributes", .list(nonKey.map(Node.text)))) }
        members.append(("Projection", .mapping(projection)))
        if kind == "GlobalSecondaryIndexes" {
            if billing != "PAY_PER_REQUEST", expected.kind != .globalTable,
                let capacity = value["ProvisionedThroughput"]
            {
                members.append(("ProvisionedThroughput", throughput(capacity)))
            }
            if comparesExtras, value["ContributorInsightsSpecification"]?["Enabled"]?.truth == true {
                members.append(("ContributorInsightsSpecification", .mapping([("Enabled", .flag(true))])))
            }
        }
        return .mapping(members)
    }

    /// The API reports a KMS key as an ARN where the template may name it by key id or alias: the same key is
    /// not drift (FACTS.md §3). An alias cannot be resolved without KMS, so it is given the benefit of the doubt.
    private func reconcileKeys(_ live: [(String, Node)], _ expectedSide: [(String, Node)]) -> [(String, Node)] {
        guard let declared = expectedSide.first(where: { $0.0 == "SSESpecification" })?.1,
            let position = live.firstIndex(where: { $0.0 == "SSESpecification" })
        else { return live }
        var result = live
        let sse = live[position].1
        var members = (sse.entries ?? []).map { ($0.key, $0.value) }.filter { $0.0 != "KMSMasterKeyId" }
        if let key = declared["KMSMasterKeyId"]?.scalarText {
            let arn = sse["KMSMasterKeyId"]?.scalarText ?? ""
            members.append(("KMSMasterKeyId", .text(Self.sameKey(key, arn) ? key : arn)))
        }
        result[position] = ("SSESpecification", .mapping(members))
        return result
    }

    static func sameKey(_ declared: String, _ arn: String) -> Bool {
        if declared == arn || declared.hasPrefix("alias/") || declared.contains(":alias/") { return true }
        return arn.hasSuffix("key/\(declared)")
    }
}
