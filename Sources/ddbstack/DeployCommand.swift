import ArgumentParser
import Dispatch
import Glibc
import Template
import Schema
import Lint
import Changes
import Report
import AWS
import Operations

/// `ddbstack deploy TEMPLATE --stack NAME`: lint, plan against what is deployed, refuse what would lose data or
/// what CloudFormation will reject, then change sets (one per step of a staged plan), execution with the stack's
/// events as they come, and the wait until every table and GSI is ready.
struct DeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Plan, guard, create and execute change sets, and wait until every table and GSI is ACTIVE and built.")

    @Argument(help: "The template to deploy.")
    var template: String

    @Option(help: "The stack to create or update.")
    var stack: String

    @Flag(name: .customLong("no-execute"), help: "Create the change set, show it, and stop (execute it later with --execute).")
    var noExecute = false

    @Option(name: .customLong("execute"), help: "Execute this change set (made with --no-execute) instead of creating one.")
    var executeChangeSet: String?

    @Option(name: .customLong("change-set-name"), help: "The change set's name (default ddbstack-<revision>, or ddbstack-<template SHA-256>).")
    var changeSetName: String?

    @Option(help: "A capability the template needs (CAPABILITY_IAM, …). Repeatable.")
    var capabilities: [String] = []

    @Option(name: .customLong("tags"), help: "A stack tag, KEY=VALUE; CloudFormation copies stack tags onto every table. Repeatable.")
    var tags: [String] = []

    @Option(name: .customLong("role-arn"), help: "The service role CloudFormation assumes for the change.")
    var roleARN: String?

    @Option(name: .customLong("s3-bucket"), help: "Upload templates over 51,200 bytes to this bucket and pass them as TemplateURL.")
    var s3Bucket: String?

    @Option(name: .customLong("s3-prefix"), help: "The key prefix of uploaded templates.")
    var s3Prefix = "ddbstack"

    @Flag(help: "Take an on-demand backup (CreateBackup) of every table about to be replaced or removed.")
    var backup = false

    @Option(help: "The revision deployed (a commit), recorded on the stack as ddbstack:revision (default GITHUB_SHA).")
    var revision: String?

    @Option(help: "Give up after this many seconds, waits included (exit 3).")
    var timeout: Double = 3600

    @Flag(name: .customLong("cancel-on-interrupt"), help: "On Ctrl-C or SIGTERM during an update, cancel it (CancelUpdateStack).")
    var cancelOnInterrupt = false

    @Option(name: .customLong("fail-on"), help: "The lowest impact refused unless acknowledged: none, inPlace, slow, breaking (default), replacement, dataLoss.")
    var failOn: Impact = .breaking

    @Option(help: "Tables read at the same time while planning.")
    var concurrency = 8

    @OptionGroup var parameters: ParameterOptions
    @OptionGroup var changes: ChangeOptions
    @OptionGroup var aws: AWSOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        try output.require([.text, .json], for: "deploy")
        if noExecute && executeChangeSet != nil { throw ValidationError("--no-execute and --execute exclude each other") }
        if timeout <= 0 { throw ValidationError("--timeout takes a positive number of seconds") }
        if !(1...64).contains(concurrency) { throw ValidationError("--concurrency takes 1 to 64") }
        for tag in tags where !tag.contains("=") || tag.hasPrefix("=") { throw ValidationError("--tags takes KEY=VALUE, found '\(tag)'") }
        if let name = changeSetName ?? executeChangeSet, !Self.validChangeSetName(name) {
            throw ValidationError("'\(name)' is not a change set name: a letter, then letters, digits and hyphens, at most 128")
        }
    }

    func run() async throws {
        let started = WaitCommand.monotonic()
        let access = StackAccess(aws: try aws.resolve(verbose: output.verbose))
        let overrides = try parameters.values()
        let source = try FileIO.read(template)
        let sha = Digest.hex(Digest.sha256(source))
        let revision = self.revision ?? Console.environment("GITHUB_SHA").flatMap { $0.isEmpty ? nil : $0 }
        let progress = Progress(format: output.format, stack: stack, started: started)

        // 1. Lint, and plan against the deployed stack.
        let deployed = try await DeployedStack.read(stack, from: access.cloudFormation)
        let exists = deployed.map { $0.stack.status != "REVIEW_IN_PROGRESS" } ?? false
        let options = deployed?.resolveOptions(region: access.region, overrides: overrides)
            ?? ResolveOptions(parameters: overrides, region: access.region, stackName: stack)
        let head = try loadTemplate(source, name: template, options: options)
        let lint = LintReport(file: template, findings: Linter().lint(head), source: String(decoding: source, as: UTF8.self))
        if lint.failed {
            Console.error(TextRenderer(color: output.useColor).render(lint))
            throw CommandFailure(message: "refused: \(template) has \(lint.count(.error)) lint error(s); nothing was changed", exitCode: ExitStatus.findings)
        }
        let base = exists ? try await access.template(nil, stack: deployed!, overrides: overrides).0.tables : []
        let review = try await StackPlanner(tables: access.tables, concurrency: concurrency)
            .plan(stack: exists ? deployed : nil, base: base, head: head.tables, headTemplate: head.template,
                  allowances: changes.allow, threshold: failOn, now: SystemClock.now())
        try changes.write(review)
        let notes = [exists ? "deployed: \(deployed!.stack.status)\(PlanCommand.revision(deployed!))" : "the stack does not exist yet: every table is created"]
        let report = ChangeReport(review: review, baseFile: "stack '\(stack)'" + (exists ? " (deployed)" : " (not created)"), headFile: template, notes: notes)
        if output.format == .text { Console.out(changes.render(report, format: .text, color: output.useColor, command: "deploy")) }

        // 2. The guard: nothing is touched when a change is rejected or not acknowledged.
        if review.failed {
            let reasons = Self.refusal(review)
            if output.format == .json {
                try output.emit(DeployText.json(DeployOutcome(result: .guardRefused), stack: stack, command: "", calls: access.aws.context.calls.total,
                                                revision: revision, templateSHA256: sha, plan: report))
            }
            throw CommandFailure(message: reasons, exitCode: ExitStatus.findings)
        }

        // 3. The change sets, decided before anything starts.
        let steps = DeployRequest.steps(review, source: source)
        var request = DeployRequest(stackName: stack, creating: !exists, steps: steps,
                                    changeSetName: changeSetName ?? Self.defaultName(revision: revision, sha: sha))
        request.parameters = StackAccess.changeSetParameters(head.template, overrides: overrides, deployed: exists ? deployed : nil)
        request.capabilities = capabilities
        request.tags = stackTags(deployed: exists ? deployed : nil, sha: sha, revision: revision)
        request.roleARN = roleARN
        request.bucket = s3Bucket
        request.keyPrefix = s3Prefix
        request.execute = !noExecute
        request.existingChangeSet = executeChangeSet
        request.cancelOnInterrupt = cancelOnInterrupt
        request.timeout = timeout
        let names = deployed?.tableNames ?? [:]
        if backup {
            request.backups = review.changes.filter { [.replace, .remove].contains($0.action) }
                .compactMap { change in names[change.logicalId].map { .init(logicalId: change.logicalId, tableName: $0) } }
                .reduce(into: []) { unique, target in if !unique.contains(target) { unique.append(target) } }
        }
        for table in base { if let name = names[table.logicalId] { request.indexesBefore[name] = Set(table.globalSecondaryIndexes.compactMap(\.name.value)) } }
        if let large = request.oversizedStep {
            throw CommandFailure(message: "\(template): error: \(steps.count > 1 ? "step \(large.number)'s template" : "the template") is \(large.body.utf8.count) bytes, over CloudFormation's \(ChangeSetPreview.inlineLimit)-byte inline limit: give --s3-bucket to upload it (nothing was changed)",
                                 exitCode: ExitStatus.usage)
        }

        // 4–8. Execute step by step, follow, wait; Ctrl-C stops following (and cancels with --cancel-on-interrupt).
        let context = access.aws.context
        let deployer = Deployer(stacks: access.cloudFormation, tables: access.tables, backups: DynamoDBClient(context: context),
                                uploads: S3Client(context: context), now: WaitCommand.monotonic, clock: context.clock,
                                sleep: context.sleep) { progress.show($0) }
        let work = Task { await deployer.run(request) }
        let signals = Console.cancel(work, on: [SIGINT, SIGTERM])
        defer { signals.forEach { $0.cancel() } }
        var outcome = await work.value
        outcome.elapsed = WaitCommand.monotonic() - started
        progress.finish()
        let command = "ddbstack deploy \(template) --stack \(stack)"
        let calls = context.calls.total
        let summary = DeployText.summary(outcome, stack: stack, command: command, calls: calls)
        if output.format == .json {
            try output.emit(DeployText.json(outcome, stack: stack, command: command, calls: calls, revision: revision, templateSHA256: sha, plan: report))
            if DeployText.exitCode(outcome.result) != 0 { Console.error(summary) }
        } else {
            try output.emit(summary + "\n")
        }
        let code = DeployText.exitCode(outcome.result)
        if code != 0 { throw ExitCode(code) }
    }

    /// The stack's tags after the deploy: its current ones, `--tags`, and what ddbstack records — the
    /// template's SHA-256 and the revision. An unchanged template keeps the revision that deployed it, so a
    /// deploy of a new commit that changes nothing stays "no changes".
    func stackTags(deployed: DeployedStack?, sha: String, revision: String?) -> [(String, String)] {
        var result = deployed?.stack.tags.filter { !$0.key.lowercased().hasPrefix("aws:") } ?? [:]
        for tag in tags {
            let parts = tag.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            result[String(parts[0])] = String(parts[1])
        }
        let unchanged = deployed?.stack.tags["ddbstack:template-sha256"] == sha
        result["ddbstack:template-sha256"] = sha
        if unchanged, let previous = deployed?.stack.tags["ddbstack:revision"] {
            result["ddbstack:revision"] = previous
        } else if let revision {
            result["ddbstack:revision"] = revision
        } else {
            result["ddbstack:revision"] = nil
        }
        return result.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// `ddbstack-<revision>` or `ddbstack-<first 16 of the template's SHA-256>`: the same input, the same name.
    static func defaultName(revision: String?, sha: String) -> String {
        let cleaned = (revision ?? "").map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" }
        let part = revision.map { _ in String(String(cleaned).prefix(40)) } ?? String(sha.prefix(16))
        return "ddbstack-" + part
    }

    static func validChangeSetName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter, name.count <= 128 else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }

    /// Why the guard stopped, change by change, and what to do about each.
    static func refusal(_ review: Review) -> String {
        var lines = ["refused: nothing was changed"]
        for change in review.failing {
            let location = change.range == .none ? change.logicalId : "\(change.logicalId) (line \(change.range.start.line))"
            if change.impact == .rejected {
                lines.append("  \(location): rejected: \(change.message)" + (change.caution.map { " — \($0)" } ?? ""))
            } else {
                lines.append("  \(location): \(change.impact.rawValue), not acknowledged: \(change.message)")
                lines.append("    after review: --allow \(change.impact.rawValue):\(change.logicalId), or Metadata 'ddbstack: {allow: [\(change.impact.rawValue)]}' on the resource")
            }
        }
        return lines.joined(separator: "\n")
    }

}
