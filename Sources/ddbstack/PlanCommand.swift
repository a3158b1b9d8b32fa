import AWS
import Arguments
import Changes
import Operations
import Report
import Schema
import Template

/// `ddbstack plan TEMPLATE --stack NAME`: the change against what is deployed and what the live tables show.
struct PlanCommand: Command {
    static let templateArgument = Positional("template", help: "The new template.")
    static let stackOption = Required<String>(
        "stack", help: "The stack to plan against; a stack that does not exist plans as the creation of every table.")
    static let changeSetOption = Flag(
        "change-set", help: "Also create a CloudFormation change set and merge its verdict (deleted afterwards).")
    static let keepOption = Flag(
        "keep-change-set", help: "With --change-set: keep the change set for review or execution.")
    static let changeSetNameOption = Option<String>(
        "change-set-name", help: "With --change-set: the change set's name (default ddbstack-plan-<time>).")
    static let capabilitiesOption = Repeated<String>(
        "capabilities", help: "With --change-set: a capability the template needs (CAPABILITY_IAM, …). Repeatable.")
    static let spec = CommandSpec(
        "plan",
        abstract:
            "Classify every change a deploy of the template would make to the deployed stack and its live tables.",
        positionals: [templateArgument],
        options: [
            stackOption.spec, changeSetOption.spec, keepOption.spec, changeSetNameOption.spec, capabilitiesOption.spec,
            CommonOptions.concurrencyOption.spec, CommonOptions.impactThresholdOption.spec,
        ] + ParameterOptions.options + ChangeOptions.options + AWSOptions.options + OutputOptions.options)

    var template: String
    var stack: String
    var changeSet: Bool
    var keepChangeSet: Bool
    var changeSetName: String?
    var capabilities: [String]
    var concurrency: Int
    var failOn: Impact
    var parameters: ParameterOptions
    var changes: ChangeOptions
    var aws: AWSOptions
    var output: OutputOptions

    var reportOptions: OutputOptions? { output }

    init(_ arguments: ParsedArguments) throws(UsageError) {
        template = arguments.required(Self.templateArgument)
        stack = try arguments.value(Self.stackOption)
        changeSet = arguments[Self.changeSetOption]
        keepChangeSet = arguments[Self.keepOption]
        changeSetName = try arguments.value(Self.changeSetNameOption)
        capabilities = try arguments.values(Self.capabilitiesOption)
        concurrency = try CommonOptions.concurrency(arguments)
        failOn = try CommonOptions.impactThreshold(arguments)
        parameters = try ParameterOptions(arguments)
        changes = try ChangeOptions(arguments)
        aws = try AWSOptions(arguments)
        output = try OutputOptions(arguments)
        if keepChangeSet && !changeSet { throw UsageError("--keep-change-set needs --change-set") }
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
