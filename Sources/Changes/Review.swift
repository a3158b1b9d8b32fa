import Template
import Schema

/// A reviewed plan: the changes with their acknowledgements, the staged steps, and which changes fail.
public struct Review: Sendable {
    /// `--allow IMPACT:LogicalId`.
    public struct Allowance: Sendable, Equatable {
        public var impact: Impact
        public var logicalId: String

        public init(impact: Impact, logicalId: String) {
            self.impact = impact
            self.logicalId = logicalId
        }

        /// Parses `IMPACT:LogicalId`; nil when malformed.
        public init?(_ text: String) {
            let parts = text.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let impact = Impact(name: String(parts[0])) else { return nil }
            self.init(impact: impact, logicalId: String(parts[1]))
        }
    }

    public var changes: [Change]
    public var steps: [Step]
    /// Unacknowledged changes at or above this impact fail; `rejected` always does.
    public var threshold: Impact

    /// Compares `base` with `head`, stages what only the one-GSI-per-update rule rejects, and applies the
    /// acknowledgements from the head template's Metadata (`ddbstack: allow: [...]`) and from `allowances`.
    public init(base: [Table], head: [Table], headTemplate: Template, allowances: [Allowance] = [], threshold: Impact = .breaking) {
        var changes = Differ.changes(base: base, head: head)
        let steps = StagePlanner.steps(base: base, head: head, headTemplate: headTemplate) ?? []
        let allowed = Self.allowed(head, allowances)
        for index in changes.indices {
            if changes[index].stageable, !steps.isEmpty {
                changes[index].impact = .slow
                changes[index].message += "; staged into \(steps.count) deploys of one GSI operation each"
                changes[index].caution = nil
            }
            let change = changes[index]
            changes[index].acknowledged = change.impact != .rejected && (allowed[change.logicalId]?.contains(change.impact) ?? false)
        }
        self.changes = changes
        self.steps = steps
        self.threshold = threshold
    }

    /// Changes that fail the run: rejected ones, and unacknowledged ones at or above the threshold.
    public var failing: [Change] {
        changes.filter { $0.impact == .rejected || ($0.impact >= threshold && !$0.acknowledged) }
    }

    public var failed: Bool { !failing.isEmpty }

    /// The impact of the plan as a whole.
    public var impact: Impact { changes.map(\.impact).max() ?? .none }

    private static func allowed(_ head: [Table], _ allowances: [Allowance]) -> [String: Set<Impact>] {
        var allowed: [String: Set<Impact>] = [:]
        for table in head {
            allowed[table.logicalId, default: []].formUnion(table.metadata.allowed.compactMap { $0.value.flatMap(Impact.init(name:)) })
        }
        for allowance in allowances { allowed[allowance.logicalId, default: []].insert(allowance.impact) }
        return allowed
    }
}

extension Impact {
    /// Accepts the raw value in any case, and `data-loss` / `in-place` spellings.
    public init?(name: String) {
        let normalized = name.replacing("-", with: "").replacing("_", with: "").lowercased()
        guard let match = Impact.allCases.first(where: { $0.rawValue.lowercased() == normalized }) else { return nil }
        self = match
    }
}
