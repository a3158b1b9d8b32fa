import AWS
import Outcomes
import Schema
import StackModel

/// How often to look: quickly at first, then steadily, slower while AWS throttles, back to quick when
/// something changes. The steady interval bounds both the delay before readiness is seen (half of it on
/// average) and the cost (60 / steady DescribeTable calls per table per minute).
public struct PollPolicy: Sendable {
    public var initial = 0.5
    public var steady = 2.0
    public var throttledCap = 20.0
    /// A read that fails for a passing reason (throttling, a dropped connection, a 5xx) after the client's own
    /// retries is tried again, backing off; only failures that last this many seconds end the operation.
    public var errorTolerance = 60.0

    public init() {}

    func next(after interval: Double, changed: Bool, throttled: Bool) -> Double {
        if throttled { return min(max(interval * 2, steady), throttledCap) }
        if changed { return initial }
        return min(interval * 1.5, steady)
    }

    /// How long to sleep before the next look: `interval`, or what is left before `timeout` when that is less;
    /// nil once the time is up — so a timeout fires at the time given, never before it.
    func pause(_ interval: Double, elapsed: Double, timeout: Double) -> Double? {
        let remaining = timeout - elapsed
        return remaining > 0 ? min(interval, remaining) : nil
    }

    /// `body`, tried again while it fails for a passing reason, backing off as a throttled poll does, until the
    /// failures have lasted `errorTolerance` seconds: what `wait` rides out, `drift` and `plan` ride out too.
    func persisting<T: Sendable>(
        now: @Sendable () -> Double, sleep: @Sendable (Double) async -> Void,
        _ body: () async throws -> T
    ) async throws -> T {
        var interval = initial
        let started = now()
        while true {
            do {
                return try await body()
            } catch let error as AWSError
                where error.isTransient && now() - started < errorTolerance && !Task.isCancelled
            {
                interval = next(after: interval, changed: false, throttled: true)
                await sleep(min(interval, max(0.05, errorTolerance - (now() - started))))
            }
        }
    }
}

/// `ddbstack wait`: until every table is ACTIVE and every GSI is ACTIVE and done backfilling (FACTS.md §3) —
/// which CloudFormation itself does not wait for. Emits events; never prints.
public struct ReadinessWaiter: Sendable {
    public var tables: any TableReading
    public var policy = PollPolicy()
    /// Seconds.
    public var timeout: Double
    /// A table DescribeTable does not know yet may be one just created (FACTS.md §3); after this long it is missing.
    public var appearanceGrace = 30.0
    /// Monotonic seconds.
    public var now: @Sendable () -> Double
    public var sleep: @Sendable (Double) async -> Void
    public var emit: @Sendable (WaitEvent) -> Void
    /// A reader of tables in another region: given, a global table is ready only when every replica's own GSIs are
    /// built as well.
    public var replicaTables: (@Sendable (String) -> any TableReading)?

    public init(
        tables: any TableReading, timeout: Double, now: @escaping @Sendable () -> Double,
        sleep: @escaping @Sendable (Double) async -> Void, emit: @escaping @Sendable (WaitEvent) -> Void
    ) {
        self.tables = tables
        self.timeout = timeout
        self.now = now
        self.sleep = sleep
        self.emit = emit
    }

    /// `ddbstack wait --stack`: the stack until it settles, then its tables. A failed end carries its reason — the
    /// stack's, or the first failure among its latest operation's events.
    public func waitForStackAndTables(_ name: String, stacks: any StackReading, started: Double) async throws
        -> WaitOutcome
    {
        guard let final = try await waitForStack(name, stacks: stacks, started: started) else {
            return WaitOutcome(
                result: Task.isCancelled ? .interrupted : .timedOut, tables: [], elapsed: now() - started, polls: 0)
        }
        guard final.succeeded else {
            var reason = final.statusReason
            if reason == nil || reason?.isEmpty == true {
                let events = StackEvent.latestOperation(try await stacks.describeStackEvents(name), stack: name)
                reason = StackEvent.rootCause(of: events, stack: name).map {
                    "\($0.logicalId) \($0.status): \($0.reason ?? "no reason given")"
                }
            }
            return WaitOutcome(
                result: .stackFailed(status: final.status, reason: reason), tables: [], elapsed: now() - started,
                polls: 0)
        }
        let names = try await DeployedStack.read(name, from: stacks)?.tableNames.values.sorted() ?? []
        return await waitForTables(names, started: started)
    }

    /// Polls the stack until it leaves `*_IN_PROGRESS`; the final stack, or nil on timeout or interrupt.
    public func waitForStack(_ name: String, stacks: any StackReading, started: Double) async throws
        -> CloudFormationClient.Stack?
    {
        var interval = policy.initial
        var last: String?
        while true {
            let stack = try await stacks.describeStacks(name).first
            guard let stack else {
                throw AWSError(
                    service: "CloudFormation", operation: "DescribeStacks", code: "ValidationError",
                    message: "Stack with id \(name) does not exist")
            }
            if stack.status != last { emit(.stack(name: name, status: stack.status, reason: stack.statusReason)) }
            if !stack.status.hasSuffix("_IN_PROGRESS") { return stack }
            interval = policy.next(after: interval, changed: stack.status != last, throttled: false)
            last = stack.status
            guard let pause = policy.pause(interval, elapsed: now() - started, timeout: timeout), !Task.isCancelled
            else { return nil }
            await sleep(pause)
            if Task.isCancelled { return nil }
        }
    }

    /// Polls the tables (one DescribeTable each per round, side by side, none once it is ready) until all are ready.
    public func waitForTables(_ names: [String], started: Double) async -> WaitOutcome {
        var states: [String: TableState] = [:]
        var interval = policy.initial
        var polls = 0
        var failingSince: Double?
        while true {
            polls += 1
            var changed = false
            var throttled = false
            var failure: String?
            // A table seen ready stays ready (nothing is changing it any more): only the others are read again.
            for (name, result) in await describeAll(names.filter { !(states[$0]?.isReady ?? false) }) {
                switch result {
                case .success(let live):
                    var state = TableState(
                        name: name, status: live?.status,
                        building: live?.indexes.filter { $0.status != "ACTIVE" || $0.backfilling } ?? [],
                        indexes: live?.indexes ?? [], since: now() - started)
                    state.buildingReplicas = live?.replicas.filter { !$0.isReady } ?? []
                    if !state.sameState(as: states[name]) {
                        states[name] = state
                        changed = true
                        emit(.table(state))
                    }
                case .failure(let error):
                    // Throttling slows down; a passing failure keeps the last known state for a while; anything
                    // else (access denied, a validation error) ends the wait at once.
                    guard let aws = error as? AWSError, aws.isTransient,
                        now() - (failingSince ?? now()) <= policy.errorTolerance
                    else {
                        return WaitOutcome(
                            result: .failed("\(name): \(error)"), tables: ordered(names, states),
                            elapsed: now() - started, polls: polls)
                    }
                    failingSince = failingSince ?? now()
                    throttled = true
                    if !RetryPolicy.throttling.contains(aws.code) { failure = "\(aws.code): \(aws.message)" }
                }
            }
            if !throttled { failingSince = nil }
            let current = ordered(names, states)
            if current.count == names.count, current.allSatisfy(\.isReady) {
                return WaitOutcome(result: .ready, tables: current, elapsed: now() - started, polls: polls)
            }
            if let absent = current.first(where: { $0.status == nil && now() - started - $0.since > appearanceGrace }) {
                return WaitOutcome(
                    result: .missing(absent.name), tables: current, elapsed: now() - started, polls: polls)
            }
            interval = policy.next(after: interval, changed: changed, throttled: throttled)
            if let failure {
                emit(.unreachable(interval: interval, error: failure))
            } else if throttled {
                emit(.throttled(interval: interval))
            }
            if Task.isCancelled {
                return WaitOutcome(result: .interrupted, tables: current, elapsed: now() - started, polls: polls)
            }
            guard let pause = policy.pause(interval, elapsed: now() - started, timeout: timeout) else {
                return WaitOutcome(result: .timedOut, tables: current, elapsed: now() - started, polls: polls)
            }
            await sleep(pause)
            if Task.isCancelled {
                return WaitOutcome(result: .interrupted, tables: current, elapsed: now() - started, polls: polls)
            }
        }
    }

    private func ordered(_ names: [String], _ states: [String: TableState]) -> [TableState] {
        names.compactMap { states[$0] }
    }

    /// One table's read in a round.
    private struct Read: Sendable {
        var name: String
        var result: Result<LiveTable?, any Error>
    }

    /// DescribeTable, and for a global table whose replicas are ACTIVE, each replica's table in its own region
    /// (with `replicaTables`), whose GSIs may still be building there.
    private func describe(_ name: String) async throws -> LiveTable? {
        guard var live = try await tables.describe(name) else { return nil }
        guard let replicaTables else { return live }
        for index in live.replicas.indices where live.replicas[index].status == "ACTIVE" {
            let replica = try await replicaTables(live.replicas[index].region).describe(name)
            live.replicas[index].building = replica?.indexes.filter { $0.status != "ACTIVE" || $0.backfilling } ?? []
        }
        return live
    }

    // The group's element is a struct: with a (String, Result<…>) tuple, Swift 6.3's optimized build crashed
    // copying the child task's result (the tuple's value witness mismatched its layout).
    private func describeAll(_ names: [String]) async -> [(String, Result<LiveTable?, any Error>)] {
        await withTaskGroup(of: Read.self) { group in
            for name in names {
                group.addTask {
                    do { return Read(name: name, result: .success(try await describe(name))) } catch {
                        return Read(name: name, result: .failure(error))
                    }
                }
            }
            var results: [Read] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.name < $1.name }.map { ($0.name, $0.result) }
        }
    }
}

extension AWSError {
    /// Throttling, a dropped connection, a 5xx, a corrupted response: worth asking again later.
    public var isTransient: Bool {
        RetryPolicy.throttling.contains(code) || ["RequestFailed", "ChecksumMismatch", "RequestTimeout"].contains(code)
            || (status ?? 0) >= 500
    }
}

extension TableState {
    func sameState(as other: TableState?) -> Bool {
        status == other?.status && building == other?.building && buildingReplicas == other?.buildingReplicas
    }
}
