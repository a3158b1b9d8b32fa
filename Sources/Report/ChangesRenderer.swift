import Changes
import Lint
import Template

/// A plan that reads like terraform's: `+` add, `~` in place, `-/+` replace, `-` remove, `!` rejected.
public struct ChangesTextRenderer: Sendable {
    public var color: Bool

    public init(color: Bool) {
        self.color = color
    }

    public func render(_ report: ChangeReport) -> String {
        let text = TextRenderer(color: color)
        var output = text.paint("Changes from \(report.baseFile) to \(report.headFile)", Style.bold) + "\n"
        for note in report.notes { output += text.paint("  \(note)", Style.dim) + "\n" }
        for (logicalId, changes) in report.tables {
            let table = changes.first { $0.path.isEmpty }
            let name = changes.first?.tableName.map { " (\($0))" } ?? ""
            let symbol = tableSymbol(changes)
            var header =
                "\n" + text.paint(symbol.padding(to: 3), style(for: changes)) + " " + text.paint(logicalId, Style.bold)
                + name
            if let table { header += "  " + describe(table, report, text) }
            output += header + "\n"
            for change in changes where !change.path.isEmpty {
                output += "      " + text.paint(changeSymbol(change).padding(to: 3), style(for: [change])) + " "
                output += change.path + "  " + describe(change, report, text) + "\n"
                if let before = change.before, let after = change.after, change.action == .modify,
                    before.count + after.count < 120
                {
                    output += "            " + text.paint("\(before) → \(after)", Style.dim) + "\n"
                }
            }
        }
        for ignored in report.review.ignoredAcknowledgements {
            output += "\n" + text.paint("! ", Style.warning) + ignored.message + "\n"
        }
        if !report.review.steps.isEmpty {
            output +=
                "\n"
                + text.paint(
                    "Staged plan: \(report.review.steps.count) deploys, one GSI or replica creation or deletion per table each",
                    Style.bold) + "\n"
            for step in report.review.steps {
                let operations = step.operations.map { "\($0.logicalId): \($0.summary)" }
                output += "  \(step.number). \(operations.joined(separator: "; "))\n"
            }
        }
        let failed = report.review.failed
        output += "\n" + text.paint("Summary: \(report.summaryLine)", failed ? Style.error : Style.green) + "\n"
        return output
    }

    private func describe(_ change: Change, _ report: ChangeReport, _ text: TextRenderer) -> String {
        var line = text.paint(change.impact.phrase, style(for: [change])) + ": " + change.message
        if let acknowledgement = change.acknowledgement {
            line += text.paint(" [acknowledged by \(acknowledgement.origin)]", Style.green)
        } else if report.fails(change), change.impact != .rejected {
            line += text.paint(" [needs acknowledgement]", Style.error)
        }
        if let caution = change.caution { line += "\n            " + text.paint("! \(caution)", Style.warning) }
        return line
    }

    private func tableSymbol(_ changes: [Change]) -> String {
        if changes.contains(where: { $0.impact == .rejected }) { return "!" }
        if let table = changes.first(where: { $0.path.isEmpty }) { return changeSymbol(table) }
        return changes.contains { $0.action == .replace } ? "-/+" : "~"
    }

    private func changeSymbol(_ change: Change) -> String {
        if change.impact == .rejected { return "!" }
        switch change.action {
        case .add: return "+"
        case .modify: return "~"
        case .remove: return "-"
        case .replace: return "-/+"
        }
    }

    private func style(for changes: [Change]) -> String {
        let impact = changes.map(\.impact).max() ?? .none
        switch impact {
        case .none, .inPlace: return Style.green
        case .slow: return Style.note
        case .breaking: return Style.warning
        case .replacement, .dataLoss, .rejected: return Style.error
        }
    }
}

/// `--format json` for diff: `{"formatVersion":1,"changes":[…],"steps":[…],"summary":{…}}`.
public enum ChangesJSON {
    public static func render(_ report: ChangeReport) -> String {
        JSONWriter.write(.object([.init("formatVersion", .int(1))] + members(report))) + "\n"
    }

    /// The members shared with `lint --base`'s JSON.
    public static func members(_ report: ChangeReport) -> [JSONValue.Member] {
        let changes = report.review.changes.map { change -> JSONValue in
            .object([
                .init("logicalId", .string(change.logicalId)), .init("tableName", .optional(change.tableName)),
                .init("path", .string(change.path)), .init("action", .string(change.action.rawValue)),
                .init("impact", .string(change.impact.rawValue)), .init("acknowledged", .bool(change.acknowledged)),
                .init("acknowledgedBy", .optional(change.acknowledgement?.origin)),
                .init("fails", .bool(report.fails(change))), .init("message", .string(change.message)),
                .init("caution", .optional(change.caution)), .init("before", .typed(change.before)),
                .init("after", .typed(change.after)),
                .init("file", .string(change.inBase ? report.baseFile : report.headFile)),
                .init("line", change.range.isNone ? .null : .int(change.range.start.line)),
            ])
        }
        let steps = report.review.steps.map { step -> JSONValue in
            .object([
                .init("number", .int(step.number)),
                .init(
                    "operations",
                    .array(
                        step.operations.map { operation in
                            .object([
                                .init("logicalId", .string(operation.logicalId)),
                                .init(
                                    operation.subject.isIndex ? "indexName" : "region",
                                    .string(operation.subject.name)),
                                .init("kind", .string(operation.kind.rawValue)),
                            ])
                        })),
            ])
        }
        let s = report.summary
        let summary = JSONValue.object([
            .init("tablesAdded", .int(s.added)), .init("tablesChanged", .int(s.changed)),
            .init("tablesReplaced", .int(s.replaced)),
            .init("tablesRemoved", .int(s.removed)), .init("gsiBackfills", .int(s.backfills)),
            .init("steps", .int(report.review.steps.count)),
            .init("needAcknowledgement", .int(s.needAcknowledgement)), .init("rejected", .int(s.rejected)),
            .init("impact", .string(report.review.impact.rawValue)),
            .init("threshold", .string(report.review.threshold.rawValue)),
            .init("failed", .bool(report.review.failed)), .init("text", .string(report.summaryLine)),
        ])
        return [
            .init("base", .string(report.baseFile)), .init("head", .string(report.headFile)),
            .init("planNotes", .array(report.notes.map(JSONValue.string))), .init("changes", .array(changes)),
            .init("steps", .array(steps)),
            .init(
                "ignoredAcknowledgements",
                .array(
                    report.review.ignoredAcknowledgements.map { ignored in
                        .object([
                            .init("logicalId", .string(ignored.logicalId)), .init("allow", .string(ignored.entry)),
                            .init("line", ignored.range.isNone ? .null : .int(ignored.range.start.line)),
                            .init("message", .string(ignored.message)),
                        ])
                    })), .init("changeSummary", summary),
        ]
    }
}

/// A PR comment or step summary for a plan.
public enum ChangesMarkdown {
    public static func render(_ report: ChangeReport) -> String {
        let status = report.review.failed ? "❌" : "✅"
        var output =
            "### \(status) ddbstack: changes from `\(report.baseFile)` to `\(report.headFile)`\n\n**\(report.summaryLine)**\n"
        if !report.notes.isEmpty {
            output += "\n" + report.notes.map { "- \(MarkdownRenderer.cell($0))" }.joined(separator: "\n") + "\n"
        }
        guard !report.review.changes.isEmpty else { return output }
        output += "\n| Table | Property | Impact | What happens | Status |\n|---|---|---|---|---|\n"
        for change in report.review.changes {
            let status =
                change.acknowledgement.map { "acknowledged by \(MarkdownRenderer.cell($0.origin))" }
                ?? (report.fails(change) ? "**fails**" : "ok")
            var what = change.message
            if let caution = change.caution { what += " ⚠️ \(caution)" }
            output +=
                "| `\(change.logicalId)` | \(change.path.isEmpty ? "(table)" : "`\(change.path)`") | \(change.impact.phrase) "
            output += "| \(MarkdownRenderer.cell(what)) | \(status) |\n"
        }
        for ignored in report.review.ignoredAcknowledgements {
            output += "\n⚠️ \(MarkdownRenderer.cell(ignored.message))\n"
        }
        if !report.review.steps.isEmpty {
            output += "\n**Staged plan** (one GSI or replica creation or deletion per table per deploy):\n\n"
            for step in report.review.steps {
                output +=
                    "\(step.number). "
                    + step.operations.map {
                        "`\($0.logicalId)`: \($0.kind.rawValue) \($0.subject.noun) `\($0.subject.name)`"
                    }
                    .joined(separator: "; ") + "\n"
            }
        }
        return output
    }
}
