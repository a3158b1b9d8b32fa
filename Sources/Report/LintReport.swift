import Glibc
import Lint
import Template

/// The findings of one lint run, with what the renderers need to show them.
public struct LintReport: Sendable {
    public var file: String
    public var findings: [Finding]
    /// The template's bytes, for the source excerpt under each finding in text output (kept as read: the
    /// excerpts are a few lines, so the whole file is never copied into a string).
    public var source: [UInt8]
    /// Findings at or above this severity fail the run.
    public var failOn: Severity

    /// The UTF-8 offset where each line of `source` starts: one pass over the text, so each finding's excerpt
    /// is a slice instead of a scan from the top (200 findings on a 450 KB template were most of lint's time).
    private let lineStarts: [Int]

    public init(file: String, findings: [Finding], source: [UInt8], failOn: Severity = .error) {
        self.file = file
        self.findings = findings
        self.source = source
        self.failOn = failOn
        lineStarts = Self.lineStarts(source)
    }

    public init(file: String, findings: [Finding], source: String, failOn: Severity = .error) {
        self.init(file: file, findings: findings, source: Array(source.utf8), failOn: failOn)
    }

    /// memchr finds each line break: a byte-at-a-time loop over a 450 KB template cost a millisecond.
    private static func lineStarts(_ source: [UInt8]) -> [Int] {
        var starts = [0]
        source.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return }
            var offset = 0
            while offset < bytes.count, let found = memchr(base + offset, 0x0A, bytes.count - offset) {
                offset = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
                starts.append(offset)
            }
        }
        return starts
    }

    /// Line `number` (1-based) of the source, without its line break.
    public func line(_ number: Int) -> String? {
        guard number >= 1, number <= lineStarts.count else { return nil }
        let end = number < lineStarts.count ? lineStarts[number] - 1 : source.count
        return String(decoding: source[lineStarts[number - 1]..<end], as: UTF8.self)
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
