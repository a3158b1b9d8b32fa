import AWS
import ArgumentParser
import Changes
import Operations
import Report
import Schema
import Template

/// `ddbstack plan TEMPLATE --stack NAME`: the change against what is deployed and what the live tables show.
struct PlanCommand: AsyncParsableCommand, ReportsFailures {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Classify every change a deploy of the template would make to the deployed stack and its live tables."
    )

    @Argument(help: "The new template.")
    var template: String

    @Option(help: "The stack to plan against; a stack that does not exist plans as the creation of every table.")
    var stack: String

    @Flag(
        name: .customLong("change-set"),
        help: "Also create a CloudFormation change set and merge its verdict (deleted afterwards).")
    var changeSet = false

    @Flag(name: .customLong("keep-change-set"), help: "With --change-set: keep the change set for review or execution.")
    var keepChangeSet = false

    @Option(
        name: .customLong("change-set-name"),
        help: "With --change-set: the change set's name (default ddbstack-plan-<time>).")
    var changeSetName: String?

    @Option(help: "With --change-set: a capability the template needs (CAPABILITY_IAM, …). Repeatable.")
    var capabilities: [String] = []

    @Option(help: "Tables read at the same time.")
    var concurrency = 8

    @Option(
        name: .customLong("fail-on"),
        help:
            "The lowest impact that fails unless acknowledged: none, inPlace, slow, breaking (default), replacement, dataLoss."
    )
    var failOn: Impact = .breaking

    @OptionGroup var parameters: ParameterOptions
    @OptionGroup var changes: ChangeOptions
    @OptionGroup var aws: AWSOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if keepChangeSet && !changeSet { throw ValidationError("--keep-change-set needs --change-set") }
        if !(1...64).contains(concurrency) { throw ValidationError("--concurrency takes 1 to 64") }
    }

    func run() async throws {
        let access = StackAccess(aws: try aws.resolve(verbose: output.verbose))
        let source = try FileIO.read(template)
        var request = PlanRequest(
            stackName: stack, region: access.region, source: source, file: template, given: try parameters.values(),
            now: SystemClock.now())
        request.allowances = changes.allow
        request.threshold = failOn
        if changeSet {
            guard source.count <= ChangeSetPreview.inlineLimit else {
                throw CommandFailure(
                    file: template,
                    message:
                        "the template is \(source.count) bytes, over CloudFormation's \(ChangeSetPreview.inlineLimit)-byte inline limit; plan without --change-set (an S3 upload comes with deploy)",
                    exitCode: ExitStatus.usage)
            }
            // The same template gives the same name, so a re-run replaces what an interrupted one left.
            let name = try changeSetName ?? "ddbstack-plan-" + Digest.hex(Digest.sha256(source)).prefix(16)
            request.preview = .init(changeSetName: name, capabilities: capabilities, keep: keepChangeSet)
        }
        let plan = try await access.plan(request, concurrency: concurrency)
        try changes.write(plan.review)
        let report = ChangeReport(
            review: plan.review,
            baseFile: "stack '\(stack)'" + (plan.deployed != nil ? " (deployed)" : " (not created)"),
            headFile: template, notes: plan.notes)
        output.log(
            "\(plan.review.changes.count) changes, \(plan.review.steps.count) steps, impact \(plan.review.impact.rawValue), \(access.aws.context.calls.total) API calls"
        )
        try output.emit(changes.render(report, format: output.format, color: output.useColor, command: "plan"))
        if let leftovers = plan.changeSet?.leftovers, !leftovers.isEmpty {
            throw CommandFailure(
                message: (["error: the preview's clean-up failed; left behind:"] + leftovers.map { "  \($0)" }).joined(
                    separator: "\n"),
                exitCode: ExitStatus.failed)
        }
        try ExitStatus.check(plan.review)
    }
}
