import Lint
import Template

/// `--format json` for lint: `{"formatVersion":1,"findings":[…],"summary":{…}}`, a versioned contract.
public enum FindingsJSON {
    public static func render(_ report: LintReport, extra: [JSONValue.Member] = []) -> String {
        let findings = report.findings.map { finding -> JSONValue in
            let start = finding.range.displayStart
            let end = finding.range.displayEnd
            return .object([
                .init("ruleId", .string(finding.ruleId)), .init("ruleName", .string(finding.ruleName)),
                .init("severity", .string(finding.severity.rawValue)), .init("message", .string(finding.message)),
                .init("file", .string(report.file)), .init("line", .int(start.line)),
                .init("column", .int(start.column)),
                .init("endLine", .int(end.line)), .init("endColumn", .int(end.column)),
                .init("logicalId", .optional(finding.logicalId)), .init("note", .string(finding.note)),
                .init("help", .string(finding.help)),
            ])
        }
        let summary = JSONValue.object([
            .init("errors", .int(report.count(.error))), .init("warnings", .int(report.count(.warning))),
            .init("notes", .int(report.count(.note))), .init("failOn", .string(report.failOn.rawValue)),
            .init("failed", .bool(report.failed)),
        ])
        return JSONWriter.write(
            .object(
                [.init("formatVersion", .int(1)), .init("findings", .array(findings)), .init("summary", summary)]
                    + extra))
            + "\n"
    }
}
