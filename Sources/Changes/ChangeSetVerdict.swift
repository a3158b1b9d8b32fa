import Schema
import Template

/// CloudFormation's own word on a change set: whether it was accepted, and per table resource what it will do.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ResourceChange.html
public struct ChangeSetVerdict: Sendable, Equatable {
    public struct Resource: Sendable, Equatable {
        public enum Action: String, Sendable {
            case add = "Add"
            case modify = "Modify"
            case remove = "Remove"
            case `import` = "Import"
            case dynamic = "Dynamic"
        }

        /// `Replacement`: Conditional means it depends on a value CloudFormation only knows while it executes.
        public enum Replacement: String, Sendable {
            case always = "True"
            case never = "False"
            case conditional = "Conditional"
        }

        public var logicalId: String
        public var action: Action
        public var replacement: Replacement?
        /// The properties whose change requires recreation, as CloudFormation names them.
        public var causes: [String]
        /// What changes, when CloudFormation says nothing of recreation (Properties, Tags…).
        public var scope: [String]

        public init(
            logicalId: String, action: Action, replacement: Replacement? = nil, causes: [String] = [],
            scope: [String] = []
        ) {
            self.logicalId = logicalId
            self.action = action
            self.replacement = replacement
            self.causes = causes
            self.scope = scope
        }
    }

    public var name: String
    /// CloudFormation refused to create the change set (other than for having no changes), with its reason.
    public var refusal: String?
    /// The table resources only.
    public var resources: [Resource]

    public init(name: String, refusal: String? = nil, resources: [Resource]) {
        self.name = name
        self.refusal = refusal
        self.resources = resources
    }
}

extension Review {
    /// Folds CloudFormation's verdict into the plan. Where it replaces or removes a table the plan did not expect
    /// to, a change is added at the impact that follows from the table's policies — a Conditional replacement
    /// counts as one, since nothing proves it will not happen; where it updates in place what the plan took for
    /// a replacement, its word wins. Acknowledgements then apply as to any change.
    public mutating func merge(_ verdict: ChangeSetVerdict, base: [Table], head: [Table]) {
        amend { changes in
            if let refusal = verdict.refusal {
                var refused = Change(
                    logicalId: verdict.name, tableName: nil, path: "ChangeSet", action: .modify, impact: .rejected,
                    message: "CloudFormation refused the change set: \(refusal)",
                    caution: "fix the template or the parameters CloudFormation names", range: .none)
                refused.scope = .stack
                changes.insert(refused, at: 0)
                return
            }
            for resource in verdict.resources {
                changes += Self.revealed(by: resource, in: &changes, base: base, head: head, changeSet: verdict.name)
            }
        }
    }

    private static func revealed(
        by resource: ChangeSetVerdict.Resource, in changes: inout [Change], base: [Table], head: [Table],
        changeSet: String
    ) -> [Change] {
        let mine = changes.indices.filter { changes[$0].logicalId == resource.logicalId }
        let table = head.first { $0.logicalId == resource.logicalId }
        switch (resource.action, resource.replacement) {
        case (.remove, _):
            guard !mine.contains(where: { changes[$0].path.isEmpty && changes[$0].action == .remove }),
                let removed = base.first(where: { $0.logicalId == resource.logicalId })
            else { return [] }
            var change = Differ.removal(of: removed, head: head, baseIds: Set(base.map(\.logicalId)))
            change.message =
                "CloudFormation's change set '\(changeSet)' removes the table, which the plan did not expect: "
                + change.message
            return [change]
        case (.modify, .always?), (.modify, .conditional?):
            guard !mine.contains(where: { changes[$0].action == .replace }), let table else { return [] }
            return [replacement(of: table, base: base, resource, changeSet: changeSet)]
        case (.modify, .never?):
            for index in mine where changes[index].action == .replace && changes[index].impact != .rejected {
                changes[index].impact = .inPlace
                changes[index].message += "; CloudFormation's change set updates it in place"
            }
            return []
        case (.modify, nil) where mine.isEmpty, (.dynamic, _) where mine.isEmpty:
            let scope = (resource.causes + resource.scope).joined(separator: ", ")
            return [
                Change(
                    logicalId: resource.logicalId, tableName: table?.tableName?.value, path: "", action: .modify,
                    impact: .inPlace,
                    message:
                        "CloudFormation's change set modifies the table\(scope.isEmpty ? "" : " (\(scope))"), which the offline comparison did not see (a value known only at deploy time)",
                    range: table?.idRange ?? .none)
            ]
        default:
            return []
        }
    }

    /// A replacement only CloudFormation saw: `rejected` for a table that keeps its custom name, `replacement` with
    /// UpdateReplacePolicy Retain, `dataLoss` otherwise.
    private static func replacement(
        of table: Table, base: [Table], _ resource: ChangeSetVerdict.Resource, changeSet: String
    ) -> Change {
        let causes = resource.causes.isEmpty ? "" : " (\(Set(resource.causes).sorted().joined(separator: ", ")))"
        let certainty =
            resource.replacement == .conditional
            ? " may replace the table\(causes) — 'Conditional': it depends on a value known only during the update, so it is treated as a replacement"
            : " replaces the table\(causes)"
        var change = Change(
            logicalId: table.logicalId, tableName: table.tableName?.value, path: "", action: .replace,
            impact: .dataLoss,
            message: "CloudFormation's change set '\(changeSet)'" + certainty, range: table.idRange)
        let previous = base.first { $0.logicalId == table.logicalId }
        if let name = table.tableName?.value, name == previous?.tableName?.value {
            change.impact = .rejected
            change.message += "; CloudFormation cannot update a stack when a custom-named resource requires replacing"
            change.caution =
                "rename the table (a new TableName) and migrate the data, or undo the change that requires replacing it"
        } else if table.updateReplacePolicy?.value == "Retain" {
            change.impact = .replacement
            change.message += "; UpdateReplacePolicy Retain keeps the old table and its data, outside the stack"
        } else {
            change.message += "; the old table and its data are deleted"
        }
        return change
    }
}
