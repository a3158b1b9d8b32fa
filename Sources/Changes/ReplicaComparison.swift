import Schema
import Template

/// A global table's replicas, compared as a set keyed by region: order means nothing; one replica may be added or
/// removed per stack update; removing one deletes that region's table and its items; the stack's own region stays.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-dynamodb-globaltable.html
struct ReplicaComparison {
    let base: Table
    let head: Table
    /// The stack's region, when known: its replica cannot be removed.
    let region: String?

    func changes() -> [Change] {
        let before = base.properties?["Replicas"]
        let after = head.properties?["Replicas"]
        guard let old = Self.byRegion(before), let new = Self.byRegion(after) else {
            return [
                Change(
                    head,
                    "Replicas", .modify, .breaking,
                    "the replicas depend on values known only at deploy time, so their changes cannot be classified offline",
                    range: after?.range ?? head.idRange)
            ]
        }
        var changes: [Change] = []
        for (region, replica) in new.sortedBySource {
            guard let previous = old[region] else {
                changes.append(
                    Change(
                        head,
                        ReplicaPath.of(region), .add, .slow,
                        "replica added in \(region): DynamoDB copies every item there, minutes to hours for a large table",
                        caution: "if the update rolls back, the new replica may have to be deleted by hand",
                        after: replica, range: replica.range))
                continue
            }
            if previous.canonical != replica.canonical {
                changes.append(
                    Change(
                        head,
                        ReplicaPath.of(region), .modify, .inPlace, "the settings of the replica in \(region) change",
                        before: previous, after: replica, range: replica.range))
            }
        }
        for (region, replica) in old.sortedBySource where new[region] == nil {
            changes.append(removal(region, replica))
        }
        let operations = changes.filter { $0.action == .add || $0.action == .remove }.count
        if operations > 1 {
            var limit = Change(
                head,
                "Replicas", .modify, .rejected,
                "\(operations) replicas added or removed in one update: CloudFormation adds or removes one replica per stack update",
                caution:
                    "deploy them one per update, waiting each time until the replica is ACTIVE (a staged plan: 'ddbstack diff --steps')",
                range: after?.range ?? head.idRange)
            limit.stageable = true
            changes.insert(limit, at: 0)
        }
        return changes
    }

    private func removal(_ region: String, _ replica: Node) -> Change {
        guard region != self.region else {
            return Change(
                head,
                ReplicaPath.of(region), .remove, .rejected,
                "the replica in \(region), the stack's own region, is removed: CloudFormation refuses to remove the stack's region",
                caution: "keep the stack's region among the replicas", before: replica, range: replica.range,
                inBase: true)
        }
        let unknownRegion =
            self.region == nil ? "; if \(region) is the stack's own region, CloudFormation refuses it" : ""
        return Change(
            head,
            ReplicaPath.of(region), .remove, .dataLoss,
            "the replica in \(region) is removed: that region's table and all its items are deleted, whatever the DeletionPolicy"
                + unknownRegion,
            before: replica, range: replica.range, inBase: true)
    }

    /// Replicas by region; nil when the list or a region is not known offline.
    static func byRegion(_ list: Node?) -> [String: Node]? { list.keyed(by: "Region") }
}

/// Where a global table's replica is in a change or drift path: `Replicas[REGION]` for the replica itself,
/// `Replicas[REGION].Property` for one of its settings. Written and read here only.
public enum ReplicaPath {
    /// What every replica path, and every note about a replica, starts with.
    public static let prefix = "Replicas["

    public static func of(_ region: String, _ property: String? = nil) -> String {
        "\(prefix)\(region)]" + (property.map { ".\($0)" } ?? "")
    }

    /// The region and the property (nil for the replica itself); nil for a path that is not a replica's.
    public static func parse(_ path: String) -> (region: String, property: String?)? {
        guard path.hasPrefix(prefix), let end = path.firstIndex(of: "]") else { return nil }
        let rest = path[path.index(after: end)...]
        guard rest.isEmpty || rest.hasPrefix(".") else { return nil }
        return (String(path[prefix.endIndex..<end]), rest.isEmpty ? nil : String(rest.dropFirst()))
    }
}
