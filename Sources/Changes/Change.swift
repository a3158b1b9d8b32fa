import Schema
import Template

/// One difference between two versions of a table, with its consequence.
public struct Change: Sendable, Equatable {
    public enum Action: String, Sendable {
        case add, modify, remove, replace
    }

    /// What the change is about: a table, or the stack or change set as a whole (which counts as no table).
    public enum Scope: String, Sendable {
        case table, stack
    }

    public var logicalId: String
    public var tableName: String?
    /// The property path, CloudFormation's names: `GlobalSecondaryIndexes[byEmail]`, `BillingMode`; empty for the table.
    public var path: String
    public var action: Action
    public var impact: Impact
    public var before: String?
    public var after: String?
    /// What happens and why, in plain words.
    public var message: String
    /// A quota or safeguard worth knowing about, even when the change itself is harmless.
    public var caution: String?
    /// Where in the head template (or in the base, for removals).
    public var range: SourceRange
    public var inBase: Bool
    public var scope = Scope.table
    /// Who accepted this change after review; set by `Review` alone.
    public var acknowledgement: Acknowledgement?
    public var acknowledged: Bool { acknowledgement != nil }
    /// Rejected only by the one-GSI-or-replica-operation-per-update rules, which a staged plan can satisfy.
    public var stageable = false

    public init(
        logicalId: String, tableName: String?, path: String, action: Action, impact: Impact, before: String? = nil,
        after: String? = nil, message: String, caution: String? = nil, range: SourceRange, inBase: Bool = false
    ) {
        self.logicalId = logicalId
        self.tableName = tableName
        self.path = path
        self.action = action
        self.impact = impact
        self.before = before
        self.after = after
        self.message = message
        self.caution = caution
        self.range = range
        self.inBase = inBase
    }
}

extension Change {
    /// A change of `table` at `path` whose values are template nodes, kept as canonical JSON; where it is: `range`,
    /// else the new value, else the table's logical id.
    init(
        _ table: Table, _ path: String, _ action: Action, _ impact: Impact, _ message: String, caution: String? = nil,
        before: Node? = nil, after: Node? = nil, range: SourceRange? = nil, inBase: Bool = false
    ) {
        self.init(
            logicalId: table.logicalId, tableName: table.tableName?.value, path: path, action: action, impact: impact,
            before: before?.canonical, after: after?.canonical, message: message, caution: caution,
            range: range ?? after?.range ?? table.idRange, inBase: inBase)
    }
}
