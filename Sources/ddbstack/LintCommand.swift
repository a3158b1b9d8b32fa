import ArgumentParser
import Lint
import Report

/// `ddbstack lint TEMPLATE`: the rules, offline, in milliseconds.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lint", abstract: "Check a template against the DynamoDB rules.")

    @OptionGroup var input: TemplateOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .customLong("rules-profile"), help: "standard, or production: also require PITR, deletion protection, Retain policies and encryption.")
    var profile: Profile = .standard

    @Option(help: "Ignore a rule everywhere (its id, e.g. DDB912). Repeatable.")
    var ignore: [String] = []

    @Option(name: .customLong("fail-on"), help: "The lowest severity that fails the run: error, warning or note.")
    var failOn: Severity = .error

    func validate() throws {
        for id in ignore where RuleRegistry.rule(id) == nil {
            throw ValidationError("--ignore '\(id)' is not a rule; 'ddbstack rules' lists them")
        }
    }

    func run() throws {
        let (context, bytes) = try input.load()
        let ignored = Set(ignore.compactMap { RuleRegistry.rule($0)?.description.id })
        let findings = Linter(profile: profile, ignored: ignored).lint(context)
        output.log("\(context.tables.count) tables, \(findings.count) findings, profile \(profile.rawValue)")
        let report = LintReport(file: input.template, findings: findings, source: String(decoding: bytes, as: UTF8.self), failOn: failOn)
        let text: String
        switch output.format {
        case .text:
            text = output.quiet && findings.isEmpty ? "" : TextRenderer(color: output.useColor).render(report)
        case .json: text = FindingsJSON.render(report)
        case .sarif: text = SARIFRenderer.render(report, rules: RuleRegistry.all.map(\.description))
        case .github: text = GitHubRenderer.render(report)
        case .junit: text = JUnitRenderer.render(report)
        case .markdown: text = MarkdownRenderer.render(report)
        }
        try output.emit(text)
        if report.failed { throw ExitCode(ExitStatus.findings) }
    }
}
