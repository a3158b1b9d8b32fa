import Changes
import Lint
import Template

/// A reviewed plan between two templates, and what its renderers need.
public struct ChangeReport: Sendable {
    public var review: Review
    public var baseFile: String
    public var headFile: String
    /// Lines about how the plan was made (the deployed revision, a CloudFormation change set).
    public var notes: [String]

    public init(review: Review, baseFile: String, headFile: String, notes: [String] = []) {
        self.review = review
        self.baseFile = baseFile
        self.headFile = headFile
        self.notes = notes
    }

    /// Per-table counts for the summary line.
    public struct Summary: Sendable, Equatable {
        public var added = 0, removed = 0, replaced = 0, changed = 0, backfills = 0, needAcknowledgement = 0,
            rejected = 0
    }

    public var summary: Summary {
        var summary = Summary()
        // Tables whose only changes have no effect (reordered lists, drift a deploy leaves alone) are not counted.
        // Tables only: the stack's status or a refused change set is no table changed.
        for (_, changes) in tables
        where changes.contains(where: { $0.scope == .table && ($0.impact != .none || $0.path.isEmpty) }) {
            if changes.contains(where: { $0.path.isEmpty && $0.action == .add }) {
                summary.added += 1
            } else if changes.contains(where: { $0.path.isEmpty && $0.action == .remove }) {
                summary.removed += 1
            } else if changes.contains(where: { $0.action == .replace }) {
                summary.replaced += 1
            } else {
                summary.changed += 1
            }
        }
        summary.backfills =
            review.changes.filter { $0.path.hasPrefix("GlobalSecondaryIndexes[") && $0.action == .add }.count
        summary.rejected = review.changes.filter { $0.impact == .rejected }.count
        summary.needAcknowledgement = review.failing.count - summary.rejected
        return summary
    }

    /// "2 tables to add, 1 changed in place with 1 GSI backfill, 1 replaced, 0 removed; 1 change needs acknowledgement"
    public var summaryLine: String {
        let s = summary
        guard !review.changes.isEmpty else { return "no changes" }
        var line = "\(Plural.count(s.added, "table")) to add, \(s.changed) changed in place"
        if s.backfills > 0 { line += " with \(Plural.count(s.backfills, "GSI backfill"))" }
        line += ", \(s.replaced) replaced, \(s.removed) removed"
        if review.steps.count > 1 { line += "; \(review.steps.count) staged deploys" }
        if s.needAcknowledgement > 0 {
            line +=
                "; \(Plural.count(s.needAcknowledgement, "change")) need\(s.needAcknowledgement == 1 ? "s" : "") acknowledgement"
        }
        if s.rejected > 0 { line += "; \(s.rejected) rejected by CloudFormation" }
        return line
    }

    /// Changes grouped by table, in order of first appearance.
    var tables: [(String, [Change])] {
        var groups: [(String, [Change])] = []
        for change in review.changes {
            if let position = groups.firstIndex(where: { $0.0 == change.logicalId }) {
                groups[position].1.append(change)
            } else {
                groups.append((change.logicalId, [change]))
            }
        }
        return groups
    }

    func fails(_ change: Change) -> Bool { review.fails(change) }

    /// The changes worth an annotation, as findings for the SARIF, GitHub and JUnit renderers: failing ones as
    /// errors, acknowledged or cautioned ones as warnings, slow ones as notes.
    public var findings: [Finding] {
        changeFindings
            + review.ignoredAcknowledgements.map { ignored in
                Finding(
                    ruleId: "change/acknowledgement", ruleName: "acknowledgement ignored", severity: .warning,
                    message: ignored.message,
                    range: ignored.range, logicalId: ignored.logicalId,
                    note: "an acknowledgement counts only for the change it was written for, with a reason",
                    help: "remove the stale entry, or write the reason for this change next to 'allow'")
            }
    }

    private var changeFindings: [Finding] {
        review.changes.compactMap { change in
            let severity: Severity
            if fails(change) {
                severity = .error
            } else if change.impact >= .breaking || change.caution != nil {
                severity = .warning
            } else if change.impact == .slow {
                severity = .note
            } else {
                return nil
            }
            let subject = change.path.isEmpty ? "'\(change.logicalId)'" : "'\(change.logicalId)' \(change.path)"
            let status = change.acknowledgement.map { " (acknowledged by \($0.origin))" } ?? ""
            return Finding(
                ruleId: "change/\(change.impact.rawValue)", ruleName: change.impact.phrase, severity: severity,
                message: "\(subject): \(change.impact.phrase)\(status): \(change.message)",
                range: change.inBase ? .none : change.range, logicalId: change.logicalId,
                note: change.caution ?? "impact '\(change.impact.rawValue)'", help: advice(change))
        }
    }

    func advice(_ change: Change) -> String {
        if let caution = change.caution, change.impact == .rejected { return caution }
        if change.impact == .rejected { return "CloudFormation will refuse this update; change the template" }
        if change.impact.needsAcknowledgement && !change.acknowledged {
            return
                "if this is intended, acknowledge it in the resource's Metadata (ddbstack: {allow: [\(change.impact.rawValue)], reason: \"…\"}) or with --allow \(change.impact.rawValue):\(change.logicalId)"
        }
        return change.caution ?? "no action needed"
    }
}
