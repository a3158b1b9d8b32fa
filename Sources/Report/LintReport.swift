import Template
import Lint

/// The findings of one lint run, with what the renderers need to show them.
public struct LintReport: Sendable {
    public var file: String
    public var findings: [Finding]
    /// The template's lines, for the source excerpt under each finding in text output.
    public var sourceLines: [Substring]
    /// Findings at or above this severity fail the run.
    public var failOn: Severity

    public init(file: String, findings: [Finding], source: String, failOn: Severity = .error) {
        self.file = file
        self.findings = findings
        self.sourceLines = source.split(separator: "\n", omittingEmptySubsequences: false)
        self.failOn = failOn
    }

    public var failed: Bool { findings.contains { $0.severity >= failOn } }

    public func count(_ severity: Severity) -> Int { findings.filter { $0.severity == severity }.count }

    /// "2 errors, 1 warning" — or "no findings".
    public var summaryLine: String {
        guard !findings.isEmpty else { return "no findings" }
        return Severity.allCases.reversed().compactMap { severity -> String? in
            let count = count(severity)
            return count == 0 ? nil : Plural.count(count, severity.rawValue)
        }.joined(separator: ", ")
    }
}

/// The output formats shared by the commands.
public enum OutputFormat: String, Sendable, CaseIterable {
    case text, json, sarif, github, junit, markdown
}

enum Plural {
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}

extension SourceRange {
    /// Line and column for tools that need a real position (1:1 when the finding has none).
    var displayStart: SourceLocation { isNone ? SourceLocation(line: 1, column: 1) : start }
    var displayEnd: SourceLocation { isNone ? SourceLocation(line: 1, column: 1) : end }
}
