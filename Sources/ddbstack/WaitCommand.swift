import AWS
import Arguments
import Dispatch
import Glibc
import Operations
import Outcomes
import Report

/// `ddbstack wait --stack NAME | --table NAME…`: until every table is ACTIVE and every GSI ACTIVE and done
/// backfilling, for pipelines that deploy some other way.
struct WaitCommand: Command {
    static let stackOption = Option<String>("stack", help: "Wait for this stack to finish, then for all its tables.")
    static let tableOption = Repeated<String>("table", help: "A table to wait for. Repeatable.")
    static let timeoutOption = Option<Double>(
        "timeout", help: "Give up after this many seconds (exit 3).", default: "3600")
    static let spec = CommandSpec(
        "wait", abstract: "Wait until every table and GSI is ACTIVE and no index is backfilling.",
        options: [stackOption.spec, tableOption.spec, timeoutOption.spec] + AWSOptions.options + OutputOptions.options)

    var stack: String?
    var table: [String]
    var timeout: Double
    var aws: AWSOptions
    var output: OutputOptions

    var reportOptions: OutputOptions? { output }

    init(_ arguments: ParsedArguments) throws(UsageError) {
        stack = try arguments.value(Self.stackOption)
        table = try arguments.values(Self.tableOption)
        timeout = try CommonOptions.timeout(arguments, Self.timeoutOption)
        aws = try AWSOptions(arguments)
        output = try OutputOptions(arguments, formats: [.text, .json])
        if (stack == nil) == table.isEmpty {
            throw UsageError("give --stack NAME or --table NAME (repeatable), not both")
        }
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
            throw ExitRequest(ExitStatus.failed)
        }
    }

    static func monotonic() -> Double { SystemClock.monotonic() }

}
