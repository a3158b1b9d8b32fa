import Arguments
import Lint
import Report
import Template

/// `ddbstack rules [ID]`: the rules, or one explained with its examples.
struct RulesCommand: Command {
    static let ruleArgument = Positional(
        "rule", help: "A rule id (DDB201) or name (index-name).", optional: true, completion: .none)
    static let spec = CommandSpec(
        "rules", abstract: "List the rules, or explain one.", positionals: [ruleArgument],
        options: OutputOptions.options)

    var rule: String?
    var output: OutputOptions

    var reportOptions: OutputOptions? { output }

    init(_ arguments: ParsedArguments) throws(UsageError) {
        rule = arguments[Self.ruleArgument]
        output = try OutputOptions(arguments, formats: [.text, .json])
    }

    func run() throws {
        let rules = RuleRegistry.all.map(\.description)
        guard let id = rule else {
            try output.emit(output.format == .json ? json(rules) : RulesRenderer.list(rules))
            return
        }
        guard let found = RuleRegistry.rule(id)?.description else {
            var message = "no rule '\(id)'"
            if let guess = Suggestions.closest(to: id, in: rules.map(\.id) + rules.map(\.name)) {
                message += "; did you mean '\(guess)'?"
            }
            throw CommandFailure(message: "error: \(message)", exitCode: ExitStatus.usage)
        }
        try output.emit(output.format == .json ? json([found]) : RulesRenderer.explain(found))
    }

    private func json(_ rules: [RuleDescription]) -> String {
        JSONWriter.write(
            .object([
                .init("formatVersion", .int(1)),
                .init(
                    "rules",
                    .array(
                        rules.map { rule in
                            .object([
                                .init("id", .string(rule.id)), .init("name", .string(rule.name)),
                                .init("severity", .string(rule.severity.rawValue)),
                                .init("profile", .string(rule.profile.rawValue)),
                                .init("summary", .string(rule.summary)), .init("help", .string(rule.help)),
                                .init("passing", .array(rule.passing.map(JSONValue.string))),
                                .init(
                                    "failing",
                                    .array(
                                        rule.failing.map {
                                            .object([
                                                .init("template", .string($0.template)),
                                                .init("messages", .array($0.messages.map(JSONValue.string))),
                                            ])
                                        })),
                            ])
                        })),
            ])) + "\n"
    }
}
