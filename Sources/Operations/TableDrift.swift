import AWS
import Changes
import Outcomes
import Schema
import Template

/// Compares one template table with its live table.
public enum DriftComparison {
    /// `region`: where `live` was read — a global table's replica there is compared with the live table.
    public static func compare(
        expected: Table, live: LiveTable, stackTags: [(String, String)] = [], comparesExtras: Bool = true,
        region: String? = nil
    ) -> TableDrift {
        let normalizer = DriftNormalizer(
            expected: expected, stackTags: stackTags, comparesExtras: comparesExtras, region: region)
        let (expectedSide, notCompared) = normalizer.expectedProperties()
        let liveSide = normalizer.liveProperties(live.table, comparedWith: expectedSide)
        var head = Table(logicalId: expected.logicalId, kind: expected.kind, properties: .mapping(expectedSide))
        head.updateReplacePolicy = expected.updateReplacePolicy
        head.deletionPolicy = expected.deletionPolicy
        var base = Table(logicalId: expected.logicalId, kind: expected.kind, properties: .mapping(liveSide))
        base.updateReplacePolicy = expected.updateReplacePolicy
        base.deletionPolicy = expected.deletionPolicy
        let differences = Differ.changes(base: [base], head: [head]).flatMap { change -> [DriftDifference] in
            switch change.path {
            // Follows the key attributes of the indexes, which are compared on their own.
            case "AttributeDefinitions" where change.impact == .none: return []
            case "Tags":
                return tagDifferences(expected: head.properties?["Tags"], live: base.properties?["Tags"], expected)
            default: return [difference(change, expected)]
            }
        }
        let building = live.indexes.filter { $0.status != "ACTIVE" || $0.backfilling }
        let status: TableDrift.Status = !live.isReady ? .notActive : differences.isEmpty ? .inSync : .drifted
        return TableDrift(
            logicalId: expected.logicalId, tableName: live.table.tableName?.value, status: status,
            differences: differences,
            tableStatus: live.status, buildingIndexes: building, notCompared: notCompared, range: expected.idRange)
    }

    /// `drift` (the table as read in its own region) with one more replica of it, read in `region`: its
    /// differences from its settings in the template under `Replicas[region].`, or why it was not compared.
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-dynamodb-globaltable-replicaspecification.html
    public static func adding(
        _ read: Result<LiveTable?, any Error>, region: String, to drift: TableDrift, expected: Table,
        stackTags: [(String, String)]
    ) -> TableDrift {
        let prefix = ReplicaPath.of(region)
        var drift = drift
        drift.notCompared.removeAll { $0.hasPrefix(prefix + " ") }
        let range = expected.replicas.first { $0.region.value == region }?.range ?? expected.idRange
        switch read {
        case .failure(let error):
            drift.notCompared.append("\(prefix) (could not be read in \(region): \(error))")
        case .success(nil):
            drift.differences.append(
                DriftDifference(
                    path: prefix, expected: "{\"Region\":\(quoted(region))}", actual: nil, impact: .slow,
                    message:
                        "the replica table in \(region) does not exist: deleted outside the stack; restoring the template creates it again and copies every item there",
                    range: range))
        case .success(let live?) where !live.isReady:
            drift.notCompared.append("\(prefix) (\(live.status): compared once it is ACTIVE)")
        case .success(let live?):
            let replica = compare(expected: expected, live: live, stackTags: stackTags, region: region)
            drift.differences += replica.differences.map { difference in
                var difference = difference
                difference.path = ReplicaPath.of(region, difference.path)
                return difference
            }
            drift.notCompared += replica.notCompared.filter { !$0.hasPrefix(ReplicaPath.prefix) }.map {
                ReplicaPath.of(region, $0)
            }
        }
        if drift.status == .inSync && !drift.differences.isEmpty { drift.status = .drifted }
        return drift
    }

    /// One difference per tag key, so a report says which tag, not two whole lists.
    private static func tagDifferences(expected: Node?, live: Node?, _ table: Table) -> [DriftDifference] {
        func pairs(_ node: Node?) -> [String: String] {
            Dictionary(
                (node?.items ?? []).compactMap { tag in
                    tag["Key"]?.scalarText.map { ($0, tag["Value"]?.scalarText ?? "") }
                },
                uniquingKeysWith: { _, last in last })
        }
        let wanted = pairs(expected)
        let found = pairs(live)
        let range = table.properties?["Tags"]?.range ?? table.idRange
        return Set(wanted.keys).union(found.keys).sorted().compactMap { key in
            let before = found[key]
            let after = wanted[key]
            guard before != after else { return nil }
            let state =
                after == nil
                ? "set outside the stack, not in the template"
                : before == nil ? "in the template, missing on the live table" : "differs from the template"
            return DriftDifference(
                path: "Tags[\(key)]", expected: after.map(quoted), actual: before.map(quoted), impact: .inPlace,
                message: "\(state); restoring the template: the tag is \(after == nil ? "removed" : "set")",
                range: range.isNone ? table.idRange : range)
        }
    }

    private static func quoted(_ text: String) -> String { JSONWriter.write(.string(text), pretty: false) }

    private static func difference(_ change: Change, _ expected: Table) -> DriftDifference {
        let property = String(change.path.prefix { $0 != "[" })
        let declared = expected.properties?[property]
        let range = declared?.range ?? expected.idRange
        // The comparison drops a value the template states as the default (false, STANDARD, TTL disabled); the
        // template still declares it, so it is shown as declared, not as absent.
        if change.after == nil, property == change.path, let declared {
            return DriftDifference(
                path: change.path, expected: declared.canonical, actual: change.before, impact: change.impact,
                message:
                    "differs from the template, which declares \(declared.canonical); restoring the template sets that value back (\(change.impact.phrase))",
                range: range.isNone ? expected.idRange : range)
        }
        let state =
            change.after == nil
            ? "set outside the stack, not in the template"
            : change.before == nil ? "in the template, missing on the live table" : "differs from the template"
        return DriftDifference(
            path: change.path, expected: change.after, actual: change.before, impact: change.impact,
            message: "\(state); restoring the template: \(change.message)",
            range: range.isNone ? expected.idRange : range)
    }
}
