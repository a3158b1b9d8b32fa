import Template
import Lint

/// The findings of one lint run, with what the renderers need to show them.
public struct LintReport: Sendable {
    public var file: String
    public var findings: [Finding]
    /// The template's text, for the source excerpt under each finding in text output.
    public var source: String
    /// Findings at or above this severity fail the run.
    public var failOn: Severity

    public init(file: String, findings: [Finding], source: String, failOn: Severity = .error) {
        self.file = file
        self.findings = findings
        self.source = source
        self.failOn = failOn
    }

    /// Line `number` (1-based) of the source; found by scanning bytes, since only findings' lines are ever needed.
    public func line(_ number: Int) -> String? {
        var current = 1
        var start = source.utf8.startIndex
        var index = start
        let utf8 = source.utf8
        while index != utf8.endIndex {
            if utf8[index] == UInt8(ascii: "\n") {
                if current == number { return String(source[start..<index]) }
                current += 1
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        return current == number ? String(source[start...]) : nil
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

extension JSONValue {
    /// A value held as compact JSON text (a change's before and after, a drift's expected and actual), as the JSON
    /// value it is — one contract for diff, plan and drift; null when absent.
    static func typed(_ text: String?) -> JSONValue {
        guard let text else { return .null }
        return (try? JSONParser.parse(Array(text.utf8))) ?? .string(text)
    }
}
