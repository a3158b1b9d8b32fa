import Lint
import Template

/// A Markdown report for a pull-request comment or `$GITHUB_STEP_SUMMARY`.
public enum MarkdownRenderer {
    public static func render(_ report: LintReport) -> String {
        let status = report.failed ? "❌" : "✅"
        var output = "### \(status) ddbstack lint — `\(report.file)`\n\n**\(report.summaryLine)**\n"
        guard !report.findings.isEmpty else { return output }
        output += "\n| Severity | Rule | Location | Finding | What to do |\n|---|---|---|---|---|\n"
        for finding in report.findings {
            let start = finding.range.displayStart
            output +=
                "| \(finding.severity.rawValue) | `\(finding.ruleId)` \(finding.ruleName) | `\(cell(report.file)):\(start.line):\(start.column)` "
            output += "| \(cell(finding.message)) | \(cell(finding.help)) |\n"
        }
        return output
    }

    /// Table cells: pipes escaped, newlines folded.
    static func cell(_ text: String) -> String {
        text.replacing("|", with: "\\|").replacing("\n", with: " ")
    }
}
