import AWS
import Changes
import Outcomes
import Schema
import Synchronization
import Template
import TestSupport
import Testing

@testable import Operations

/// The deploy engine against the test bed, through the fault proxy: creation with tables held CREATING, a
/// GSI backfill, three GSIs in three steps, no changes, a rollback and its root cause, faults and throttling
/// during the wait, a timeout, an interrupt, S3 upload, review before execution, backups.
@Suite(.serialized, .enabled(if: Testbed.enabled)) struct DeployEmulatorTests {
    final class Events: Sendable {
        let list = Mutex<[DeployEvent]>([])
        var stackEvents: [String] {
            list.withLock {
                $0.compactMap {
                    if case .stackEvent(let event) = $0 { return "\(event.logicalId) \(event.status)" }
                    return nil
                }
            }
        }
        var tableStates: [String] {
            list.withLock {
                $0.compactMap {
                    if case .waiting(.table(let state)) = $0 {
                        return "\(state.status ?? "-") \(state.building.map(\.name))"
                    }
                    return nil
                }
            }
        }
        var executed: [Int] {
            list.withLock {
                $0.compactMap {
                    if case .executing(let step, _, _) = $0 { return step }
                    return nil
                }
            }
        }
        var throttled: Int {
            list.withLock {
                $0.filter {
                    if case .waiting(.throttled) = $0 { return true }
                    return false
                }.count
            }
        }
        var messages: [String] {
            list.withLock {
                $0.compactMap {
                    if case .cancelling(let text) = $0 { return text }
                    return nil
                }
            }
        }
    }

    /// `interruptOn`: the event at which the deploy's own task is cancelled, as Ctrl-C would (emit runs on that task).
    static func deployer(_ events: Events, attempts: Int = 5, interruptOn: (@Sendable (DeployEvent) -> Bool)? = nil)
        throws -> Deployer
    {
        let context = try Testbed.context(Testbed.proxy, maximumAttempts: attempts)
        var deployer = Deployer(
            stacks: CloudFormationClient(context: context),
            tables: LiveTableReader(client: DynamoDBClient(context: context)),
            backups: DynamoDBClient(context: context), uploads: S3Client(context: context),
            now: WaitEmulatorTests.monotonic, clock: SystemClock.now, sleep: SystemClock.sleep
        ) { event in
            events.list.withLock { $0.append(event) }
            if interruptOn?(event) == true { withUnsafeCurrentTask { $0?.cancel() } }
        }
        deployer.policy.initial = 0.1
        deployer.policy.steady = 0.3
        return deployer
    }

    /// A table with a literal name and the GSIs `indexes` (each keyed on its own attribute).
    static func template(_ table: String, indexes: [String] = [], extra: String = "") -> String {
        let attributes = (["id"] + indexes).map { "{AttributeName: \($0), AttributeType: S}" }.joined(separator: ", ")
        var text = """
            Resources:
              Orders:
                Type: AWS::DynamoDB::Table
                Properties:
                  TableName: \(table)
                  BillingMode: PAY_PER_REQUEST
                  AttributeDefinitions: [\(attributes)]
                  KeySchema: [{AttributeName: id, KeyType: HASH}]

            """
        if !indexes.isEmpty {
            text +=
                "      GlobalSecondaryIndexes:\n"
                + indexes.map {
                    "        - IndexName: by\($0)\n          KeySchema: [{AttributeName: \($0), KeyType: HASH}]\n          Projection: {ProjectionType: KEYS_ONLY}\n"
                }.joined()
        }
        return text + extra
    }

    static func tables(_ body: String) throws -> (tables: [Table], template: Template) {
        let template = try Template.parse(Array(body.utf8))
        return (Model(try Resolver.resolve(template, options: ResolveOptions(region: "us-east-1"))).tables, template)
    }

    /// A request for deploying `head` over `base` (nil: a creation), staged as the review says.
    static func request(_ stack: String, base: String?, head: String) throws -> DeployRequest {
        let head = try (tables(head), head)
        let review = Review(
            base: try base.map { try tables($0).tables } ?? [], head: head.0.tables, headTemplate: head.0.template)
        var request = DeployRequest(
            stackName: stack, creating: base == nil, steps: DeployRequest.steps(review, source: Array(head.1.utf8)),
            review: review, changeSetName: "t\(UInt32.random(in: 0...UInt32.max))")
        request.base = try base.map { try tables($0).tables } ?? []
        request.head = head.0.tables
        request.templateSHA256 = Digest.hex(try Digest.sha256(Array(head.1.utf8)))
        return request
    }

    static func indexes(_ table: String) async throws -> [String] {
        let live = try await LiveTableReader(client: DynamoDBClient(context: try Testbed.context(Testbed.endpoint)))
            .describe(table)
        return live?.indexes.map(\.name).sorted() ?? []
    }

    @Test func createsTheStackAndWaitsWhileItsTableIsHeldCreating() async throws {
        let stack = Testbed.unique("create")
        let table = Testbed.unique("orders")
        try await Testbed.rules(
            #"[{"service": "dynamodb", "operation": "DescribeTable", "table": "\#(table)", "kind": "tableStatus", "status": "CREATING", "count": 3}]"#
        )
        let events = Events()
        let outcome = try await Self.deployer(events).run(
            try Self.request(stack, base: nil, head: Self.template(table, indexes: ["email"])))
        #expect(outcome.result == .ready)
        #expect(outcome.stackStatus == "CREATE_COMPLETE")
        #expect(events.stackEvents.contains("Orders CREATE_COMPLETE"))
        #expect(events.tableStates.first == "CREATING []")
        #expect(events.tableStates.last == "ACTIVE []")
        #expect(outcome.tables.first?.indexes.map(\.name) == ["byemail"])
        #expect(outcome.steps.map(\.status) == ["executed"])
    }

    /// A global table on the test bed: two replicas added in one change go in two steps, the second only after the
    /// first step's replica is ACTIVE (the proxy holds it CREATING); the test bed, like CloudFormation, refuses two
    /// replicas in one update.
    @Test func twoNewReplicasGoInTwoStepsEachWaitingForItsReplica() async throws {
        let stack = Testbed.unique("replicas")
        let table = Testbed.unique("orders")
        func template(_ regions: [String]) -> String {
            Testbed.globalTable(table, replicas: regions.map { "{Region: \($0)}" })
        }
        let base = template(["us-east-1", "eu-west-1"])
        let head = template(["us-east-1", "eu-west-1", "ap-south-1", "sa-east-1"])
        #expect(try await Testbed.deploy(stack, body: base) == "CREATE_COMPLETE")
        try await Testbed.rules(
            """
            [{"service": "dynamodb", "operation": "DescribeTable", "table": "\(table)", "kind": "replicaStatus", "region": "ap-south-1", "count": 2}]
            """)
        let events = Events()
        let outcome = try await Self.deployer(events).run(try Self.request(stack, base: base, head: head))
        #expect(outcome.result == .ready, "\(String(describing: outcome.failure?.rootCause))")
        #expect(outcome.steps.map(\.status) == ["executed", "executed"])
        #expect(
            outcome.steps.map(\.operations) == [
                ["Orders: create replica 'ap-south-1'"], ["Orders: create replica 'sa-east-1'"],
            ])
        #expect(events.executed == [1, 2])
        let building = events.list.withLock {
            $0.compactMap { event -> String? in
                guard case .waiting(.table(let state)) = event else { return nil }
                return state.buildingReplicas.map { "\($0.region) \($0.status)" }.joined()
            }
        }
        #expect(building.contains("ap-south-1 CREATING"), "step 2 waited for step 1's replica: \(building)")
        let live = try #require(
            try await LiveTableReader(client: DynamoDBClient(context: try Testbed.context(Testbed.endpoint)))
                .describe(table))
        #expect(Set(live.replicas.map(\.region)).isSuperset(of: ["eu-west-1", "ap-south-1", "sa-east-1"]))
        #expect(try await Testbed.settle(stack) == "UPDATE_COMPLETE")
    }

    @Test func threeNewGSIsGoInThreeStepsEachWaitingForItsBackfill() async throws {
        let stack = Testbed.unique("staged")
        let table = Testbed.unique("orders")
        let base = Self.template(table)
        let head = Self.template(table, indexes: ["a", "b", "c"])
        #expect(try await Testbed.deploy(stack, body: base) == "CREATE_COMPLETE")
        try await Testbed.rules(
            """
            [{"service": "dynamodb", "operation": "DescribeTable", "table": "\(table)", "kind": "backfilling", "index": "bya", "count": 2},
             {"service": "dynamodb", "operation": "DescribeTable", "table": "\(table)", "kind": "backfilling", "index": "byb", "count": 2}]
            """)
        let events = Events()
        let outcome = try await Self.deployer(events).run(try Self.request(stack, base: base, head: head))
        #expect(outcome.result == .ready)
        #expect(outcome.steps.map(\.status) == ["executed", "executed", "executed"])
        #expect(
            outcome.steps.map(\.operations) == [
                ["Orders: create GSI 'bya'"], ["Orders: create GSI 'byb'"], ["Orders: create GSI 'byc'"],
            ])
        #expect(events.executed == [1, 2, 3])
        // Step 2 starts only after step 1's index finished backfilling.
        let states = events.tableStates
        #expect(states.contains("ACTIVE [\"bya\"]"))
        #expect(states.contains("ACTIVE [\"byb\"]"))
        #expect(try await Self.indexes(table) == ["bya", "byb", "byc"])
        #expect(try await Testbed.settle(stack) == "UPDATE_COMPLETE")
    }

    /// The last gate, over the wire: a plan that (wrongly) saw no change, and a step whose template renames the table.
    /// CloudFormation's change set says Replacement True; the deploy stops before execution and deletes the change set.
    @Test func aReplacementOnlyTheChangeSetShowsStopsTheDeployBeforeExecution() async throws {
        let stack = Testbed.unique("gate")
        let table = Testbed.unique("orders")
        let body = Self.template(table)
        #expect(try await Testbed.deploy(stack, body: body) == "CREATE_COMPLETE")
        var request = try Self.request(stack, base: body, head: body)
        request.steps[0].body = Self.template(table + "-renamed")
        let outcome = try await Self.deployer(Events()).run(request)
        guard case .unaccepted(_, let changes) = outcome.result else {
            Issue.record("\(outcome.result)")
            return
        }
        #expect(
            changes.map { "\($0.logicalId) \($0.action.rawValue) \($0.impact.rawValue)" } == [
                "Orders replace rejected"
            ], "the plan holds the old TableName, so a replacement keeping it is refused")
        #expect(changes.first?.message.contains("CloudFormation's change set") == true)
        let client = CloudFormationClient(context: try Testbed.context(Testbed.endpoint))
        await #expect(throws: AWSError.self) {
            _ = try await client.describeChangeSet(request.changeSetName, stack: stack)
        }
        #expect(try await client.describeStacks(stack).first?.status == "CREATE_COMPLETE")
        #expect(try await Self.indexes(table) == [], "the table is still there")
        #expect(
            try await LiveTableReader(client: DynamoDBClient(context: try Testbed.context(Testbed.endpoint))).describe(
                table) != nil)
    }

    @Test func anUnchangedTemplateIsNoChangesAndLeavesNoChangeSet() async throws {
        let stack = Testbed.unique("same")
        let table = Testbed.unique("orders")
        let body = Self.template(table)
        #expect(try await Testbed.deploy(stack, body: body) == "CREATE_COMPLETE")
        let request = try Self.request(stack, base: body, head: body)
        let outcome = try await Self.deployer(Events()).run(request)
        #expect(outcome.result == .noChanges)
        #expect(outcome.steps.map(\.status) == ["noChanges"])
        let client = CloudFormationClient(context: try Testbed.context(Testbed.endpoint))
        await #expect(throws: AWSError.self) {
            _ = try await client.describeChangeSet(request.changeSetName, stack: stack)
        }
    }

    @Test func aRollbackReportsItsRootCauseAndWhatToDoNext() async throws {
        let stack = Testbed.unique("rollback")
        let table = Testbed.unique("orders")
        let taken = Testbed.unique("taken")
        try await Testbed.createTable(DynamoDBClient(context: try Testbed.context(Testbed.endpoint)), taken)
        let base = Self.template(table)
        let head = Self.template(
            table, indexes: ["email"],
            extra: """
                  Taken:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      TableName: \(taken)
                      BillingMode: PAY_PER_REQUEST
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      KeySchema: [{AttributeName: id, KeyType: HASH}]

                """)
        #expect(try await Testbed.deploy(stack, body: base) == "CREATE_COMPLETE")
        var request = try Self.request(stack, base: base, head: head)
        request.indexesBefore = [table: []]
        let events = Events()
        let outcome = try await Self.deployer(events).run(request)
        #expect(outcome.result == .rolledBack)
        #expect(outcome.stackStatus == "UPDATE_ROLLBACK_COMPLETE")
        let cause = try #require(outcome.failure?.rootCause)
        #expect(cause.logicalId == "Taken")
        #expect(cause.status.hasSuffix("_FAILED"))
        #expect(cause.reason?.contains("already exists") == true)
        #expect(outcome.failure?.advice.first?.contains("back on its previous template") == true)
        #expect(outcome.failure?.leftoverIndexes.isEmpty == true)
        #expect(try await Self.indexes(table) == [], "the rollback removed the GSI")
    }

    @Test func aGSIOnTheTableThatTheDeployedTemplateLacksIsNamedAfterARollback() async throws {
        let stack = Testbed.unique("leftover")
        let table = Testbed.unique("orders")
        let taken = Testbed.unique("taken")
        let client = DynamoDBClient(context: try Testbed.context(Testbed.endpoint))
        try await Testbed.createTable(client, taken)
        let base = Self.template(table)
        #expect(try await Testbed.deploy(stack, body: base) == "CREATE_COMPLETE")
        // An index the deployed template does not have, as a rollback that could not remove it leaves behind.
        _ = try await client.call(
            "UpdateTable",
            [
                .init("TableName", .string(table)),
                .init(
                    "AttributeDefinitions",
                    .array([.object([.init("AttributeName", .string("k")), .init("AttributeType", .string("S"))])])),
                .init(
                    "GlobalSecondaryIndexUpdates",
                    .array([
                        .object([
                            .init(
                                "Create",
                                .object([
                                    .init("IndexName", .string("byk")),
                                    .init(
                                        "KeySchema",
                                        .array([
                                            .object([
                                                .init("AttributeName", .string("k")), .init("KeyType", .string("HASH")),
                                            ])
                                        ])),
                                    .init("Projection", .object([.init("ProjectionType", .string("KEYS_ONLY"))])),
                                ]))
                        ])
                    ])),
            ])
        let head =
            base + """
                  Taken:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      TableName: \(taken)
                      BillingMode: PAY_PER_REQUEST
                      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
                      KeySchema: [{AttributeName: id, KeyType: HASH}]

                """
        var request = try Self.request(stack, base: base, head: head)
        request.indexesBefore = [table: []]
        let outcome = try await Self.deployer(Events()).run(request)
        #expect(outcome.result == .rolledBack)
        #expect(outcome.failure?.leftoverIndexes.map { "\($0.0)/\($0.1)" } == ["\(table)/byk"])
        #expect(
            outcome.failure?.advice.contains {
                $0.contains("GSI 'byk' on table '\(table)'") && $0.contains("update-table")
            } == true)
    }

    @Test func throttlingStormsAndDroppedConnectionsDuringTheWaitDoNotEndIt() async throws {
        let stack = Testbed.unique("faults")
        let table = Testbed.unique("orders")
        let base = Self.template(table)
        #expect(try await Testbed.deploy(stack, body: base) == "CREATE_COMPLETE")
        try await Testbed.rules(
            """
            [{"service": "dynamodb", "operation": "DescribeTable", "table": "\(table)", "kind": "backfilling", "index": "byemail", "count": 3},
             {"service": "dynamodb", "operation": "DescribeTable", "table": "\(table)", "kind": "throttle", "count": 12},
             {"service": "dynamodb", "operation": "DescribeTable", "table": "\(table)", "kind": "drop", "count": 2},
             {"service": "cloudformation", "operation": "DescribeStackEvents", "kind": "throttle", "count": 2}]
            """)
        let events = Events()
        // Three attempts per call: the client absorbs some of the storm, the wait slows down for the rest.
        let outcome = try await Self.deployer(events, attempts: 3).run(
            try Self.request(stack, base: base, head: Self.template(table, indexes: ["email"])))
        #expect(outcome.result == .ready)
        #expect(events.throttled >= 2)
        #expect(events.tableStates.contains("ACTIVE [\"byemail\"]"))
    }

    @Test func aTimeoutEndsTheWaitNamingTheIndexStillBuilding() async throws {
        let stack = Testbed.unique("timeout")
        let table = Testbed.unique("orders")
        let base = Self.template(table)
        #expect(try await Testbed.deploy(stack, body: base) == "CREATE_COMPLETE")
        try await Testbed.rules(
            #"[{"service": "dynamodb", "operation": "DescribeTable", "table": "\#(table)", "kind": "backfilling", "index": "byemail", "seconds": 30}]"#
        )
        var request = try Self.request(stack, base: base, head: Self.template(table, indexes: ["email"]))
        request.timeout = 1.5
        let outcome = try await Self.deployer(Events()).run(request)
        #expect(outcome.result == .timedOut)
        #expect(outcome.stackStatus == "UPDATE_COMPLETE")
        #expect(outcome.tables.first?.building.map(\.name) == ["byemail"])
    }

    @Test func anInterruptDuringTheUpdateAsksCloudFormationToCancelIt() async throws {
        let stack = Testbed.unique("cancel")
        let table = Testbed.unique("orders")
        let base = Self.template(table)
        #expect(try await Testbed.deploy(stack, body: base) == "CREATE_COMPLETE")
        try await Testbed.rules(
            #"[{"service": "cloudformation", "operation": "DescribeStacks", "stack": "\#(stack)", "kind": "stackStatus", "status": "UPDATE_IN_PROGRESS", "seconds": 20}]"#
        )
        var request = try Self.request(stack, base: base, head: Self.template(table, indexes: ["email"]))
        request.cancelOnInterrupt = true
        let events = Events()
        let deployer = try Self.deployer(events) {
            if case .executing = $0 { return true }
            return false
        }
        let outcome = await Task { await deployer.run(request) }.value
        #expect(outcome.result == .interrupted)
        #expect(outcome.stackStatus == "UPDATE_IN_PROGRESS")
        // The emulator has already finished the update, so it refuses the cancel; what matters is that it was asked.
        #expect(events.messages.contains { $0.contains("CancelUpdateStack") })
        #expect(try await Self.proxyCount("cloudformation.CancelUpdateStack") >= 1)
    }

    @Test func anInterruptBeforeExecutionDeletesTheChangeSetAndTheStackItMade() async throws {
        let stack = Testbed.unique("early")
        let table = Testbed.unique("orders")
        let request = try Self.request(stack, base: nil, head: Self.template(table))
        let deployer = try Self.deployer(Events()) {
            if case .changeSet = $0 { return true }
            return false
        }
        let outcome = await Task { await deployer.run(request) }.value
        #expect(outcome.result == .interrupted)
        #expect(outcome.steps.map(\.status) == ["interrupted"])
        // The CREATE change set made a REVIEW_IN_PROGRESS stack; both are gone.
        let client = CloudFormationClient(context: try Testbed.context(Testbed.endpoint))
        #expect(try await DeployedStack.read(stack, from: client) == nil)
    }

    @Test func aTemplateOverTheInlineLimitGoesThroughS3() async throws {
        let stack = Testbed.unique("large")
        let table = Testbed.unique("orders")
        let bucket = Testbed.unique("templates")
        let padding = "Metadata:\n  Padding: \"" + String(repeating: "x", count: 60_000) + "\"\n"
        var request = try Self.request(stack, base: nil, head: padding + Self.template(table))
        let events = Events()
        let failed = try await Self.deployer(events).run(request)
        guard case .failed(let message) = failed.result else {
            Issue.record("expected a failure, got \(failed.result)")
            return
        }
        #expect(message.contains("--s3-bucket"))

        let created = try await CurlTransport().send(
            HTTPRequest(method: "PUT", url: try #require(Testbed.endpoint) + "/\(bucket)"))
        #expect(created.status == 200)
        request.bucket = bucket
        let outcome = try await Self.deployer(events).run(request)
        #expect(outcome.result == .ready)
        let uploads = events.list.withLock {
            $0.compactMap {
                if case .uploaded(_, let url) = $0 { return url }
                return nil
            }
        }
        #expect(uploads.count == 1)
        #expect(uploads.first?.contains("/\(bucket)/ddbstack/\(stack)/") == true)
    }

    @Test func noExecuteLeavesTheChangeSetForReviewAndExecuteRunsIt() async throws {
        let stack = Testbed.unique("review")
        let table = Testbed.unique("orders")
        var request = try Self.request(stack, base: nil, head: Self.template(table))
        request.execute = false
        let prepared = try await Self.deployer(Events()).run(request)
        #expect(prepared.result == .prepared(changeSet: request.changeSetName))
        let client = CloudFormationClient(context: try Testbed.context(Testbed.endpoint))
        #expect(try await client.describeChangeSet(request.changeSetName, stack: stack).status == "CREATE_COMPLETE")

        request.execute = true
        request.existingChangeSet = request.changeSetName
        let executed = try await Self.deployer(Events()).run(request)
        #expect(executed.result == .ready)
        #expect(executed.stackStatus == "CREATE_COMPLETE")
    }

    @Test func backupsAreTakenBeforeTheChangeSetIsExecuted() async throws {
        let stack = Testbed.unique("backup")
        let table = Testbed.unique("orders")
        let base = Self.template(table)
        #expect(try await Testbed.deploy(stack, body: base) == "CREATE_COMPLETE")
        var request = try Self.request(stack, base: base, head: Self.template(table, indexes: ["email"]))
        request.backups = [.init(logicalId: "Orders", tableName: table)]
        let events = Events()
        let outcome = try await Self.deployer(events).run(request)
        #expect(outcome.result == .ready)
        let backup = try #require(outcome.backups.first)
        #expect(backup.arn.contains(table))
        #expect(backup.name.hasPrefix("ddbstack-\(table)-"))
        let order = events.list.withLock {
            $0.map { event -> String in
                if case .backup = event { return "backup" }
                if case .executing = event { return "execute" }
                return ""
            }.filter { !$0.isEmpty }
        }
        #expect(order == ["backup", "execute"])
    }

    static func proxyCount(_ key: String) async throws -> Int {
        let url = try #require(Testbed.proxy)
        let response = try await CurlTransport().send(HTTPRequest(method: "GET", url: url + "/_proxy/stats"))
        let stats = try JSONParser.parse(response.body)
        return stats["byOperation"]?[key]?.intValue ?? 0
    }
}
