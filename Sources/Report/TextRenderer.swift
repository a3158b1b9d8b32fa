import Lint
import Template

/// rustc/squawk-style findings: the message, the location, the source line with a caret, note and help.
public struct TextRenderer: Sendable {
    public var color: Bool

    public init(color: Bool) {
        self.color = color
    }

    /// Written into one string as it goes: a finding is a dozen short pieces, and 200 of them joined line by line
    /// were a tenth of a large template's lint.
    public func render(_ report: LintReport) -> String {
        var output = ""
        output.reserveCapacity(report.findings.count * 512)
        for finding in report.findings {
            append(finding, report, to: &output)
            output += "\n"
        }
        paint("\(report.file): \(report.summaryLine)", report.failed ? Style.error : Style.dim, to: &output)
        output += "\n"
        return output
    }

    private func append(_ finding: Finding, _ report: LintReport, to output: inout String) {
        let start = finding.range.displayStart
        paint("\(finding.severity.rawValue)[\(finding.ruleId)]", style(finding.severity), to: &output)
        paint(": \(finding.message)", Style.bold, to: &output)
        output += "\n"
        paint("  --> ", Style.blue, to: &output)
        output += "\(report.file):\(start.line):\(start.column)\n"
        if !finding.range.isNone, let line = report.line(start.line) {
            excerpt(line, finding.range, severity: finding.severity, to: &output)
        }
        paint("   = ", Style.blue, to: &output)
        output += "note: \(finding.note)\n"
        paint("   = ", Style.blue, to: &output)
        output += "help: \(finding.help)\n"
    }

    /// The source line with carets under the range; very long lines are cut to a window around it.
    private func excerpt(_ line: String, _ range: SourceRange, severity: Severity, to output: inout String) {
        let number = String(range.start.line)
        let gutter = String(repeating: " ", count: number.count)
        var (text, column) = (line, range.start.column - 1)
        // A line of 160 bytes or fewer has no more than 160 characters: only a longer one is cut to a window.
        if line.utf8.count > 160 { (text, column) = Self.window(line, column: column) }
        let length = text.unicodeScalars.count
        let width =
            range.end.line == range.start.line ? max(1, min(range.end.column - range.start.column, length - column)) : 1
        paint("\(gutter) |", Style.blue, to: &output)
        output += "\n"
        paint("\(number) |", Style.blue, to: &output)
        output += " \(text)\n"
        paint("\(gutter) |", Style.blue, to: &output)
        output += " "
        for scalar in text.unicodeScalars.prefix(column) { output += scalar == "\t" ? "\t" : " " }
        paint(String(repeating: "^", count: width), style(severity), to: &output)
        output += "\n"
    }

    /// 160 characters of a long line around `column`, with an ellipsis where it is cut, and the column in them.
    private static func window(_ line: String, column: Int) -> (String, Int) {
        var scalars = Array(line.unicodeScalars)
        guard scalars.count > 160 else { return (line, column) }
        let from = max(0, column - 60)
        let to = min(scalars.count, from + 160)
        let prefix = from > 0 ? "…" : ""
        scalars = Array(scalars[from..<to]) + (to < scalars.count ? ["…"] : [])
        return (prefix + String(String.UnicodeScalarView(scalars)), column - from + prefix.count)
    }

    private func style(_ severity: Severity) -> String {
        switch severity {
        case .error: return Style.error
        case .warning: return Style.warning
        case .note: return Style.note
        }
    }

    func paint(_ text: String, _ style: String) -> String {
        var painted = ""
        paint(text, style, to: &painted)
        return painted
    }

    /// The one place the SGR sequence around a painted piece is written.
    func paint(_ text: String, _ style: String, to output: inout String) {
        guard color else {
            output += text
            return
        }
        output += "\u{1B}[\(style)m"
        output += text
        output += "\u{1B}[0m"
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
