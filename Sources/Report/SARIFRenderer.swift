import Lint
import Template

/// SARIF 2.1.0 as GitHub code scanning accepts it: every rule with its help, every finding with its region.
public enum SARIFRenderer {
    public static let version = "0.1.0"

    public static func render(_ report: LintReport, rules: [RuleDescription]) -> String {
        let index = Dictionary(rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        let driver = JSONValue.object([
            .init("name", .string("ddbstack")), .init("version", .string(version)),
            .init("informationUri", .string("https://github.com/ddbstack/ddbstack")),
            .init("rules", .array(rules.map(rule))),
        ])
        let results = report.findings.map { finding -> JSONValue in
            let start = finding.range.displayStart
            let end = finding.range.displayEnd
            let region = JSONValue.object([
                .init("startLine", .int(start.line)), .init("startColumn", .int(start.column)),
                .init("endLine", .int(end.line)),
                .init("endColumn", .int(max(end.column, start.column + (end.line == start.line ? 1 : 0)))),
            ])
            var members: [JSONValue.Member] = [.init("ruleId", .string(finding.ruleId))]
            if let position = index[finding.ruleId] { members.append(.init("ruleIndex", .int(position))) }
            members += [
                .init("level", .string(level(finding.severity))),
                .init("message", .object([.init("text", .string(finding.message))])),
                .init(
                    "locations",
                    .array([
                        .object([
                            .init(
                                "physicalLocation",
                                .object([
                                    .init("artifactLocation", .object([.init("uri", .string(report.file))])),
                                    .init("region", region),
                                ]))
                        ])
                    ])),
            ]
            return .object(members)
        }
        let run = JSONValue.object([
            .init("tool", .object([.init("driver", driver)])), .init("results", .array(results)),
        ])
        return JSONWriter.write(
            .object([
                .init("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
                .init("version", .string("2.1.0")),
                .init("runs", .array([run])),
            ])) + "\n"
    }

    private static func rule(_ rule: RuleDescription) -> JSONValue {
        .object([
            .init("id", .string(rule.id)), .init("name", .string(rule.name)),
            .init("shortDescription", .object([.init("text", .string(rule.summary))])),
            .init("fullDescription", .object([.init("text", .string(rule.summary))])),
            .init(
                "help",
                .object([
                    .init("text", .string(rule.help)),
                    .init("markdown", .string("**\(rule.id) \(rule.name)**: \(rule.help)")),
                ])),
            .init("defaultConfiguration", .object([.init("level", .string(level(rule.severity)))])),
        ])
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: return "error"
        case .warning: return "warning"
        case .note: return "note"
        }
    }
}
