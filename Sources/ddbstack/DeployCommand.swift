import AWS
import Arguments
import Changes
import Dispatch
import Glibc
import Lint
import Operations
import Outcomes
import Report
import Schema
import Template

/// `ddbstack deploy TEMPLATE --stack NAME`: lint, plan against what is deployed, refuse what would lose data or
/// what CloudFormation will reject, then change sets (one per step of a staged plan), execution with the stack's
/// events as they come, and the wait until every table and GSI is ready.
struct DeployCommand: Command {
    static let templateArgument = Positional("template", help: "The template to deploy.")
    static let stackOption = Required<String>("stack", help: "The stack to create or update.")
    static let noExecuteOption = Flag(
        "no-execute", help: "Create the change set, show it, and stop (execute it later with --execute).")
    static let executeOption = Option<String>(
        "execute", value: "change-set",
        help: "Execute this change set (made with --no-execute) instead of creating one.")
    static let changeSetNameOption = Option<String>(
        "change-set-name", help: "The change set's name (default ddbstack-<revision>, or ddbstack-<template SHA-256>).")
    static let capabilitiesOption = Repeated<String>(
        "capabilities", help: "A capability the template needs (CAPABILITY_IAM, …). Repeatable.")
    static let tagsOption = Repeated<String>(
        "tags",
        help:
            "A stack tag, KEY=VALUE, added to the stack's tags; CloudFormation copies stack tags onto every table. Repeatable."
    )
    static let roleOption = Option<String>("role-arn", help: "The service role CloudFormation assumes for the change.")
    static let bucketOption = Option<String>(
        "s3-bucket", help: "Upload templates over 51,200 bytes to this bucket and pass them as TemplateURL.")
    static let prefixOption = Option<String>(
        "s3-prefix", help: "The key prefix of uploaded templates.", default: "ddbstack")
    static let backupOption = Flag(
        "backup", help: "Take an on-demand backup (CreateBackup) of every table about to be replaced or removed.")
    static let revisionOption = Option<String>(
        "revision", help: "The revision deployed (a commit), recorded in the template's Metadata (default GITHUB_SHA).")
    static let timeoutOption = Option<Double>(
        "timeout", help: "Give up after this many seconds, waits included (exit 3).", default: "3600")
    static let cancelOption = Flag(
        "cancel-on-interrupt", help: "On Ctrl-C or SIGTERM during an update, cancel it (CancelUpdateStack).")
    static let spec = CommandSpec(
        "deploy",
        abstract:
            "Plan, guard, create and execute change sets, and wait until every table and GSI is ACTIVE and built.",
        positionals: [templateArgument],
        options: [
            stackOption.spec, noExecuteOption.spec, executeOption.spec, changeSetNameOption.spec,
            capabilitiesOption.spec, tagsOption.spec, roleOption.spec, bucketOption.spec, prefixOption.spec,
            backupOption.spec, revisionOption.spec, timeoutOption.spec, cancelOption.spec,
            CommonOptions.impactThresholdOption.spec,
            CommonOptions.concurrencyOption.spec,
        ] + ParameterOptions.options + ChangeOptions.options + AWSOptions.options + OutputOptions.options)

    var template: String
    var stack: String
    var noExecute: Bool
    var executeChangeSet: String?
    var changeSetName: String?
    var capabilities: [String]
    var tags: [String]
    var roleARN: String?
    var s3Bucket: String?
    var s3Prefix: String
    var backup: Bool
    var revision: String?
    var timeout: Double
    var cancelOnInterrupt: Bool
    var failOn: Impact
    var concurrency: Int
    var parameters: ParameterOptions
    var changes: ChangeOptions
    var aws: AWSOptions
    var output: OutputOptions

    var reportOptions: OutputOptions? { output }

    init(_ arguments: ParsedArguments) throws(UsageError) {
        template = arguments.required(Self.templateArgument)
        stack = try arguments.value(Self.stackOption)
        noExecute = arguments[Self.noExecuteOption]
        executeChangeSet = try arguments.value(Self.executeOption)
        changeSetName = try arguments.value(Self.changeSetNameOption)
        capabilities = try arguments.values(Self.capabilitiesOption)
        tags = try arguments.values(Self.tagsOption)
        roleARN = try arguments.value(Self.roleOption)
        s3Bucket = try arguments.value(Self.bucketOption)
        s3Prefix = try arguments.value(Self.prefixOption) ?? "ddbstack"
        backup = arguments[Self.backupOption]
        revision = try arguments.value(Self.revisionOption)
        timeout = try CommonOptions.timeout(arguments, Self.timeoutOption)
        cancelOnInterrupt = arguments[Self.cancelOption]
        failOn = try CommonOptions.impactThreshold(arguments)
        concurrency = try CommonOptions.concurrency(arguments)
        parameters = try ParameterOptions(arguments)
        changes = try ChangeOptions(arguments)
        aws = try AWSOptions(arguments)
        output = try OutputOptions(arguments, formats: [.text, .json])
        if noExecute && executeChangeSet != nil {
            throw UsageError("--no-execute and --execute exclude each other")
        }
        for tag in tags where !tag.contains("=") || tag.hasPrefix("=") {
            throw UsageError("--tags takes KEY=VALUE, found '\(tag)'")
        }
        if let name = changeSetName ?? executeChangeSet, !Self.validChangeSetName(name) {
            throw UsageError(
                "'\(name)' is not a change set name: a letter, then letters, digits and hyphens, at most 128")
        }
    }

    func run() async throws {
        let started = WaitCommand.monotonic()
        let access = StackAccess(aws: try aws.resolve(verbose: output.verbose))
        let source = try FileIO.read(template)
        let sha = Digest.hex(try Digest.sha256(source))
        let revision = self.revision ?? Console.environment("GITHUB_SHA").flatMap { $0.isEmpty ? nil : $0 }
        var planRequest = PlanRequest(
            stackName: stack, region: access.region, source: source, file: template,
            given: try parameters.values(), now: SystemClock.now())
        planRequest.allowances = changes.allow
        planRequest.threshold = failOn
        let plan = try await access.plan(planRequest, concurrency: concurrency)
        try refuseLintErrors(plan, source: source)
        try changes.write(plan.review)
        let report = ChangeReport(
            review: plan.review,
            baseFile: "stack '\(stack)'" + (plan.deployed != nil ? " (deployed)" : " (not created)"),
            headFile: template, notes: plan.notes)
        if output.format == .text {
            Console.out(changes.render(report, format: .text, color: output.useColor, command: "deploy"))
        }
        let rerun = Self.rerunCommand(CommandLine.arguments)
        guard !plan.review.failed else {
            Console.error(DeployText.refusal(plan.review.failing).joined(separator: "\n"))
            if output.format == .json {
                try output.emit(
                    DeployText.json(
                        DeployOutcome(result: .guardRefused), stack: stack, command: rerun,
                        calls: access.aws.context.calls.total,
                        revision: revision, templateSHA256: sha, plan: report))
            }
            throw ExitRequest(ExitStatus.findings)
        }
        let request = try deployRequest(plan, source: source, sha: sha, revision: revision)
        var outcome = await execute(request, access: access, started: started)
        outcome.elapsed = WaitCommand.monotonic() - started
        try render(
            outcome, command: rerun, calls: access.aws.context.calls.total, revision: request.record?.revision,
            sha: sha, plan: report)
    }

    /// Lint errors stop the deploy before anything is touched.
    private func refuseLintErrors(_ plan: StackPlan, source: [UInt8]) throws {
        let context = LintContext(resolved: plan.head, model: plan.headModel, sourceSize: source.count)
        let lint = LintReport(
            file: template, findings: Linter().lint(context), source: source)
        guard lint.failed else { return }
        Console.error(TextRenderer(color: output.useColor).render(lint))
        throw CommandFailure(
            message: "refused: \(template) has \(lint.count(.error)) lint error(s); nothing was changed",
            exitCode: ExitStatus.findings)
    }

    /// Everything the engine does, decided before it starts.
    private func deployRequest(_ plan: StackPlan, source: [UInt8], sha: String, revision: String?) throws
        -> DeployRequest
    {
        var request = DeployRequest(
            plan: plan, source: source, templateSHA256: sha, revision: revision,
            changeSetName: changeSetName ?? Self.defaultName(revision: revision, sha: sha), backup: backup)
        request.capabilities = capabilities
        request.tags = stackTags(deployed: plan.deployed)
        request.roleARN = roleARN
        request.bucket = s3Bucket
        request.keyPrefix = s3Prefix
        request.execute = !noExecute
        request.existingChangeSet = executeChangeSet
        request.cancelOnInterrupt = cancelOnInterrupt
        request.timeout = timeout
        if let large = request.oversizedStep {
            throw CommandFailure(
                file: template,
                message:
                    "\(request.steps.count > 1 ? "step \(large.number)'s template" : "the template") is \(large.body.utf8.count) bytes, over CloudFormation's \(ChangeSetPreview.inlineLimit)-byte inline limit: give --s3-bucket to upload it (nothing was changed)",
                exitCode: ExitStatus.usage)
        }
        return request
    }

    /// Runs the engine with progress on stderr; Ctrl-C stops following (and cancels with --cancel-on-interrupt).
    private func execute(_ request: DeployRequest, access: StackAccess, started: Double) async -> DeployOutcome {
        let context = access.aws.context
        let progress = Progress(format: output.format, stack: stack, started: started)
        var deployer = Deployer(
            stacks: access.cloudFormation, tables: access.tables, backups: DynamoDBClient(context: context),
            uploads: S3Client(context: context), now: WaitCommand.monotonic, clock: context.clock,
            sleep: context.sleep
        ) { progress.show($0) }
        deployer.replicaTables = access.replicaTables
        let work = Task { await deployer.run(request) }
        let signals = Console.cancel(work, on: [SIGINT, SIGTERM])
        defer { for signal in signals { signal.cancel() } }
        let outcome = await work.value
        progress.finish()
        return outcome
    }

    private func render(
        _ outcome: DeployOutcome, command: String, calls: Int, revision: String?, sha: String, plan: ChangeReport
    ) throws {
        let summary = DeployText.summary(outcome, stack: stack, command: command, calls: calls)
        let code = DeployText.exitCode(outcome)
        if output.format == .json {
            try output.emit(
                DeployText.json(
                    outcome, stack: stack, command: command, calls: calls, revision: revision, templateSHA256: sha,
                    plan: plan))
            if code != 0 { Console.error(summary) }
        } else {
            try output.emit(summary + "\n")
        }
        if code != 0 { throw ExitRequest(code) }
    }

    /// The stack's tags after the deploy, or nil to leave them as they are: with `--tags`, its current ones (an
    /// older ddbstack's `ddbstack:` tags among them, untouched) and the given ones. The revision is not a tag: see
    /// `RevisionRecord`.
    func stackTags(deployed: DeployedStack?) -> [(String, String)]? {
        guard !tags.isEmpty else { return nil }
        var result = deployed?.stack.tags.filter { !$0.key.lowercased().hasPrefix("aws:") } ?? [:]
        for tag in tags {
            let parts = tag.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            result[String(parts[0])] = String(parts[1])
        }
        return result.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// `ddbstack-<revision>` or `ddbstack-<first 16 of the template's SHA-256>`: the same input, the same name.
    static func defaultName(revision: String?, sha: String) -> String {
        let cleaned = (revision ?? "").map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" }
        let part = revision.map { _ in String(String(cleaned).prefix(40)) } ?? String(sha.prefix(16))
        return "ddbstack-" + part
    }

    /// This command as typed, without what names or stops at one change set (`--no-execute`, `--execute NAME`):
    /// what a person runs to go on with this deploy.
    static func rerunCommand(_ arguments: [String]) -> String {
        var kept: [String] = []
        var skipNext = false
        for argument in arguments.dropFirst() {
            if skipNext {
                skipNext = false
                continue
            }
            if argument == "--execute" {
                skipNext = true
                continue
            }
            if argument == "--no-execute" || argument.hasPrefix("--execute=") { continue }
            let plain =
                !argument.isEmpty && argument.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=,@+%".contains($0) }
            kept.append(plain ? argument : "'" + argument.replacing("'", with: "'\\''") + "'")
        }
        return (["ddbstack"] + kept).joined(separator: " ")
    }

    static func validChangeSetName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter, name.count <= 128 else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }
}
