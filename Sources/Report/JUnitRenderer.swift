import Lint
import Template

/// JUnit XML: one test case per resource (and one for the template itself); findings at or above the
/// failure threshold are failures, the rest go to system-out.
public enum JUnitRenderer {
    public static func render(_ report: LintReport, suite: String = "ddbstack lint") -> String {
        var groups: [(String, [Finding])] = []
        for finding in report.findings {
            let name = finding.logicalId ?? "template"
            if let position = groups.firstIndex(where: { $0.0 == name }) {
                groups[position].1.append(finding)
            } else {
                groups.append((name, [finding]))
            }
        }
        if groups.isEmpty { groups = [("template", [])] }
        let failures = groups.filter { $0.1.contains { $0.severity >= report.failOn } }.count
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"\(escape(suite))\" tests=\"\(groups.count)\" failures=\"\(failures)\">\n"
        xml += "  <testsuite name=\"\(escape(report.file))\" tests=\"\(groups.count)\" failures=\"\(failures)\">\n"
        for (name, findings) in groups {
            xml += "    <testcase classname=\"\(escape(report.file))\" name=\"\(escape(name))\""
            guard !findings.isEmpty else {
                xml += "/>\n"
                continue
            }
            xml += ">\n"
            let failing = findings.filter { $0.severity >= report.failOn }
            if let first = failing.first {
                let body = failing.map { line($0, report.file) }.joined(separator: "\n")
                xml +=
                    "      <failure type=\"\(escape(first.ruleId))\" message=\"\(escape(first.message))\">\(escape(body))</failure>\n"
            }
            let others = findings.filter { $0.severity < report.failOn }
            if !others.isEmpty {
                xml +=
                    "      <system-out>\(escape(others.map { line($0, report.file) }.joined(separator: "\n")))</system-out>\n"
            }
            xml += "    </testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    private static func line(_ finding: Finding, _ file: String) -> String {
        let start = finding.range.displayStart
        return
            "\(file):\(start.line):\(start.column): \(finding.severity.rawValue)[\(finding.ruleId)] \(finding.message)"
    }

    /// `text` as XML character data or an attribute value.
    public static func escape(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&apos;"
            case _ where scalar.value < 0x20 && scalar != "\n" && scalar != "\t" && scalar != "\r": output += "?"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}
