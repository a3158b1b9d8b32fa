import Changes
import Lint
import Outcomes
import StackModel
import Template

/// A drift report and what its renderers need.
public struct DriftSummary: Sendable {
    public var report: DriftReport
    /// The template the live tables were compared with (a path, or "stack 'X' (deployed template)").
    public var templateName: String
    public var region: String

    public init(report: DriftReport, templateName: String, region: String) {
        self.report = report
        self.templateName = templateName
        self.region = region
    }

    func count(_ status: TableDrift.Status) -> Int { report.tables.filter { $0.status == status }.count }

    /// "1 drifted, 1 missing, 0 not ACTIVE, 6 in sync; 1 unmanaged table"
    public var line: String {
        var line =
            "\(count(.drifted)) drifted, \(count(.missing)) missing, \(count(.notActive)) not ACTIVE, \(count(.inSync)) in sync"
        if !report.unmanagedTables.isEmpty {
            line += "; \(Plural.count(report.unmanagedTables.count, "unmanaged table"))"
        }
        return line
    }

    var subject: String { report.stack.map { "stack '\($0)'" } ?? "the account's tables" }

    /// Every difference, missing table and unfinished table as an error finding on the template.
    public var findings: [Finding] {
        var findings: [Finding] = []
        for table in report.tables {
            let name = table.tableName.map { " ('\($0)')" } ?? ""
            switch table.status {
            case .inSync: break
            case .missing:
                findings.append(
                    Finding(
                        ruleId: "drift/missing", ruleName: "missing table", severity: .error,
                        message: "'\(table.logicalId)'\(name) is missing: \(table.note ?? "")", range: table.range,
                        logicalId: table.logicalId,
                        note: "the next deploy does not recreate a table CloudFormation believes exists",
                        help: "restore it from a backup, or remove it from the stack and deploy again"))
            case .notActive, .drifted:
                if table.status == .notActive {
                    findings.append(
                        Finding(
                            ruleId: "drift/not-active", ruleName: "table not ACTIVE", severity: .error,
                            message: "'\(table.logicalId)'\(name) is not ready: \(DriftText.readiness(table))",
                            range: table.range,
                            logicalId: table.logicalId, note: "a deploy that changes this table now is refused",
                            help: "wait for it: ddbstack wait --table \(table.tableName ?? table.logicalId)"))
                }
                for difference in table.differences {
                    findings.append(
                        Finding(
                            ruleId: "drift/\(difference.impact.rawValue)", ruleName: "drift", severity: .error,
                            message: "'\(table.logicalId)' \(difference.path): \(difference.message)",
                            range: difference.range,
                            logicalId: table.logicalId,
                            note:
                                "expected \(difference.expected ?? "(absent)"), live \(difference.actual ?? "(absent)")",
                            help: "change it back, or put the live value in the template"))
                }
            }
        }
        return findings
    }
}

enum DriftText {
    /// "UPDATING; GSI 'byEmail' CREATING, backfilling"
    static func readiness(_ table: TableDrift) -> String {
        var parts: [String] = []
        if let status = table.tableStatus, status != "ACTIVE" { parts.append(status) }
        for index in table.buildingIndexes {
            parts.append("GSI '\(index.name)' \(index.status)\(index.backfilling ? ", backfilling" : "")")
        }
        return parts.joined(separator: "; ")
    }
}

/// `ddbstack drift` for people: one block per table that is not in sync, then the in-sync ones in a line.
public struct DriftTextRenderer: Sendable {
    public var color: Bool
    public var quiet: Bool

    public init(color: Bool, quiet: Bool = false) {
        self.color = color
        self.quiet = quiet
    }

    public func render(_ summary: DriftSummary) -> String {
        let text = TextRenderer(color: color)
        let report = summary.report
        var output =
            text.paint("Drift of \(summary.subject) (\(summary.region)) against \(summary.templateName)", Style.bold)
            + "\n"
        for table in report.tables where table.status != .inSync {
            output += "\n" + block(table, text)
        }
        let inSync = report.tables.filter { $0.status == .inSync }
        if !inSync.isEmpty, !quiet {
            output +=
                "\n" + text.paint("✓", Style.green) + " in sync: " + inSync.map(\.logicalId).joined(separator: ", ")
                + "\n"
        }
        if !report.unmanagedTables.isEmpty {
            output +=
                "\n" + text.paint("? unmanaged", Style.warning) + " (in no template): "
                + report.unmanagedTables.joined(separator: ", ") + "\n"
        }
        let style = report.hasDrift ? Style.error : Style.green
        output +=
            "\n" + text.paint("Summary: \(summary.line)", style)
            + text.paint(" (\(report.apiCalls) API calls)", Style.dim) + "\n"
        return output
    }

    private func block(_ table: TableDrift, _ text: TextRenderer) -> String {
        let name = table.tableName.map { " (\($0))" } ?? ""
        var output: String
        switch table.status {
        case .missing:
            output =
                text.paint("-  ", Style.error) + text.paint(table.logicalId, Style.bold) + name + "  "
                + text.paint("missing", Style.error)
                + ": " + (table.note ?? "") + "\n"
        case .notActive:
            output =
                text.paint("…  ", Style.warning) + text.paint(table.logicalId, Style.bold) + name + "  "
                + text.paint("not ACTIVE", Style.warning) + ": " + DriftText.readiness(table) + "\n"
        case .drifted, .inSync:
            output =
                text.paint("~  ", Style.error) + text.paint(table.logicalId, Style.bold) + name + "  "
                + text.paint("drifted", Style.error) + "\n"
        }
        for difference in table.differences {
            output += "      " + text.paint("~", Style.error) + " " + difference.path + "  " + difference.message + "\n"
            output +=
                "            "
                + text.paint(
                    "template \(difference.expected ?? "(absent)") · live \(difference.actual ?? "(absent)")", Style.dim
                )
            output +=
                "  "
                + text.paint(
                    "[\(difference.impact.phrase)]", difference.impact >= .breaking ? Style.warning : Style.note) + "\n"
        }
        if !table.notCompared.isEmpty, !quiet {
            output +=
                "      " + text.paint("not compared: " + table.notCompared.joined(separator: ", "), Style.dim) + "\n"
        }
        return output
    }
}

/// `--format json`: `{"formatVersion":1,"stack","tables":[…],"unmanagedTables":[…],"summary":{…}}`.
public enum DriftJSON {
    public static func render(_ summary: DriftSummary) -> String {
        let report = summary.report
        let tables = report.tables.map { table -> JSONValue in
            .object([
                .init("logicalId", .string(table.logicalId)), .init("tableName", .optional(table.tableName)),
                .init("status", .string(table.status.rawValue)), .init("tableStatus", .optional(table.tableStatus)),
                .init(
                    "differences",
                    .array(
                        table.differences.map { difference in
                            .object([
                                .init("path", .string(difference.path)), .init("expected", value(difference.expected)),
                                .init("actual", value(difference.actual)),
                                .init("impact", .string(difference.impact.rawValue)),
                                .init("message", .string(difference.message)),
                                .init("line", difference.range.isNone ? .null : .int(difference.range.start.line)),
                            ])
                        })),
                .init(
                    "buildingIndexes",
                    .array(
                        table.buildingIndexes.map { index in
                            .object([
                                .init("indexName", .string(index.name)), .init("status", .string(index.status)),
                                .init("backfilling", .bool(index.backfilling)),
                            ])
                        })),
                .init("notCompared", .array(table.notCompared.map(JSONValue.string))),
                .init("note", .optional(table.note)),
            ])
        }
        let counts = JSONValue.object([
            .init("inSync", .int(summary.count(.inSync))), .init("drifted", .int(summary.count(.drifted))),
            .init("missing", .int(summary.count(.missing))), .init("notActive", .int(summary.count(.notActive))),
            .init("unmanaged", .int(report.unmanagedTables.count)), .init("apiCalls", .int(report.apiCalls)),
            .init("failed", .bool(report.hasDrift)), .init("text", .string(summary.line)),
        ])
        return JSONWriter.write(
            .object([
                .init("formatVersion", .int(1)), .init("stack", .optional(report.stack)),
                .init("region", .string(summary.region)),
                .init("template", .string(summary.templateName)), .init("tables", .array(tables)),
                .init("unmanagedTables", .array(report.unmanagedTables.map(JSONValue.string))),
                .init("summary", counts),
            ])) + "\n"
    }

    /// The compact JSON of a value back as JSON, so consumers get objects rather than strings of JSON.
    private static func value(_ text: String?) -> JSONValue { JSONValue.typed(text) }
}

/// A drift report to post in an issue or a step summary.
public enum DriftMarkdown {
    public static func render(_ summary: DriftSummary) -> String {
        let report = summary.report
        var output =
            "### \(report.hasDrift ? "❌" : "✅") ddbstack drift: \(summary.subject) (\(summary.region))\n\n**\(summary.line)**\n"
        let attention = report.tables.filter { $0.status != .inSync }
        if !attention.isEmpty {
            output += "\n| Table | Status | Property | Template | Live | Restoring it |\n|---|---|---|---|---|---|\n"
            for table in attention {
                let name = "`\(table.logicalId)`" + (table.tableName.map { " (`\($0)`)" } ?? "")
                if table.differences.isEmpty {
                    let detail = table.status == .notActive ? DriftText.readiness(table) : table.note ?? ""
                    output += "| \(name) | \(table.status.rawValue) | | | | \(MarkdownRenderer.cell(detail)) |\n"
                }
                for difference in table.differences {
                    output +=
                        "| \(name) | \(table.status.rawValue) | `\(difference.path)` | \(code(difference.expected)) | \(code(difference.actual)) "
                    output += "| \(difference.impact.phrase) |\n"
                }
            }
        }
        if !report.unmanagedTables.isEmpty {
            output +=
                "\n**Unmanaged tables** (in no template): "
                + report.unmanagedTables.map { "`\($0)`" }.joined(separator: ", ") + "\n"
        }
        return output
    }

    private static func code(_ text: String?) -> String {
        text.map { "`\(MarkdownRenderer.cell($0).replacing("`", with: "'"))`" } ?? "—"
    }
}
