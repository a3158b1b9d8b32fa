import ArgumentParser
import Template
import Schema
import Changes
import Report
import AWS
import Operations

/// `ddbstack plan TEMPLATE --stack NAME`: the change against what is deployed and what the live tables show.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Classify every change a deploy of the template would make to the deployed stack and its live tables.")

    @Argument(help: "The new template.")
    var template: String

    @Option(help: "The stack to plan against; a stack that does not exist plans as the creation of every table.")
    var stack: String

    @Flag(name: .customLong("change-set"), help: "Also create a CloudFormation change set and merge its verdict (deleted afterwards).")
    var changeSet = false

    @Flag(name: .customLong("keep-change-set"), help: "With --change-set: keep the change set for review or execution.")
    var keepChangeSet = false

    @Option(name: .customLong("change-set-name"), help: "With --change-set: the change set's name (default ddbstack-plan-<time>).")
    var changeSetName: String?

    @Option(help: "With --change-set: a capability the template needs (CAPABILITY_IAM, …). Repeatable.")
    var capabilities: [String] = []

    @Option(help: "Tables read at the same time.")
    var concurrency = 8

    @Option(name: .customLong("fail-on"), help: "The lowest impact that fails unless acknowledged: none, inPlace, slow, breaking (default), replacement, dataLoss.")
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
        let overrides = try parameters.values()
        let source = try FileIO.read(template)
        let deployed = try await DeployedStack.read(stack, from: access.cloudFormation)
        // A REVIEW_IN_PROGRESS stack has never been deployed: what it holds is a change set, not tables.
        let exists = deployed.map { $0.stack.status != "REVIEW_IN_PROGRESS" } ?? false
        let options = deployed?.resolveOptions(region: access.region, overrides: overrides)
            ?? ResolveOptions(parameters: overrides, region: access.region, stackName: stack)
        let head = try loadTemplate(source, name: template, options: options)
        let base = exists ? try await access.template(nil, stack: deployed!, overrides: overrides).0.tables : []
        var review = try await StackPlanner(tables: access.tables, concurrency: concurrency)
            .plan(stack: exists ? deployed : nil, base: base, head: head.tables, headTemplate: head.template,
                  allowances: changes.allow, threshold: failOn, now: SystemClock.now())
        var notes = [exists ? "deployed: \(deployed!.stack.status)\(Self.revision(deployed!))" : "the stack does not exist yet: every table is created"]
        if changeSet {
            let outcome = try await previewChangeSet(access, source: source, head: head.template, deployed: deployed, exists: exists, overrides: overrides)
            review.changes = ChangeSetPreview.merge(outcome.changeSet, into: review.changes, head: head.tables)
            notes.append(outcome.kept
                ? "change set '\(outcome.changeSet.name)' kept (\(outcome.changeSet.status)): aws cloudformation execute-change-set --stack-name \(stack) --change-set-name \(outcome.changeSet.name)"
                : "CloudFormation change set '\(outcome.changeSet.name)' (\(outcome.changeSet.status), \(outcome.changeSet.changes.count) resource changes) merged and deleted")
        }
        try changes.write(review)
        let report = ChangeReport(review: review, baseFile: "stack '\(stack)'" + (exists ? " (deployed)" : " (not created)"), headFile: template,
                                  notes: notes)
        output.log("\(review.changes.count) changes, \(review.steps.count) steps, impact \(review.impact.rawValue), \(access.aws.context.calls.total) API calls")
        try output.emit(changes.render(report, format: output.format, color: output.useColor, command: "plan"))
        if review.failed { throw ExitCode(ExitStatus.findings) }
    }

    /// ", revision abc123" from the tags `ddbstack deploy` leaves on the stack.
    static func revision(_ stack: DeployedStack) -> String {
        stack.stack.tags["ddbstack:revision"].map { ", revision \($0)" } ?? ""
    }

    private func previewChangeSet(_ access: StackAccess, source: [UInt8], head: Template, deployed: DeployedStack?, exists: Bool,
                                  overrides: [String: String]) async throws -> ChangeSetPreview.Outcome {
        guard source.count <= ChangeSetPreview.inlineLimit else {
            throw CommandFailure(message: "\(template): error: the template is \(source.count) bytes, over CloudFormation's \(ChangeSetPreview.inlineLimit)-byte inline limit; plan without --change-set (an S3 upload comes with deploy)",
                                 exitCode: ExitStatus.usage)
        }
        var input = CloudFormationClient.ChangeSetInput(stackName: stack, changeSetName: changeSetName ?? "ddbstack-plan-\(SystemClock.now())",
                                                        type: exists ? .update : .create, templateBody: String(decoding: source, as: UTF8.self))
        input.capabilities = capabilities
        input.description = "ddbstack plan (preview only)"
        input.parameters = StackAccess.changeSetParameters(head, overrides: overrides, deployed: exists ? deployed : nil)
        let preview = ChangeSetPreview(client: access.cloudFormation, sleep: access.aws.context.sleep)
        return try await preview.preview(input, keep: keepChangeSet)
    }
}
