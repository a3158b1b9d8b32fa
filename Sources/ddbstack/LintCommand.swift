import Arguments
import Changes
import Glibc
import Lint
import Report

/// A failure threshold for lint: a finding severity or, with `--base`, a change impact.
enum FailureThreshold: ArgumentValue {
    case severity(Severity)
    case impact(Impact)

    init?(argument: String) {
        if let severity = Severity(rawValue: argument) {
            self = .severity(severity)
        } else if let impact = Impact(name: argument) {
            self = .impact(impact)
        } else {
            return nil
        }
    }

    static var choices: [String]? { Severity.allCases.map(\.rawValue) + Impact.allCases.map(\.rawValue) }
}

/// `ddbstack lint TEMPLATE [--base REF|FILE]`: the rules, offline, in milliseconds; with a base, whether the
/// change from it is safe.
struct LintCommand: Command {
    static let profileOption = Option<Profile>(
        "rules-profile",
        help: "standard, or production: also require PITR, deletion protection, Retain policies and encryption.",
        default: "standard")
    static let ignoreOption = Repeated<String>(
        "ignore", help: "Ignore a rule everywhere (its id, e.g. DDB912). Repeatable.")
    static let baseOption = Option<String>(
        "base",
        help: "Compare with this version of the template: a git revision (git show REV:PATH) or a file.",
        completion: .file)
    static let failOnOption = Repeated<FailureThreshold>(
        "fail-on",
        help:
            "What fails the run: a severity (error, the default; warning; note) and, with --base, an impact (breaking, the default; slow; replacement…). Repeatable."
    )
    static let spec = CommandSpec(
        "lint", abstract: "Check a template against the DynamoDB rules, and against its base.",
        positionals: [TemplateOptions.templateArgument],
        options: TemplateOptions.options + OutputOptions.options + ChangeOptions.options
            + [profileOption.spec, ignoreOption.spec, baseOption.spec, failOnOption.spec])

    var input: TemplateOptions
    var output: OutputOptions
    var changes: ChangeOptions
    var profile: Profile
    var ignore: [String]
    var base: String?
    var failOn: [FailureThreshold]

    var reportOptions: OutputOptions? { output }

    init(_ arguments: ParsedArguments) throws(UsageError) {
        input = try TemplateOptions(arguments)
        output = try OutputOptions(arguments)
        changes = try ChangeOptions(arguments)
        profile = try arguments.value(Self.profileOption) ?? .standard
        ignore = try arguments.values(Self.ignoreOption)
        base = try arguments.value(Self.baseOption)
        failOn = try arguments.values(Self.failOnOption)
        for id in ignore where RuleRegistry.rule(id) == nil {
            throw UsageError("--ignore '\(id)' is not a rule; 'ddbstack rules' lists them")
        }
        let comparesChanges =
            !changes.allow.isEmpty || changes.steps || changes.writeSteps != nil
            || failOn.contains { if case .impact = $0 { return true } else { return false } }
        if base == nil, comparesChanges {
            throw UsageError("--allow, --steps, --write-steps and an impact for --fail-on need --base")
        }
    }

    private var severityThreshold: Severity {
        failOn.compactMap { if case .severity(let severity) = $0 { return severity } else { return nil } }.min()
            ?? .error
    }

    private var impactThreshold: Impact {
        failOn.compactMap { if case .impact(let impact) = $0 { return impact } else { return nil } }.min() ?? .breaking
    }

    func run() throws {
        let bytes = try FileIO.read(input.template)
        let baseBytes = try base.map { base throws(CommandFailure) in
            try BaseTemplate.read(base, template: input.template)
        }
        let baseName = base.map { "\($0):\(input.template)" } ?? ""
        let (baseContext, context) = try input.resolution.loadVersions(
            base: baseBytes.flatMap { $0.map { ($0, baseName) } },
            head: (bytes, input.template))
        let ignored = Set(ignore.compactMap { RuleRegistry.rule($0)?.description.id })
        let findings = Linter(profile: profile, ignored: ignored).lint(context)
        output.log("\(context.tables.count) tables, \(findings.count) findings, profile \(profile.rawValue)")
        let report = LintReport(
            file: input.template, findings: findings, source: bytes,
            failOn: severityThreshold)
        let plan = try changeReport(head: context, base: baseContext, found: baseBytes.map { $0 != nil })
        if let plan { try changes.write(plan.review) }
        try output.emit(render(report, plan))
        let status = report.failed || plan?.review.failed == true ? ExitStatus.findings : ExitStatus.clean
        // The process ends here, with the node trees and models still alive: releasing them one object at a time
        // would cost more than a tenth of lint's run on a large template, and the kernel frees them at once.
        withExtendedLifetime((context, baseContext, report, plan)) { Glibc.exit(status) }
    }

    /// With `--base`: the change from the base version (`found` false: no template there, every table is new).
    private func changeReport(head: LintContext, base baseContext: LintContext?, found: Bool?) throws(CommandFailure)
        -> ChangeReport?
    {
        guard let base, let found else { return nil }
        if !found { output.log("'\(input.template)' does not exist at \(base): every table is new") }
        let review = changes.review(
            base: baseContext?.tables ?? [], head: head, threshold: impactThreshold,
            region: try input.resolution.resolveOptions().region)
        return ChangeReport(review: review, baseFile: found ? base : "\(base) (no template)", headFile: input.template)
    }

    private func render(_ report: LintReport, _ plan: ChangeReport?) -> String {
        switch output.format {
        case .text:
            let findings =
                output.quiet && report.findings.isEmpty ? "" : TextRenderer(color: output.useColor).render(report)
            return findings + (plan.map { "\n" + changes.render($0, format: .text, color: output.useColor) } ?? "")
        case .json: return FindingsJSON.render(report, extra: plan.map(ChangesJSON.members) ?? [])
        case .markdown: return MarkdownRenderer.render(report) + (plan.map { "\n" + ChangesMarkdown.render($0) } ?? "")
        case .sarif, .github, .junit:
            var combined = report
            combined.findings += plan?.findings ?? []
            switch output.format {
            case .sarif: return SARIFRenderer.render(combined, rules: RuleRegistry.all.map(\.description))
            case .github: return GitHubRenderer.render(combined)
            default: return JUnitRenderer.render(combined)
            }
        }
    }
}
