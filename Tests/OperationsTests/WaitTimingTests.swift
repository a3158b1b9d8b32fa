import AWS
import Outcomes
import Synchronization
import Template
import Testing

@testable import Operations

/// The waiter on a logical clock: a timeout fires at the time given, never before it.
@Suite struct WaitTimingTests {
    final class Clock: Sendable {
        let seconds = Mutex(0.0)
        func now() -> Double { seconds.withLock { $0 } }
        func sleep(_ duration: Double) { seconds.withLock { $0 += duration } }
    }

    /// A table that stays UPDATING.
    struct Busy: TableReading {
        func read(_ name: String, logicalId: String?, extras: LiveTableReader.Extras) async throws -> LiveTable? {
            try await describe(name)
        }
        func describe(_ name: String) async throws -> LiveTable? {
            let description = #"{"TableName":"t","TableStatus":"UPDATING","AttributeDefinitions":[],"KeySchema":[]}"#
            return LiveTable(description: try JSONParser.parse(Array(description.utf8)))
        }
        func listTables() async throws -> [String] { [] }
    }

    @Test(arguments: [4.0, 2.6, 0.3, 61])
    func aTimeoutFiresAtTheTimeGivenNeverBefore(timeout: Double) async {
        let clock = Clock()
        let waiter = ReadinessWaiter(
            tables: Busy(), timeout: timeout, now: { clock.now() }, sleep: { clock.sleep($0) }, emit: { _ in })
        let outcome = await waiter.waitForTables(["t"], started: 0)
        #expect(outcome.result == .timedOut)
        #expect(clock.now() >= timeout, "timed out at \(clock.now()) s of \(timeout) s")
        #expect(clock.now() < timeout + 0.001, "and not a poll later")
    }

    /// A stack stuck in UPDATE_ROLLBACK_FAILED without a status reason: the wait names the first failure of the
    /// latest operation, not the "cancelled" echoes or an earlier operation's failure.
    @Test func aFailedStackEndCarriesItsRootCause() async throws {
        let cloudFormation = DeployerTests.StandIn(DeployerTests.changeSet("Modify"))
        func event(_ id: String, _ logicalId: String, _ status: String, _ reason: String? = nil)
            -> CloudFormationClient.StackEvent
        {
            .init(
                id: id, logicalId: logicalId,
                resourceType: logicalId == "app" ? "AWS::CloudFormation::Stack" : "AWS::DynamoDB::Table",
                status: status, reason: reason)
        }
        cloudFormation.state.withLock { state in
            state.stackStatuses = ["UPDATE_ROLLBACK_FAILED"]
            state.events = [
                event("6", "app", "UPDATE_ROLLBACK_FAILED"),
                event("5", "Orders", "UPDATE_FAILED", "Resource update cancelled"),
                event(
                    "4", "Sessions", "UPDATE_FAILED",
                    "Cannot perform more than one GSI creation or deletion in a single update"),
                event("3", "app", "UPDATE_IN_PROGRESS"), event("2", "Old", "UPDATE_FAILED", "an earlier failure"),
                event("1", "app", "UPDATE_IN_PROGRESS"),
            ]
        }
        let clock = Clock()
        let waiter = ReadinessWaiter(
            tables: Busy(), timeout: 10, now: { clock.now() }, sleep: { clock.sleep($0) }, emit: { _ in })
        let outcome = try await waiter.waitForStackAndTables("app", stacks: cloudFormation, started: 0)
        #expect(
            outcome.result
                == .stackFailed(
                    status: "UPDATE_ROLLBACK_FAILED",
                    reason:
                        "Sessions UPDATE_FAILED: Cannot perform more than one GSI creation or deletion in a single update"
                ))
        #expect(
            CloudFormationClient.Stack.advice(status: "UPDATE_ROLLBACK_FAILED", stack: "app")?.contains(
                "continue-update-rollback --stack-name app") == true)
    }

    /// A global table whose new replica is still CREATING: ACTIVE itself, but not ready until the replica is.
    final class Replicating: TableReading {
        let reads = Mutex(0)
        func read(_ name: String, logicalId: String?, extras: LiveTableReader.Extras) async throws -> LiveTable? {
            try await describe(name)
        }
        func describe(_ name: String) async throws -> LiveTable? {
            let status = reads.withLock { count in
                count += 1
                return count < 3 ? "CREATING" : "ACTIVE"
            }
            let description =
                #"{"TableName":"t","TableStatus":"ACTIVE","AttributeDefinitions":[],"KeySchema":[],"Replicas":[{"RegionName":"eu-west-1","ReplicaStatus":"\#(status)"}]}"#
            return LiveTable(description: try JSONParser.parse(Array(description.utf8)))
        }
        func listTables() async throws -> [String] { [] }
    }

    @Test func aGlobalTableIsReadyOnlyWhenEveryReplicaIs() async {
        let clock = Clock()
        let events = Mutex<[String]>([])
        let tables = Replicating()
        let record: @Sendable (WaitEvent) -> Void = { event in
            if case .table(let state) = event {
                events.withLock { $0.append(state.buildingReplicas.map { "\($0.region) \($0.status)" }.joined()) }
            }
        }
        let waiter = ReadinessWaiter(
            tables: tables, timeout: 60, now: { clock.now() }, sleep: { clock.sleep($0) }, emit: record)
        let outcome = await waiter.waitForTables(["t"], started: 0)
        #expect(outcome.result == .ready)
        #expect(tables.reads.withLock { $0 } == 3)
        #expect(events.withLock { $0 } == ["eu-west-1 CREATING", ""])
    }

    /// A replica's own table, in its region, whose GSI is backfilling on the first read.
    final class ReplicaIndex: TableReading {
        let reads = Mutex(0)
        func read(_ name: String, logicalId: String?, extras: LiveTableReader.Extras) async throws -> LiveTable? {
            try await describe(name)
        }
        func describe(_ name: String) async throws -> LiveTable? {
            let backfilling = reads.withLock { count in
                count += 1
                return count < 2
            }
            let description =
                #"{"TableName":"t","TableStatus":"ACTIVE","AttributeDefinitions":[],"KeySchema":[],"GlobalSecondaryIndexes":[{"IndexName":"byE","IndexStatus":"ACTIVE","Backfilling":\#(backfilling)}]}"#
            return LiveTable(description: try JSONParser.parse(Array(description.utf8)))
        }
        func listTables() async throws -> [String] { [] }
    }

    @Test func aGlobalTableIsReadyOnlyWhenEveryReplicasGSIsAreBuilt() async {
        let clock = Clock()
        let replica = ReplicaIndex()
        let tables = Replicating()
        tables.reads.withLock { $0 = 5 }  // its replica is ACTIVE from the start
        var waiter = ReadinessWaiter(
            tables: tables, timeout: 60, now: { clock.now() }, sleep: { clock.sleep($0) }, emit: { _ in })
        waiter.replicaTables = { region in
            #expect(region == "eu-west-1")
            return replica
        }
        let outcome = await waiter.waitForTables(["t"], started: 0)
        #expect(outcome.result == .ready)
        #expect(replica.reads.withLock { $0 } == 2)
    }

    @Test func thePauseIsCutToTheTimeLeft() {
        let policy = PollPolicy()
        #expect(policy.pause(2, elapsed: 3, timeout: 4) == 1)
        #expect(policy.pause(2, elapsed: 1, timeout: 4) == 2)
        #expect(policy.pause(2, elapsed: 4, timeout: 4) == nil)
    }
}
