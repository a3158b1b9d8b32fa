import Schema
import Template

/// The changes between two versions of one table (same logical id).
struct TableComparison {
    /// Properties whose change makes CloudFormation create a new table.
    static let replacing: Set<String> = [
        "KeySchema", "TableName", "LocalSecondaryIndexes", "ImportSourceSpecification",
    ]

    let base: Table
    let head: Table
    /// The stack's region, when known (a global table's replica there cannot be removed).
    var region: String? = nil

    /// Whether CloudFormation creates a new table for this change: a replacing property differs, or a key
    /// attribute changes type.
    var isReplaced: Bool { propertyNames.contains(where: replaces) }

    private func replaces(_ key: String) -> Bool {
        let before = base.properties?[key]
        let after = head.properties?[key]
        guard !Self.equivalent(key, before, after) else { return false }
        return Self.replacing.contains(key)
            || (key == "AttributeDefinitions" && retypedAttributes(before, after) != nil)
    }

    func changes() -> [Change] {
        var replacementCauses: [Change] = []
        var changes: [Change] = []
        let replaced = isReplaced
        for key in propertyNames {
            let before = base.properties?[key]
            let after = head.properties?[key]
            guard !Self.equivalent(key, before, after) else { continue }
            if key == "GlobalSecondaryIndexes" {
                // CreateTable takes every GSI at once: a replacement table needs no staging and backfills nothing old.
                changes +=
                    replaced
                    ? [
                        change(
                            key, before, after, .modify, .none,
                            "the replacement table is created with these GSIs at once: no staging, no backfill of existing items"
                        )
                    ]
                    : IndexComparison(base: base, head: head).changes()
            } else if key == "Replicas" {
                changes += ReplicaComparison(base: base, head: head, region: region).changes()
            } else if let refusal = globalTableRefusal(key, before, after) {
                changes.append(refusal)
            } else if replaces(key) {
                replacementCauses.append(
                    change(key, before, after, .replace, .replacement, replacementReason(key, before, after)))
            } else if key == "AttributeDefinitions" {
                changes.append(
                    change(
                        key, before, after, .modify, .none, "follows the key attributes of the indexes added or removed"
                    ))
            } else {
                changes.append(settingChange(key, before, after))
            }
        }
        changes += policyChanges()
        return classifyReplacement(replacementCauses) + changes
    }

    /// Every top-level property of either version, head order first.
    private var propertyNames: [String] {
        let headKeys = head.properties?.entries?.map(\.key) ?? []
        let baseOnly = (base.properties?.entries?.map(\.key) ?? []).filter { !headKeys.contains($0) }
        return headKeys + baseOnly
    }

    /// A replacement is `replacement`, or `dataLoss` without UpdateReplacePolicy Retain, or `rejected` for a
    /// custom-named table keeping its name.
    private func classifyReplacement(_ causes: [Change]) -> [Change] {
        guard !causes.isEmpty else { return [] }
        let keepsName = head.tableName != nil && head.tableName?.value == base.tableName?.value
        let retained = head.updateReplacePolicy?.value == "Retain"
        return causes.map { cause in
            var change = cause
            if keepsName {
                change.impact = .rejected
                change.message +=
                    ". CloudFormation cannot update a stack when a custom-named resource requires replacing"
                change.caution =
                    "rename the table (a new TableName) and migrate the data, or keep the current \(cause.path)"
            } else if !retained {
                change.impact = .dataLoss
                change.message +=
                    ". The new table starts empty and UpdateReplacePolicy \(head.updateReplacePolicy?.value ?? "Delete (the default)") deletes the old one with its data"
            } else {
                change.message +=
                    ". The new table starts empty; UpdateReplacePolicy Retain keeps the old one, outside the stack"
            }
            return change
        }
    }

    private func replacementReason(_ key: String, _ before: Node?, _ after: Node?) -> String {
        switch key {
        case "AttributeDefinitions":
            let retyped = retypedAttributes(before, after) ?? []
            return
                "the type of key attribute \(retyped.map { "'\($0)'" }.joined(separator: ", ")) changes: the table is replaced"
        case "LocalSecondaryIndexes": return "LSIs can only be defined when a table is created: the table is replaced"
        case "TableName": return "a new TableName creates a new table"
        default: return "\(key) changes: the table is replaced"
        }
    }

    /// Attributes defined in both versions with different types; nil when there are none.
    private func retypedAttributes(_ before: Node?, _ after: Node?) -> [String]? {
        func types(_ node: Node?) -> [String: String] {
            Dictionary(
                (node?.items ?? []).compactMap { item in
                    item["AttributeName"]?.scalarText.map { ($0, item["AttributeType"]?.canonical ?? "") }
                }, uniquingKeysWith: { first, _ in first })
        }
        let old = types(before)
        let new = types(after)
        let retyped = new.keys.filter { old[$0] != nil && old[$0] != new[$0] }.sorted()
        return retyped.isEmpty ? nil : retyped
    }

    /// What a global table refuses to change: the stream while it has more than one replica, and its
    /// MultiRegionConsistency at all.
    private func globalTableRefusal(_ key: String, _ before: Node?, _ after: Node?) -> Change? {
        guard head.kind == .globalTable else { return nil }
        switch key {
        case "StreamSpecification" where max(base.replicas.count, head.replicas.count) > 1:
            var refused = change(
                key, before, after, before == nil ? .add : after == nil ? .remove : .modify, .rejected,
                "the stream of a global table with more than one replica cannot change: replication runs on it")
            refused.caution =
                "remove replicas until one is left, change the stream, then add them back (one per update)"
            return refused
        case "MultiRegionConsistency":
            var refused = change(
                key, before, after, .modify, .rejected,
                "MultiRegionConsistency cannot be changed once the global table exists")
            refused.caution = "keep the consistency mode it was created with, or create a new global table"
            return refused
        case "GlobalTableWitnesses":
            return witnessChange(before, after)
        default:
            return nil
        }
    }

    /// DynamoDB takes a strongly consistent global table's witness only at creation, and removes it only together
    /// with a replica (the remaining replica becomes a single-Region table). Nil when the regions are not known
    /// offline (the change is then classified as any setting's).
    /// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GlobalTableWitnessGroupUpdate.html
    private func witnessChange(_ before: Node?, _ after: Node?) -> Change? {
        guard let old = before.keyed(by: "Region"), let new = after.keyed(by: "Region") else { return nil }
        let added = new.keys.filter { old[$0] == nil }.sorted()
        let removed = old.keys.filter { new[$0] == nil }.sorted().joined(separator: ", ")
        let replicaRemoved = !Set(base.replicas.compactMap(\.region.value))
            .subtracting(head.replicas.compactMap(\.region.value)).isEmpty
        if !added.isEmpty {
            var refused = change(
                "GlobalTableWitnesses", before, after, removed.isEmpty ? .add : .modify, .rejected,
                "a witness in \(added.joined(separator: ", ")) is added to an existing global table: DynamoDB takes the witness only when the strongly consistent global table is created"
            )
            refused.caution = "create a new global table with its witness (another TableName) and move the data to it"
            return refused
        }
        guard replicaRemoved else {
            var refused = change(
                "GlobalTableWitnesses", before, after, .remove, .rejected,
                "the witness in \(removed) is removed without a replica: DynamoDB removes a witness only together with a replica"
            )
            refused.caution =
                "remove one replica in the same update (the remaining replica becomes a single-Region table), or keep the witness"
            return refused
        }
        return change(
            "GlobalTableWitnesses", before, after, .remove, .inPlace,
            "the witness in \(removed) is removed with a replica: the remaining replica becomes a single-Region table, no longer strongly consistent across Regions"
        )
    }

    /// In-place settings, with the quota or safeguard each one touches.
    private func settingChange(_ key: String, _ before: Node?, _ after: Node?) -> Change {
        var message = before == nil ? "added" : after == nil ? "removed" : "changed"
        var caution: String?
        var impact = Impact.inPlace
        switch key {
        case "StreamSpecification":
            if before != nil {
                impact = .breaking
                message =
                    after == nil
                    ? "the stream is disabled: consumers of its StreamArn (Lambda event source mappings, Pipes) stop receiving changes"
                    : "the stream view type changes: DynamoDB creates a new stream with a new StreamArn, and consumers of the old one stop receiving changes"
            } else {
                message = "a stream is enabled"
            }
        case "BillingMode":
            if after?.scalarText == "PAY_PER_REQUEST" {
                caution = "DynamoDB allows at most 4 switches to on-demand per table in 24 hours"
            }
        case "TimeToLiveSpecification":
            caution = "DynamoDB allows one TTL change per table per hour"
            let old = before?["AttributeName"]?.scalarText
            let new = after?["AttributeName"]?.scalarText
            if Self.flag(before?["Enabled"]) == true, Self.flag(after?["Enabled"]) == true, old != new {
                caution! += "; changing the attribute disables TTL, then enables it, an hour apart at the earliest"
            }
        case "PointInTimeRecoverySpecification":
            if Self.flag(before?["PointInTimeRecoveryEnabled"]) == true,
                Self.flag(after?["PointInTimeRecoveryEnabled"]) != true
            {
                caution = "point-in-time recovery is turned off: its restore window is lost"
            }
        case "DeletionProtectionEnabled":
            if Self.flag(before) == true, Self.flag(after) != true { caution = "deletion protection is turned off" }
        case "SSESpecification":
            caution = "changing encryption re-encrypts the table and may briefly interrupt access"
        case "Tags":
            message = "tags change"
        default:
            break
        }
        return change(
            key, before, after, before == nil ? .add : after == nil ? .remove : .modify, impact, message,
            caution: caution)
    }

    /// DeletionPolicy and UpdateReplacePolicy changes touch no AWS resource but remove or add a safeguard.
    private func policyChanges() -> [Change] {
        [
            ("DeletionPolicy", base.deletionPolicy, head.deletionPolicy),
            ("UpdateReplacePolicy", base.updateReplacePolicy, head.updateReplacePolicy),
        ]
        .compactMap { name, before, after in
            let old = before?.value ?? "Delete"
            let new = after?.value ?? "Delete"
            guard old != new else { return nil }
            let caution =
                old.hasPrefix("Retain") && !new.hasPrefix("Retain")
                ? "the Retain safeguard is removed: \(name == "DeletionPolicy" ? "removing" : "replacing") the table will delete its data"
                : nil
            return Change(
                logicalId: head.logicalId, tableName: head.tableName?.value, path: name, action: .modify, impact: .none,
                before: old, after: new, message: "\(name) changes", caution: caution,
                range: after?.range ?? head.idRange)
        }
    }

    func change(
        _ key: String, _ before: Node?, _ after: Node?, _ action: Change.Action, _ impact: Impact, _ message: String,
        caution: String? = nil
    ) -> Change {
        Change(head, key, action, impact, message, caution: caution, before: before, after: after)
    }

    /// Equal for CloudFormation: lists whose order is meaningless (AttributeDefinitions, Tags) compare as sets.
    static func equivalent(_ key: String, _ before: Node?, _ after: Node?) -> Bool {
        switch key {
        case "AttributeDefinitions", "Tags":
            return Set((before?.items ?? []).map(\.canonical)) == Set((after?.items ?? []).map(\.canonical))
                && before?.isUnresolved == after?.isUnresolved
        default:
            return before?.canonical == after?.canonical
        }
    }

    static func flag(_ node: Node?) -> Bool? { node.flatMap(Coerce.bool) }
}
