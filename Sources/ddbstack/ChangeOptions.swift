import Arguments
import Changes
import Glibc
import Lint
import Report
import Schema
import Template

extension Impact: ArgumentValue {
    public init?(argument: String) { self.init(name: argument) }
}

extension Review.Allowance: ArgumentValue {
    public init?(argument: String) { self.init(argument) }
    public static var expected: String { "IMPACT:LogicalId" }
}

/// How a comparison between two templates is reviewed: acknowledgements, threshold, staged steps.
struct ChangeOptions {
    static let allowOption = Repeated<Review.Allowance>(
        "allow",
        help:
            "Acknowledge a reviewed change, IMPACT:LogicalId (e.g. replacement:Users). Repeatable. 'rejected' cannot be acknowledged."
    )
    static let stepsOption = Flag("steps", help: "List the steps of a staged plan in text output.")
    static let writeStepsOption = Option<String>(
        "write-steps", help: "Write the template of each step of a staged plan into this directory.",
        completion: .directory)
    static let options = [allowOption.spec, stepsOption.spec, writeStepsOption.spec]

    var allow: [Review.Allowance]
    var steps: Bool
    var writeSteps: String?

    init(_ arguments: ParsedArguments) throws(UsageError) {
        allow = try arguments.values(Self.allowOption)
        steps = arguments[Self.stepsOption]
        writeSteps = try arguments.value(Self.writeStepsOption)
        if allow.contains(where: { $0.impact == .rejected }) {
            throw UsageError(
                "--allow rejected:…: a rejected change cannot be acknowledged, CloudFormation will refuse it")
        }
    }

    /// `region`: the stack's region, when known (`--region`, `AWS_REGION`).
    func review(base: [Table], head: LintContext, threshold: Impact, region: String?) -> Review {
        Review(
            base: base, head: head.tables, headTemplate: head.template, allowances: allow, threshold: threshold,
            region: region)
    }

    /// Writes `step-N.json` for every step, so each can be linted, reviewed or deployed on its own.
    func write(_ review: Review) throws(CommandFailure) {
        guard let directory = writeSteps else { return }
        if mkdir(directory, 0o755) != 0, errno != EEXIST {
            throw CommandFailure(
                file: directory, message: "cannot create: \(String(cString: strerror(errno)))",
                exitCode: ExitStatus.usage)
        }
        for step in review.steps {
            try FileIO.write(
                JSONWriter.write(JSONValue(step.template)) + "\n", to: "\(directory)/step-\(step.number).json")
        }
    }

    /// The plan in any format; SARIF, GitHub and JUnit get the notable changes as findings on the head template.
    func render(_ report: ChangeReport, format: OutputFormat, color: Bool, command: String = "diff") -> String {
        var shown = report
        if !steps, format == .text { shown.review.steps = [] }
        switch format {
        case .text: return ChangesTextRenderer(color: color).render(shown)
        case .json: return ChangesJSON.render(report)
        case .markdown: return ChangesMarkdown.render(report)
        case .sarif, .github, .junit:
            let findings = LintReport(file: report.headFile, findings: report.findings, source: "", failOn: .error)
            switch format {
            case .sarif: return SARIFRenderer.render(findings, rules: [])
            case .github: return GitHubRenderer.render(findings)
            default: return JUnitRenderer.render(findings, suite: "ddbstack \(command)")
            }
        }
    }
}
