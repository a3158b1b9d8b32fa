import AWS
import Outcomes
import Synchronization
import TestSupport
import Testing

@testable import Operations

/// The waiter against the test bed, with the fault proxy faking CREATING tables, backfilling GSIs, throttling
/// and stacks in progress.
@Suite(.serialized, .enabled(if: Testbed.enabled)) struct WaitEmulatorTests {
    static func monotonic() -> Double { Double(SystemClock.milliseconds()) / 1000 }

    final class Events: Sendable {
        let list = Mutex<[WaitEvent]>([])
        var tables: [String] {
            list.withLock {
                $0.compactMap {
                    if case .table(let state) = $0 {
                        return state.status.map { "\(state.name) \($0) \(state.building.count)" } ?? "\(state.name) -"
                    }
                    return nil
                }
            }
        }
        var throttled: Int {
            list.withLock {
                $0.filter {
                    if case .throttled = $0 { return true }
                    return false
                }.count
            }
        }
    }

    static func waiter(_ events: Events, timeout: Double = 20, attempts: Int = 5) throws -> ReadinessWaiter {
        let context = try Testbed.context(Testbed.proxy, maximumAttempts: attempts)
        var waiter = ReadinessWaiter(
            tables: LiveTableReader(client: DynamoDBClient(context: context)), timeout: timeout, now: monotonic,
            sleep: SystemClock.sleep
        ) { event in events.list.withLock { $0.append(event) } }
        waiter.policy.initial = 0.1
        waiter.policy.steady = 0.3
        return waiter
    }

    static func table() async throws -> String {
        let name = Testbed.unique("wait")
        try await Testbed.createTable(DynamoDBClient(context: try Testbed.context(Testbed.endpoint)), name)
        return name
    }

    @Test func endsAsSoonAsTheTableAndItsIndexesAreReady() async throws {
        let name = try await Self.table()
        try await Testbed.rules(
            """
            [{"service": "dynamodb", "operation": "DescribeTable", "table": "\(name)", "kind": "tableStatus", "status": "CREATING", "count": 2},
             {"service": "dynamodb", "operation": "DescribeTable", "table": "\(name)", "kind": "backfilling", "index": "byEmail", "count": 2}]
            """)
        let events = Events()
        let outcome = try await Self.waiter(events).waitForTables([name], started: Self.monotonic())
        #expect(outcome.result == .ready)
        #expect(events.tables == ["\(name) CREATING 0", "\(name) ACTIVE 1", "\(name) ACTIVE 0"])
        #expect(outcome.polls == 5)
    }

    /// The real reader, counting DescribeTable calls per table.
    final class Counting: TableReading {
        let reader: LiveTableReader
        let counts = Mutex<[String: Int]>([:])

        init(reader: LiveTableReader) { self.reader = reader }

        func read(_ name: String, logicalId: String?, extras: LiveTableReader.Extras) async throws -> LiveTable? {
            try await reader.read(name, logicalId: logicalId, extras: extras)
        }

        func describe(_ name: String) async throws -> LiveTable? {
            counts.withLock { $0[name, default: 0] += 1 }
            return try await reader.describe(name)
        }

        func listTables() async throws -> [String] { try await reader.listTables() }
    }

    /// A global table with a GSI: ready only once the replica's own GSI in eu-west-1 is built (the proxy holds it
    /// backfilling on the requests signed for eu-west-1), the home table and the replica's status being ACTIVE
    /// throughout.
    @Test func aGlobalTableWaitsForItsReplicasGSIs() async throws {
        let name = Testbed.unique("wait-global")
        let body = Testbed.globalTable(
            name, replicas: ["{Region: us-east-1}", "{Region: eu-west-1}"], indexes: ["byE"])
        #expect(try await Testbed.deploy(name, body: body) == "CREATE_COMPLETE")
        try await Testbed.rules(
            """
            [{"service": "dynamodb", "operation": "DescribeTable", "table": "\(name)", "requestRegion": "eu-west-1", "kind": "backfilling", "index": "byE", "count": 2}]
            """)
        let events = Events()
        var waiter = try Self.waiter(events)
        let context = try Testbed.context(Testbed.proxy)
        waiter.replicaTables = { region in LiveTableReader(client: DynamoDBClient(context: context.region(region))) }
        let outcome = await waiter.waitForTables([name], started: Self.monotonic())
        #expect(outcome.result == .ready)
        let replicaStates = events.list.withLock {
            $0.compactMap { event -> String? in
                guard case .table(let state) = event else { return nil }
                return state.buildingReplicas.map { "\($0.region) \($0.building.map(\.name))" }.joined()
            }
        }
        #expect(replicaStates.first == "eu-west-1 [\"byE\"]", "\(replicaStates)")
        #expect(replicaStates.last == "")
    }

    @Test func aTableSeenReadyIsNotReadAgain() async throws {
        let building = try await Self.table()
        let ready = try await Self.table()
        try await Testbed.rules(
            #"[{"service": "dynamodb", "operation": "DescribeTable", "table": "\#(building)", "kind": "tableStatus", "status": "UPDATING", "count": 3}]"#
        )
        let counting = Counting(
            reader: LiveTableReader(client: DynamoDBClient(context: try Testbed.context(Testbed.proxy))))
        var waiter = try Self.waiter(Events())
        waiter.tables = counting
        let outcome = await waiter.waitForTables([building, ready], started: Self.monotonic())
        #expect(outcome.result == .ready)
        #expect(counting.counts.withLock { $0 } == [building: 4, ready: 1])
    }

    @Test func givesUpAtTheTimeoutNamingWhatIsStillBuilding() async throws {
        let name = try await Self.table()
        try await Testbed.rules(
            #"[{"service": "dynamodb", "operation": "DescribeTable", "table": "\#(name)", "kind": "backfilling", "index": "byEmail", "seconds": 30}]"#
        )
        let outcome = try await Self.waiter(Events(), timeout: 1).waitForTables([name], started: Self.monotonic())
        #expect(outcome.result == .timedOut)
        #expect(outcome.tables.first?.building.map(\.name) == ["byEmail"])
    }

    @Test func throttlingSlowsThePollingDownWithoutEndingTheWait() async throws {
        let name = try await Self.table()
        try await Testbed.rules(
            #"[{"service": "dynamodb", "operation": "DescribeTable", "table": "\#(name)", "kind": "throttle", "count": 2}]"#
        )
        let events = Events()
        let outcome = try await Self.waiter(events, attempts: 1).waitForTables([name], started: Self.monotonic())
        #expect(outcome.result == .ready)
        #expect(events.throttled == 2)
    }

    @Test func aPassingServerErrorOrDroppedConnectionKeepsTheWaitGoing() async throws {
        let name = try await Self.table()
        try await Testbed.rules(
            #"[{"service": "dynamodb", "operation": "DescribeTable", "table": "\#(name)", "kind": "http500", "count": 2}, {"service": "dynamodb", "operation": "DescribeTable", "table": "\#(name)", "kind": "drop", "count": 1}]"#
        )
        let events = Events()
        let outcome = try await Self.waiter(events, attempts: 1).waitForTables([name], started: Self.monotonic())
        #expect(outcome.result == .ready)
        // libcurl itself resends a request whose reused connection was dropped, so the drop may not reach the waiter.
        #expect(
            events.list.withLock {
                $0.filter {
                    if case .unreachable = $0 { return true }
                    return false
                }.count
            } >= 2)
    }

    @Test func failuresThatLastPastTheToleranceEndTheWaitWithTheError() async throws {
        let name = try await Self.table()
        try await Testbed.rules(
            #"[{"service": "dynamodb", "operation": "DescribeTable", "table": "\#(name)", "kind": "http500", "seconds": 30}]"#
        )
        var waiter = try Self.waiter(Events(), attempts: 1)
        waiter.policy.errorTolerance = 0.5
        let outcome = await waiter.waitForTables([name], started: Self.monotonic())
        guard case .failed(let message) = outcome.result else {
            Issue.record("expected a failure, got \(outcome.result)")
            return
        }
        #expect(message.contains(name))
        #expect(message.contains("500"))
    }

    @Test func aCancelledWaitReportsWhereItStands() async throws {
        let name = try await Self.table()
        try await Testbed.rules(
            #"[{"service": "dynamodb", "operation": "DescribeTable", "table": "\#(name)", "kind": "tableStatus", "status": "UPDATING", "seconds": 30}]"#
        )
        let waiter = try Self.waiter(Events())
        let task = Task { await waiter.waitForTables([name], started: Self.monotonic()) }
        try await Task.sleep(nanoseconds: 400_000_000)
        task.cancel()
        let outcome = await task.value
        #expect(outcome.result == .interrupted)
        #expect(outcome.tables.first?.status == "UPDATING")
    }

    @Test func aTableThatNeverAppearsIsMissingAfterTheGrace() async throws {
        var waiter = try Self.waiter(Events())
        waiter.appearanceGrace = 0.5
        let outcome = await waiter.waitForTables([Testbed.unique("never")], started: Self.monotonic())
        guard case .missing = outcome.result else {
            Issue.record("expected missing, got \(outcome.result)")
            return
        }
    }

    @Test func aStackInProgressIsFollowedToItsEnd() async throws {
        let stack = Testbed.unique("wait-stack")
        #expect(
            try await Testbed.deploy(stack, body: DriftEmulatorTests.body, parameters: ["Env": "qa"])
                == "CREATE_COMPLETE")
        try await Testbed.rules(
            #"[{"service": "cloudformation", "operation": "DescribeStacks", "stack": "\#(stack)", "kind": "stackStatus", "status": "UPDATE_IN_PROGRESS", "count": 2}]"#
        )
        let events = Events()
        let final = try await Self.waiter(events).waitForStack(
            stack, stacks: CloudFormationClient(context: try Testbed.context(Testbed.proxy)),
            started: Self.monotonic())
        #expect(final?.status == "CREATE_COMPLETE")
        let statuses = events.list.withLock {
            $0.compactMap {
                if case .stack(_, let status, _) = $0 { return status }
                return nil
            }
        }
        #expect(statuses == ["UPDATE_IN_PROGRESS", "CREATE_COMPLETE"])
    }
}
