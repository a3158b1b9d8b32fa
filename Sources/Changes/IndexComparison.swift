import Schema
import Template

/// GSI changes, index by index: only throughput and contributor insights change in place; one creation or
/// deletion per update; keys and projection never change under the same name (FACTS.md §1).
struct IndexComparison {
    static let inPlaceProperties: Set<String> = [
        "ProvisionedThroughput", "ContributorInsightsSpecification", "OnDemandThroughput", "WarmThroughput",
        "ReadProvisionedThroughputSettings", "WriteProvisionedThroughputSettings", "ReadOnDemandThroughputSettings",
        "WriteOnDemandThroughputSettings",
    ]

    let base: Table
    let head: Table

    func changes() -> [Change] {
        let before = base.properties?["GlobalSecondaryIndexes"]
        let after = head.properties?["GlobalSecondaryIndexes"]
        guard let old = Self.byName(before), let new = Self.byName(after) else {
            return [
                Change(
                    head,
                    "GlobalSecondaryIndexes", .modify, .breaking,
                    "the GSIs depend on values known only at deploy time, so their changes cannot be classified offline",
                    range: after?.range ?? head.idRange)
            ]
        }
        let added = new.filter { name, _ in old.index(forKey: name) == nil }
        let removed = old.filter { name, _ in new.index(forKey: name) == nil }
        var changes: [Change] = []
        for (name, index) in new.sortedBySource {
            guard let previous = old[name] else {
                let renamedFrom = removed.first { Self.shape($0.value) == Self.shape(index) }?.key
                let message =
                    renamedFrom.map {
                        "GSI added (renamed from '\($0)': a deletion and a creation); it backfills from the whole table before it serves reads"
                    }
                    ?? "GSI added; it backfills from the whole table before it serves reads (CloudFormation does not wait for that)"
                changes.append(
                    Change(
                        head, "GlobalSecondaryIndexes[\(name)]", .add, .slow, message, after: index, range: index.range)
                )
                continue
            }
            if Self.shape(previous) != Self.shape(index) {
                changes.append(
                    Change(
                        head,
                        "GlobalSecondaryIndexes[\(name)]", .modify, .rejected,
                        "the key schema or projection of GSI '\(name)' changes under the same name: \"Cannot update GSI's properties other than Provisioned Throughput and Contributor Insights Specification\"",
                        caution: "add the new index under a new name, deploy, move readers, then remove '\(name)'",
                        before: previous, after: index, range: index.range))
            } else if Self.settings(previous) != Self.settings(index) {
                changes.append(
                    Change(
                        head,
                        "GlobalSecondaryIndexes[\(name)]", .modify, .inPlace,
                        "GSI capacity or contributor insights change",
                        before: previous, after: index, range: index.range))
            }
        }
        for (name, index) in removed.sortedBySource {
            let renamedTo = added.first { Self.shape($0.value) == Self.shape(index) }?.key
            let message =
                renamedTo.map { "GSI removed (renamed to '\($0)'): queries on '\(name)' fail once it is gone" }
                ?? "GSI removed: queries that use it fail"
            changes.append(
                Change(
                    head,
                    "GlobalSecondaryIndexes[\(name)]", .remove, .breaking, message, before: index, range: index.range,
                    inBase: true))
        }
        let operations = added.count + removed.count
        if operations > 1 {
            var limit = Change(
                head,
                "GlobalSecondaryIndexes", .modify, .rejected,
                "\(operations) GSI creations and deletions in one update: \"Cannot perform more than one GSI creation or deletion in a single update\"",
                caution: "deploy them one per update (a staged plan: 'ddbstack diff --steps')",
                range: after?.range ?? head.idRange)
            limit.stageable = true
            changes.insert(limit, at: 0)
        }
        return changes
    }

    /// The indexes by name; nil when the list or a name is not known offline.
    static func byName(_ list: Node?) -> [String: Node]? { list.keyed(by: "IndexName") }

    /// What cannot change under the same name: the key schema, and the projection with NonKeyAttributes as a set.
    static func shape(_ index: Node) -> String {
        let projection = index["Projection"]
        let attributes = (projection?["NonKeyAttributes"]?.items ?? []).map(\.canonical).sorted()
        return [
            index["KeySchema"]?.canonical ?? "", projection?["ProjectionType"]?.canonical ?? "\"\"",
            attributes.joined(separator: ","),
        ]
        .joined(separator: "|")
    }

    /// Everything but the projection (already compared as a set by `shape`): what may change in place.
    static func settings(_ index: Node) -> String {
        JSONWriter.compact(Node(.mapping((index.entries ?? []).filter { $0.key != "Projection" }), range: index.range))
    }
}

extension Optional where Wrapped == Node {
    /// A list's items by the string at `key` (an index's name, a replica's region): empty for no list, nil when the
    /// list or a key is not known offline.
    func keyed(by key: String) -> [String: Node]? {
        guard let list = self else { return [:] }
        guard let items = list.items else { return nil }
        var keyed: [String: Node] = [:]
        for item in items {
            guard let name = item[key]?.string, !item.isUnresolved else { return nil }
            keyed[name] = item
        }
        return keyed
    }
}

extension Dictionary where Key == String, Value == Node {
    /// Entries in the order they appear in their file.
    var sortedBySource: [(key: String, value: Node)] {
        sorted { ($0.value.range.start, $0.key) < ($1.value.range.start, $1.key) }
    }
}
