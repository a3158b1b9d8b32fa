import Schema
import Template

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

    /// Every change, from the template comparison and from whatever else revealed one (the live account, a change
    /// set); set only through `init` and `amend`, which apply the acknowledgements again.
    public private(set) var changes: [Change]
    public var steps: [Step]
    /// Unacknowledged changes at or above this impact fail; `rejected` always does.
    public var threshold: Impact
    /// What acknowledges changes in this comparison: the head's Metadata written for it, and `--allow`.
    public let acknowledgements: [Acknowledgement]
    /// Metadata `allow` entries that approve nothing (stale, without a reason, not an impact).
    public let ignoredAcknowledgements: [Acknowledgement.Ignored]

    /// Compares `base` with `head` and stages what only the one-GSI-per-update rule rejects. A Metadata
    /// acknowledgement (`ddbstack: {allow: [...], reason: ...}`) counts only when the base does not already carry it
    /// with the same reason; `allowances` (`--allow`) count whatever revealed the change.
    public init(
        base: [Table], head: [Table], headTemplate: Template, allowances: [Allowance] = [],
        threshold: Impact = .breaking,
        region: String? = nil
    ) {
        var changes = Differ.changes(base: base, head: head, region: region)
        let steps = StagePlanner.steps(base: base, head: head, headTemplate: headTemplate) ?? []
        for index in changes.indices where changes[index].stageable && !steps.isEmpty {
            changes[index].impact = .slow
            changes[index].message += "; staged into \(steps.count) deploys of one operation per table each"
            changes[index].caution = nil
        }
        let metadata = Acknowledgement.fromMetadata(base: base, head: head)
        let flags = allowances.filter { $0.impact != .rejected }
            .map { Acknowledgement(impact: $0.impact, logicalId: $0.logicalId, source: .flag) }
        self.changes = changes
        self.steps = steps
        self.threshold = threshold
        self.acknowledgements = metadata.counted + flags
        self.ignoredAcknowledgements = metadata.ignored
        finalise()
    }

    /// Adds or amends changes with what the live account or CloudFormation revealed, then applies the
    /// acknowledgements to every change again — so a change is acknowledgeable whichever source found it.
    public mutating func amend(_ body: (inout [Change]) -> Void) {
        body(&changes)
        finalise()
    }

    /// The one place a change gets its acknowledgement: one for its table and its exact impact; never for `rejected`.
    private mutating func finalise() {
        for index in changes.indices {
            let change = changes[index]
            changes[index].acknowledgement =
                change.impact == .rejected
                ? nil
                : acknowledgements.first { $0.logicalId == change.logicalId && $0.impact == change.impact }
        }
    }

    /// Whether `change` fails the run: rejected, or unacknowledged at or above the threshold.
    public func fails(_ change: Change) -> Bool {
        change.impact == .rejected || (change.impact >= threshold && !change.acknowledged)
    }

    /// Changes that fail the run.
    public var failing: [Change] { changes.filter(fails) }

    public var failed: Bool { !failing.isEmpty }

    /// The impact of the plan as a whole.
    public var impact: Impact { changes.map(\.impact).max() ?? .none }
}

extension Impact {
    /// Accepts the raw value in any case, and `data-loss` / `in-place` spellings.
    public init?(name: String) {
        let normalized = name.replacing("-", with: "").replacing("_", with: "").lowercased()
        guard let match = Impact.allCases.first(where: { $0.rawValue.lowercased() == normalized }) else { return nil }
        self = match
    }
}
