import Lint
import Template

/// `ddbstack rules`: the list, or one rule explained with its examples.
public enum RulesRenderer {
    public static func list(_ rules: [RuleDescription]) -> String {
        let width = rules.map(\.name.count).max() ?? 0
        return rules.map { rule in
            let profile = rule.profile == .production ? " (production profile)" : ""
            return
                "\(rule.id)  \(rule.name.padding(to: width))  \(rule.severity.rawValue.padding(to: 7))  \(rule.summary)\(profile)"
        }.joined(separator: "\n") + "\n"
    }

    public static func explain(_ rule: RuleDescription) -> String {
        var output =
            "\(rule.id) \(rule.name) (\(rule.severity.rawValue)\(rule.profile == .production ? ", production profile" : ""))\n\n"
        output += "Why: \(rule.summary).\nFix: \(rule.help).\n"
        for example in rule.passing {
            output += "\nPasses:\n" + indent(example) + "\n"
        }
        for example in rule.failing {
            output += "\nFails (each marker is where a finding points):\n" + indent(example.template) + "\n"
            for (number, message) in example.messages.enumerated() {
                output += "  \(number + 1). \(message)\n"
            }
        }
        return output
    }

    /// Examples as shown to people: long lines and long examples are cut (some examples are generated to hit a limit).
    static func indent(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var shown = lines.prefix(30).map { line -> String in
            line.count > 1000 ? "    " + line.prefix(1000) + "… (\(line.count - 1000) more characters)" : "    " + line
        }
        if lines.count > 30 { shown.append("    … (\(lines.count - 30) more lines)") }
        return shown.joined(separator: "\n")
    }
}
