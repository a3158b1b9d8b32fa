import AWS
import ArgumentParser
import Dispatch
import Glibc
import Operations
import Outcomes
import Report

/// `ddbstack wait --stack NAME | --table NAME…`: until every table is ACTIVE and every GSI ACTIVE and done
/// backfilling, for pipelines that deploy some other way.
struct WaitCommand: AsyncParsableCommand, ReportsFailures {
    static let configuration = CommandConfiguration(
        commandName: "wait", abstract: "Wait until every table and GSI is ACTIVE and no index is backfilling.")

    @Option(help: "Wait for this stack to finish, then for all its tables.")
    var stack: String?

    @Option(help: "A table to wait for. Repeatable.")
    var table: [String] = []

    @Option(help: "Give up after this many seconds (exit 3).")
    var timeout: Double = 3600

    @OptionGroup var aws: AWSOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if (stack == nil) == table.isEmpty {
            throw ValidationError("give --stack NAME or --table NAME (repeatable), not both")
        }
        if timeout <= 0 { throw ValidationError("--timeout takes a positive number of seconds") }
        try output.require([.text, .json], for: "wait")
    }

    func run() async throws {
        let access = StackAccess(aws: try aws.resolve(verbose: output.verbose))
        let started = Self.monotonic()
        let text = output.format == .text
        var waiter = ReadinessWaiter(
            tables: access.tables, timeout: timeout, now: Self.monotonic, sleep: access.aws.context.sleep
        ) { event in
            if text { Console.out(WaitText.line(event, at: Self.monotonic() - started)) }
        }
        waiter.replicaTables = access.replicaTables
        if let stack { _ = try await access.requireStack(stack) }
        let work = Task { () async throws -> WaitOutcome in
            guard let stack else { return await waiter.waitForTables(table, started: started) }
            return try await waiter.waitForStackAndTables(stack, stacks: access.cloudFormation, started: started)
        }
        let signals = Console.cancel(work, on: [SIGINT, SIGTERM])
        defer { for signal in signals { signal.cancel() } }
        let outcome = try await work.value
        let summary = WaitText.summary(outcome, stack: stack, calls: access.aws.context.calls.total)
        try output.emit(
            text ? summary + "\n" : WaitText.json(outcome, stack: stack, calls: access.aws.context.calls.total))
        if outcome.result != .ready {
            if !text { Console.error(summary) }
            throw ExitCode(ExitStatus.failed)
        }
    }

    static func monotonic() -> Double { SystemClock.monotonic() }

}
