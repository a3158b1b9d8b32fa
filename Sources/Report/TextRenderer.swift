import Lint
import Template

/// rustc/squawk-style findings: the message, the location, the source line with a caret, note and help.
public struct TextRenderer: Sendable {
    public var color: Bool

    public init(color: Bool) {
        self.color = color
    }

    public func render(_ report: LintReport) -> String {
        var output = ""
        for finding in report.findings {
            output += render(finding, report) + "\n"
        }
        let summary = "\(report.file): \(report.summaryLine)"
        output += paint(summary, report.failed ? Style.error : Style.dim) + "\n"
        return output
    }

    func render(_ finding: Finding, _ report: LintReport) -> String {
        let start = finding.range.displayStart
        let header =
            paint("\(finding.severity.rawValue)[\(finding.ruleId)]", style(finding.severity))
            + paint(": \(finding.message)", Style.bold)
        var lines = [header, paint("  --> ", Style.blue) + "\(report.file):\(start.line):\(start.column)"]
        if !finding.range.isNone, let line = report.line(start.line) {
            lines += excerpt(line, finding.range, severity: finding.severity)
        }
        lines.append(paint("   = ", Style.blue) + "note: \(finding.note)")
        lines.append(paint("   = ", Style.blue) + "help: \(finding.help)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The source line with carets under the range; very long lines are cut to a window around it.
    private func excerpt(_ line: String, _ range: SourceRange, severity: Severity) -> [String] {
        let number = String(range.start.line)
        let gutter = String(repeating: " ", count: number.count)
        var scalars = Array(line.unicodeScalars)
        var column = range.start.column - 1
        var prefix = ""
        if scalars.count > 160 {
            let from = max(0, column - 60)
            let to = min(scalars.count, from + 160)
            prefix = from > 0 ? "…" : ""
            scalars = Array(scalars[from..<to]) + (to < scalars.count ? ["…"] : [])
            column = column - from + prefix.count
        }
        let text = prefix + String(String.UnicodeScalarView(scalars))
        let width =
            range.end.line == range.start.line
            ? max(1, min(range.end.column - range.start.column, scalars.count - column)) : 1
        let indent = String(text.unicodeScalars.prefix(column).map { $0 == "\t" ? "\t" : " " }.map(Character.init))
        return [
            paint("\(gutter) |", Style.blue),
            paint("\(number) |", Style.blue) + " \(text)",
            paint("\(gutter) |", Style.blue) + " \(indent)"
                + paint(String(repeating: "^", count: width), style(severity)),
        ]
    }

    private func style(_ severity: Severity) -> String {
        switch severity {
        case .error: return Style.error
        case .warning: return Style.warning
        case .note: return Style.note
        }
    }

    func paint(_ text: String, _ style: String) -> String {
        color ? "\u{1B}[\(style)m\(text)\u{1B}[0m" : text
    }
}

/// ANSI SGR codes.
enum Style {
    static let error = "1;31"
    static let warning = "1;33"
    static let note = "1;36"
    static let blue = "1;34"
    static let bold = "1"
    static let dim = "2"
    static let green = "1;32"
}
