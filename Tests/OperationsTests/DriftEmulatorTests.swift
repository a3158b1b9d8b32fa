import AWS
import Changes
import Outcomes
import Schema
import StackModel
import Synchronization
import Template
import TestSupport
import Testing

@testable import Operations

/// Drift against stacks created through the test bed's CloudFormation, then changed out of band.
@Suite(.serialized, .enabled(if: Testbed.enabled)) struct DriftEmulatorTests {
    static let body = String(decoding: readFixture("fixtures/stacks/app.yaml")!, as: UTF8.self)

    /// The stack's tables, resolved as `drift --stack` resolves them: the deployed template, the deployed parameters.
    static func expected(_ stack: DeployedStack, body: String = body) throws -> [Table] {
        let options = stack.deployedOptions(region: "us-east-1")
        return Model(try Resolver.resolve(try Template.parse(Array(body.utf8)), options: options)).tables
    }

    static func detect(_ name: String, endpoint: String? = Testbed.endpoint) async throws -> (
        DeployedStack, [TableDrift]
    ) {
        let context = try Testbed.context(endpoint)
        let stack = try #require(try await DeployedStack.read(name, from: CloudFormationClient(context: context)))
        let detector = DriftDetector(tables: LiveTableReader(client: DynamoDBClient(context: context)), concurrency: 4)
        return (
            stack,
            try await detector.detect(
                expected: try expected(stack), physicalNames: stack.tableNames, stackTags: stack.propagatedTags)
        )
    }

    static func call(_ operation: String, _ input: [JSONValue.Member], region: String = "us-east-1") async throws {
        _ = try await DynamoDBClient(context: try Testbed.context(Testbed.endpoint).region(region)).call(
            operation, input, idempotent: false)
    }

    /// Turns point-in-time recovery on or off by hand, outside the stack.
    static func setRecovery(_ table: String, _ enabled: Bool, region: String = "us-east-1") async throws {
        try await call(
            "UpdateContinuousBackups",
            [
                .init("TableName", .string(table)),
                .init(
                    "PointInTimeRecoverySpecification", .object([.init("PointInTimeRecoveryEnabled", .bool(enabled))])),
            ], region: region)
    }

    @Test func aStackNobodyTouchedIsInSync() async throws {
        let name = Testbed.unique("drift-clean")
        #expect(
            try await Testbed.deploy(name, body: Self.body, parameters: ["Env": "staging"], tags: [("team", "core")])
                == "CREATE_COMPLETE")
        let (stack, drifts) = try await Self.detect(name)
        #expect(stack.deployedOptions(region: "us-east-1").parameters["Env"] == "staging")
        #expect(
            drifts.map { "\($0.logicalId) \($0.status.rawValue)" } == [
                "Orders inSync", "Sessions inSync", "Audit inSync",
            ],
            "\(drifts.flatMap(\.differences).map { "\($0.path): \($0.expected ?? "-") vs \($0.actual ?? "-")" })")
    }

    @Test func everyOutOfBandChangeIsFoundWithTheImpactOfRestoringIt() async throws {
        let name = Testbed.unique("drift-changed")
        #expect(try await Testbed.deploy(name, body: Self.body, parameters: ["Env": "prod"]) == "CREATE_COMPLETE")
        let tables = try await Testbed.tables(of: name)
        let orders = try #require(tables["Orders"])
        let sessions = try #require(tables["Sessions"])
        let audit = try #require(tables["Audit"])
        try await Self.call(
            "UpdateTimeToLive",
            [
                .init("TableName", .string(orders)),
                .init(
                    "TimeToLiveSpecification",
                    .object([
                        .init("Enabled", .bool(false)), .init("AttributeName", .string("expiresAt")),
                    ])),
            ])
        try await Self.call(
            "UpdateTable",
            [
                .init("TableName", .string(orders)),
                .init(
                    "AttributeDefinitions",
                    .array([Self.attribute("id"), Self.attribute("email"), Self.attribute("sku")])),
                .init(
                    "GlobalSecondaryIndexUpdates",
                    .array([
                        .object([
                            .init(
                                "Create",
                                .object([
                                    .init("IndexName", .string("bySku")),
                                    .init(
                                        "KeySchema",
                                        .array([
                                            .object([
                                                .init("AttributeName", .string("sku")),
                                                .init("KeyType", .string("HASH")),
                                            ])
                                        ])),
                                    .init("Projection", .object([.init("ProjectionType", .string("ALL"))])),
                                ]))
                        ])
                    ])),
            ])
        try await Self.setRecovery(sessions, true)
        try await Self.call(
            "UpdateContributorInsights",
            [.init("TableName", .string(sessions)), .init("ContributorInsightsAction", .string("DISABLE"))])
        try await Self.call(
            "UpdateTable",
            [
                .init("TableName", .string(sessions)),
                .init(
                    "StreamSpecification",
                    .object([
                        .init("StreamEnabled", .bool(true)), .init("StreamViewType", .string("NEW_IMAGE")),
                    ])),
            ])
        let description = try await DynamoDBClient(context: try Testbed.context(Testbed.endpoint)).describeTable(
            sessions)
        try await Self.call(
            "TagResource",
            [
                .init("ResourceArn", .string(description["TableArn"]?.stringValue ?? "")),
                .init("Tags", .array([.object([.init("Key", .string("owner")), .init("Value", .string("bob"))])])),
            ])
        try await Self.call("DeleteTable", [.init("TableName", .string(audit))])

        let (_, drifts) = try await Self.detect(name)
        #expect(
            drifts.map { "\($0.logicalId) \($0.status.rawValue)" } == [
                "Orders drifted", "Sessions drifted", "Audit missing",
            ])
        #expect(
            drifts[0].differences.map { "\($0.path) \($0.impact.rawValue)" }.sorted()
                == ["GlobalSecondaryIndexes[bySku] breaking", "TimeToLiveSpecification inPlace"])
        #expect(
            drifts[1].differences.map { "\($0.path) \($0.impact.rawValue)" }.sorted()
                == [
                    "ContributorInsightsSpecification inPlace", "PointInTimeRecoverySpecification inPlace",
                    "StreamSpecification breaking", "Tags[owner] inPlace",
                ])
        #expect(drifts[2].note?.contains("does not exist") == true)
    }

    static func attribute(_ name: String) -> JSONValue {
        .object([.init("AttributeName", .string(name)), .init("AttributeType", .string("S"))])
    }

    @Test func tablesStillBuildingAreNotActiveWithTheirIndexes() async throws {
        let name = Testbed.unique("drift-busy")
        #expect(try await Testbed.deploy(name, body: Self.body, parameters: ["Env": "qa"]) == "CREATE_COMPLETE")
        let orders = try #require(try await Testbed.tables(of: name)["Orders"])
        try await Testbed.rules(
            #"[{"service": "dynamodb", "operation": "DescribeTable", "table": "\#(orders)", "kind": "backfilling", "index": "byEmail", "count": 1}]"#
        )
        let (_, backfilling) = try await Self.detect(name, endpoint: Testbed.proxy)
        #expect(backfilling[0].status == .notActive)
        #expect(
            backfilling[0].buildingIndexes.map { "\($0.name) \($0.status) \($0.backfilling)" } == [
                "byEmail CREATING true"
            ])
        #expect(backfilling[0].differences.isEmpty)
        #expect(backfilling[1].status == .inSync)
        try await Testbed.rules(
            #"[{"service": "dynamodb", "operation": "DescribeTable", "table": "\#(orders)", "kind": "tableStatus", "status": "UPDATING", "count": 1}]"#
        )
        let (_, updating) = try await Self.detect(name, endpoint: Testbed.proxy)
        #expect(updating[0].status == .notActive)
        #expect(updating[0].tableStatus == "UPDATING")
    }

    /// More throttling than the client's own retries absorb: drift backs off and goes on, as `wait` does, instead
    /// of ending after a second.
    @Test func aThrottlingStormIsRiddenOut() async throws {
        let name = Testbed.unique("drift-throttled")
        #expect(try await Testbed.deploy(name, body: Self.body, parameters: ["Env": "qa"]) == "CREATE_COMPLETE")
        let orders = try #require(try await Testbed.tables(of: name)["Orders"])
        try await Testbed.rules(
            #"[{"service": "dynamodb", "operation": "DescribeTable", "table": "\#(orders)", "kind": "throttle", "count": 12}]"#
        )
        let context = try Testbed.context(Testbed.proxy)
        let stack = try #require(try await DeployedStack.read(name, from: CloudFormationClient(context: context)))
        let pauses = Mutex<[Double]>([])
        let detector = DriftDetector(
            tables: LiveTableReader(client: DynamoDBClient(context: context)), concurrency: 4,
            sleep: { seconds in pauses.withLock { $0.append(seconds) } })
        let drifts = try await detector.detect(
            expected: try Self.expected(stack), physicalNames: stack.tableNames, stackTags: stack.propagatedTags)
        #expect(drifts.map(\.status) == [.inSync, .inSync, .inSync])
        #expect(pauses.withLock { $0 }.count >= 2, "backed off between the client's bursts of retries")
    }

    /// A global table on the test bed (a replica table in each region): the home replica's settings are compared,
    /// a hand change to one is drift, the other replica is listed, and DescribeTable's replicas are read.
    @Test func aGlobalTablesHomeReplicaIsComparedOverTheWire() async throws {
        let name = Testbed.unique("drift-global")
        let body = Testbed.globalTable(
            name,
            replicas: [
                "{Region: us-east-1, PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}}",
                "{Region: eu-west-1}",
            ])
        #expect(try await Testbed.deploy(name, body: body) == "CREATE_COMPLETE")
        let context = try Testbed.context(Testbed.endpoint)
        let stack = try #require(try await DeployedStack.read(name, from: CloudFormationClient(context: context)))
        var detector = DriftDetector(
            tables: LiveTableReader(client: DynamoDBClient(context: context)), concurrency: 2, sleep: { _ in })
        detector.region = "us-east-1"
        let expected = try Self.expected(stack, body: body)
        let clean = try await detector.detect(
            expected: expected, physicalNames: stack.tableNames, stackTags: stack.propagatedTags)
        #expect(clean.first?.status == .inSync, "\(clean.first?.differences.map(\.path) ?? [])")
        #expect(clean.first?.notCompared.contains { $0.hasPrefix("Replicas[eu-west-1]") } == true)
        let live = try #require(try await LiveTableReader(client: DynamoDBClient(context: context)).describe(name))
        #expect(live.replicas.contains(ReplicaStatus(region: "eu-west-1", status: "ACTIVE")))
        try await Self.setRecovery(name, false)
        let drifted = try await detector.detect(
            expected: expected, physicalNames: stack.tableNames, stackTags: stack.propagatedTags)
        #expect(drifted.first?.differences.map(\.path) == ["PointInTimeRecoverySpecification"])
    }

    /// The other replicas read in their own regions over the wire (the test bed keeps a replica table per region):
    /// in sync, then a hand change to the eu-west-1 replica is drift under its region, then that replica's table
    /// deleted by hand is a missing replica.
    @Test func everyReplicaIsReadInItsOwnRegion() async throws {
        let name = Testbed.unique("drift-replicas")
        let body = Testbed.globalTable(
            name, replicas: ["{Region: us-east-1}", "{Region: eu-west-1, TableClass: STANDARD_INFREQUENT_ACCESS}"])
        #expect(try await Testbed.deploy(name, body: body) == "CREATE_COMPLETE")
        let context = try Testbed.context(Testbed.endpoint)
        let stack = try #require(try await DeployedStack.read(name, from: CloudFormationClient(context: context)))
        var detector = DriftDetector(
            tables: LiveTableReader(client: DynamoDBClient(context: context)), concurrency: 2, sleep: { _ in })
        detector.region = "us-east-1"
        detector.replicaTables = { region in LiveTableReader(client: DynamoDBClient(context: context.region(region))) }
        let expected = try Self.expected(stack, body: body)
        func detect() async throws -> TableDrift {
            try #require(
                try await detector.detect(
                    expected: expected, physicalNames: stack.tableNames, stackTags: stack.propagatedTags
                ).first)
        }
        let clean = try await detect()
        #expect(clean.status == .inSync, "\(clean.differences.map(\.path))")
        #expect(!clean.notCompared.contains { $0.hasPrefix("Replicas[") }, "\(clean.notCompared)")
        try await Self.setRecovery(name, true, region: "eu-west-1")
        let drifted = try await detect()
        #expect(drifted.status == .drifted)
        #expect(drifted.differences.map(\.path) == ["Replicas[eu-west-1].PointInTimeRecoverySpecification"])
        try await Self.call("DeleteTable", [.init("TableName", .string(name))], region: "eu-west-1")
        let gone = try await detect()
        #expect(gone.differences.map(\.path) == ["Replicas[eu-west-1]"])
    }

    @Test func tablesOutsideAnyTemplateAreListedByPrefix() async throws {
        let prefix = Testbed.unique("runtime")
        let client = DynamoDBClient(context: try Testbed.context(Testbed.endpoint))
        try await Testbed.createTable(client, "\(prefix)-known")
        try await Testbed.createTable(client, "\(prefix)-cache")
        let detector = DriftDetector(tables: LiveTableReader(client: client))
        #expect(try await detector.unmanaged(prefix: prefix, known: ["\(prefix)-known"]) == ["\(prefix)-cache"])
    }

    @Test func aStackThatDoesNotExistReadsAsNil() async throws {
        #expect(
            try await DeployedStack.read(
                Testbed.unique("nothing"), from: CloudFormationClient(context: try Testbed.context(Testbed.endpoint)))
                == nil)
    }
}
