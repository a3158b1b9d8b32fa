import Lint
import Template

/// GitHub Actions workflow commands (`::error file=…,line=…::message`), escaped as the runner requires.
public enum GitHubRenderer {
    public static func render(_ report: LintReport) -> String {
        var output = ""
        for finding in report.findings {
            let start = finding.range.displayStart
            let end = finding.range.displayEnd
            let command = finding.severity == .note ? "notice" : finding.severity.rawValue
            let properties = [
                "file=\(property(report.file))", "line=\(start.line)", "col=\(start.column)", "endLine=\(end.line)",
                "endColumn=\(end.column)", "title=\(property("\(finding.ruleId) \(finding.ruleName)"))",
            ].joined(separator: ",")
            output += "::\(command) \(properties)::\(data("\(finding.message)\n\(finding.help)"))\n"
        }
        return output
    }

    /// Message text: `%`, CR and LF are escaped.
    static func data(_ text: String) -> String {
        text.replacing("%", with: "%25").replacing("\r", with: "%0D").replacing("\n", with: "%0A")
    }

    /// Property values additionally escape `:` and `,`.
    static func property(_ text: String) -> String {
        data(text).replacing(":", with: "%3A").replacing(",", with: "%2C")
    }
}
