import Schema
import Template

/// `[Table]` × `[Table]` → `[Change]`: every difference between two versions of a template's tables,
/// classified by what CloudFormation and DynamoDB will do with it (FACTS.md §1, property by property).
public enum Differ {
    /// `region`: the stack's region when known, which a global table cannot drop from its replicas.
    public static func changes(base: [Table], head: [Table], region: String? = nil) -> [Change] {
        let baseById = Dictionary(base.map { ($0.logicalId, $0) }, uniquingKeysWith: { first, _ in first })
        let headIds = Set(head.map(\.logicalId))
        var changes: [Change] = []
        for table in head {
            if let previous = baseById[table.logicalId] {
                if let typeChange = typeChange(from: previous, to: table) {
                    changes.append(typeChange)
                    continue
                }
                changes += TableComparison(base: previous, head: table, region: region).changes()
            } else {
                changes.append(addition(of: table, base: base, headIds: headIds))
            }
        }
        for table in base where !headIds.contains(table.logicalId) {
            changes.append(removal(of: table, head: head, baseIds: Set(baseById.keys)))
        }
        return changes
    }

    /// CloudFormation refuses to change a resource's type under the same logical id ("Update of resource type is
    /// not permitted"). A SimpleTable is an `AWS::DynamoDB::Table` once SAM has translated it, so that pair is no
    /// type change; Table ↔ GlobalTable is, and renaming the logical id instead would delete the table.
    /// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_upgrade.html
    private static func typeChange(from base: Table, to head: Table) -> Change? {
        let deployedAs: (Table.Kind) -> Table.Kind = { $0 == .simpleTable ? .table : $0 }
        guard deployedAs(base.kind) != deployedAs(head.kind) else { return nil }
        return Change(
            logicalId: head.logicalId, tableName: head.tableName?.value, path: "Type", action: .modify,
            impact: .rejected,
            before: base.kind.rawValue, after: head.kind.rawValue,
            message:
                "the resource type changes from \(base.kind.rawValue) to \(head.kind.rawValue): CloudFormation refuses it (\"Update of resource type is not permitted\"), and renaming the logical id to get around that deletes the table",
            caution:
                "keep the type here; to make it a global table: deploy it with DeletionPolicy Retain, remove it from the template (the table stays, unmanaged), then import it as \(head.kind.rawValue) with a resource-import change set",
            range: head.idRange)
    }

    private static func addition(of table: Table, base: [Table], headIds: Set<String>) -> Change {
        let name = table.tableName?.value
        // Same physical name under a new logical id: CloudFormation creates the new resource before it deletes
        // the old one, so the name is still taken and the create fails.
        if let name, let old = base.first(where: { $0.tableName?.value == name && !headIds.contains($0.logicalId) }) {
            return Change(
                logicalId: table.logicalId, tableName: name, path: "", action: .add, impact: .rejected,
                message:
                    "'\(old.logicalId)' is renamed to '\(table.logicalId)' with the same TableName '\(name)': CloudFormation creates the new table first and fails because the name is taken",
                caution:
                    "keep the logical id '\(old.logicalId)', or give the table a new TableName and migrate the data",
                range: table.idRange)
        }
        let indexes = table.globalSecondaryIndexes.count + table.localSecondaryIndexes.count
        let detail = indexes == 0 ? "" : " with \(indexes) secondary index\(indexes == 1 ? "" : "es")"
        return Change(
            logicalId: table.logicalId, tableName: name, path: "", action: .add, impact: .none,
            message: "new table\(detail)", range: table.idRange)
    }

    /// The removal of `table`: `breaking` when DeletionPolicy keeps it, `dataLoss` otherwise.
    static func removal(of table: Table, head: [Table], baseIds: Set<String>) -> Change {
        let name = table.tableName?.value
        let policy = table.deletionPolicy?.value ?? "Delete"
        let renamedTo = head.first {
            $0.tableName?.value != nil && $0.tableName?.value == name && !baseIds.contains($0.logicalId)
        }
        if policy.hasPrefix("Retain") {
            return Change(
                logicalId: table.logicalId, tableName: name, path: "", action: .remove, impact: .breaking,
                message:
                    "removed from the template; DeletionPolicy \(policy) keeps the table and its data, orphaned outside the stack",
                range: table.idRange, inBase: true)
        }
        var message =
            "removed from the template with DeletionPolicy \(table.deletionPolicy == nil ? "Delete (the default)" : policy): the table and all its data are deleted"
        if let renamedTo { message += "; '\(renamedTo.logicalId)' does not take its data over" }
        let caution =
            table.deletionProtection?.value == true
            ? "deletion protection is on, so CloudFormation's delete will fail; set DeletionPolicy: Retain to let the table go without deleting it"
            : nil
        return Change(
            logicalId: table.logicalId, tableName: name, path: "", action: .remove, impact: .dataLoss, message: message,
            caution: caution, range: table.idRange, inBase: true)
    }
}

extension Node {
    /// The value as compact JSON, for comparing values regardless of formatting and source position.
    public var canonical: String { JSONWriter.compact(self) }
}
