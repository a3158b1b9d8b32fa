import AWS
import Changes
import Schema
import Template
import TestSupport
import Testing

@testable import Operations

/// `plan` against stacks deployed through the test bed: the deployed template is the base, the live tables add
/// what only the account knows, and a change set's verdict is merged and cleaned up.
@Suite(.serialized, .enabled(if: Testbed.enabled)) struct PlanEmulatorTests {
    static let body = DriftEmulatorTests.body

    /// The app template with a GSI on Sessions and, optionally, a stream on Orders.
    static func head(stream: Bool = false) -> String {
        var text = body.replacingOccurrences(
            of: """
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      ProvisionedThroughput: {ReadCapacityUnits: !Ref Capacity, WriteCapacityUnits: !Ref Capacity}
                """,
            with: """
                      KeySchema: [{AttributeName: id, KeyType: HASH}]
                      ProvisionedThroughput: {ReadCapacityUnits: !Ref Capacity, WriteCapacityUnits: !Ref Capacity}
                      GlobalSecondaryIndexes:
                        - IndexName: byId
                          KeySchema: [{AttributeName: id, KeyType: HASH}]
                          Projection: {ProjectionType: KEYS_ONLY}
                          ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1}
                """)
        if stream {
            text = text.replacingOccurrences(
                of: "      SSESpecification: {SSEEnabled: true}\n",
                with:
                    "      SSESpecification: {SSEEnabled: true}\n      StreamSpecification: {StreamViewType: NEW_IMAGE}\n"
            )
        }
        return text
    }

    static func planner(_ endpoint: String? = Testbed.endpoint) throws -> StackPlanner {
        let context = try Testbed.context(endpoint)
        var planner = StackPlanner(
            stacks: CloudFormationClient(context: context),
            tables: LiveTableReader(client: DynamoDBClient(context: context)),
            changeSets: CloudFormationClient(context: context), sleep: { _ in })
        planner.replicaTables = { region in LiveTableReader(client: DynamoDBClient(context: context.region(region))) }
        return planner
    }

    static func plan(
        _ name: String, head: String, given: [String: String] = [:], endpoint: String? = Testbed.endpoint,
        preview: PlanRequest.Preview? = nil, allow: [Review.Allowance] = []
    ) async throws -> StackPlan {
        var request = PlanRequest(
            stackName: name, region: "us-east-1", source: Array(head.utf8), file: "head.yaml", given: given,
            now: 1_800_000_000)
        request.preview = preview
        request.allowances = allow
        return try await planner(endpoint).plan(request)
    }

    @Test func theBaseIsTheDeployedTemplateWithTheDeployedParameters() async throws {
        let name = Testbed.unique("plan-gsi")
        #expect(
            try await Testbed.deploy(name, body: Self.body, parameters: ["Env": "prod", "Capacity": "3"])
                == "CREATE_COMPLETE")
        let review = try await Self.plan(name, head: Self.head()).review
        #expect(
            review.changes.map { "\($0.logicalId) \($0.path) \($0.impact.rawValue)" } == [
                "Sessions GlobalSecondaryIndexes[byId] slow"
            ])
        #expect(!review.failed)
        #expect(try await Self.plan(name, head: Self.body).review.changes.isEmpty)
    }

    @Test func aStreamEnabledByHandAndAnUpdatingTableRefuseTheDeploy() async throws {
        let name = Testbed.unique("plan-live")
        #expect(try await Testbed.deploy(name, body: Self.body, parameters: ["Env": "prod"]) == "CREATE_COMPLETE")
        let tables = try await Testbed.tables(of: name)
        try await DriftEmulatorTests.call(
            "UpdateTable",
            [
                .init("TableName", .string(tables["Orders"]!)),
                .init(
                    "StreamSpecification",
                    .object([
                        .init("StreamEnabled", .bool(true)), .init("StreamViewType", .string("KEYS_ONLY")),
                    ])),
            ])
        try await Testbed.rules(
            #"[{"service": "dynamodb", "operation": "DescribeTable", "table": "\#(tables["Sessions"]!)", "kind": "tableStatus", "status": "UPDATING", "count": 1}]"#
        )
        let review = try await Self.plan(name, head: Self.head(stream: true), endpoint: Testbed.proxy).review
        let rejected = review.changes.filter { $0.impact == .rejected }.map { "\($0.logicalId) \($0.path)" }
        #expect(rejected == ["Orders StreamSpecification", "Sessions TableStatus"])
        #expect(
            review.changes.first { $0.path == "StreamSpecification" }?.message.contains(
                "Table already has an enabled stream") == true)
        #expect(review.failed)
    }

    @Test func aStackThatDoesNotExistPlansTheCreationOfEveryTable() async throws {
        let review = try await Self.plan(Testbed.unique("plan-new"), head: Self.body, given: ["Env": "new"]).review
        #expect(
            review.changes.map { "\($0.logicalId) \($0.action.rawValue)" } == [
                "Orders add", "Sessions add", "Audit add",
            ])
        #expect(!review.failed)
    }

    @Test func aStackInUpdateRollbackFailedIsRefusedWithWhatToDo() async throws {
        let name = Testbed.unique("plan-stuck")
        #expect(try await Testbed.deploy(name, body: Self.body, parameters: ["Env": "prod"]) == "CREATE_COMPLETE")
        try await Testbed.rules(
            #"[{"service": "cloudformation", "operation": "DescribeStacks", "stack": "\#(name)", "kind": "stackStatus", "status": "UPDATE_ROLLBACK_FAILED", "count": 1}]"#
        )
        let review = try await Self.plan(name, head: Self.body, endpoint: Testbed.proxy).review
        let blocker = try #require(review.changes.first)
        #expect(blocker.path == "StackStatus" && blocker.impact == .rejected)
        #expect(blocker.caution?.contains("continue-update-rollback") == true)
    }

    @Test func aChangeSetPreviewIsMergedAndDeletedAfterwards() async throws {
        let name = Testbed.unique("plan-cs")
        #expect(try await Testbed.deploy(name, body: Self.body, parameters: ["Env": "prod"]) == "CREATE_COMPLETE")
        let client = CloudFormationClient(context: try Testbed.context(Testbed.endpoint))
        var input = CloudFormationClient.ChangeSetInput(
            stackName: name, changeSetName: "preview", type: .update,
            templateBody: Self.body.replacingOccurrences(of: "Enabled: true}", with: "Enabled: false}"))
        input.parameters = [.init(key: "Env", value: nil, usePreviousValue: true)]
        let outcome = try await ChangeSetPreview(client: client, sleep: { _ in }).preview(input, keep: false)
        #expect(outcome.changeSet.status == "CREATE_COMPLETE")
        #expect(
            outcome.changeSet.changes.map { "\($0.action) \($0.logicalId) \($0.replacement ?? "-")" }.contains(
                "Modify Orders False"))
        await #expect(throws: AWSError.self) { _ = try await client.describeChangeSet("preview", stack: name) }

        let fresh = Testbed.unique("plan-cs-new")
        var create = CloudFormationClient.ChangeSetInput(
            stackName: fresh, changeSetName: "preview", type: .create, templateBody: Self.body)
        create.parameters = [.init(key: "Env", value: "new")]
        let created = try await ChangeSetPreview(client: client, sleep: { _ in }).preview(create, keep: false)
        #expect(created.changeSet.changes.count == 3)
        #expect(try await DeployedStack.read(fresh, from: client) == nil, "the REVIEW_IN_PROGRESS stack is removed")
    }

    /// A global table's other replicas read in their regions: a hand change to one is noted on the plan that
    /// changes that replica, a replica table deleted by hand refuses an update of it, and a new replica's name
    /// already taken in its region refuses the plan.
    @Test func theOtherReplicasAreCheckedInTheirOwnRegions() async throws {
        let name = Testbed.unique("plan-replicas")
        func template(_ replicas: [String]) -> String { Testbed.globalTable(name, replicas: replicas) }
        let base = template(["{Region: us-east-1}", "{Region: eu-west-1}"])
        #expect(try await Testbed.deploy(name, body: base) == "CREATE_COMPLETE")
        let context = try Testbed.context(Testbed.endpoint)
        try await DriftEmulatorTests.setRecovery(name, true, region: "eu-west-1")
        let tagged = try await Self.plan(
            name,
            head: template(["{Region: us-east-1}", "{Region: eu-west-1, TableClass: STANDARD_INFREQUENT_ACCESS}"])
        ).review
        let change = try #require(tagged.changes.first { $0.path == "Replicas[eu-west-1]" })
        #expect(change.caution?.contains("changed outside the stack") == true, "\(change.caution ?? "")")
        try await Testbed.createTable(DynamoDBClient(context: context.region("ap-south-1")), name)
        let taken = try await Self.plan(
            name, head: template(["{Region: us-east-1}", "{Region: eu-west-1}", "{Region: ap-south-1}"])
        ).review
        let added = try #require(taken.changes.first { $0.path == "Replicas[ap-south-1]" })
        #expect(added.impact == .rejected)
        #expect(added.message.contains("already exists in ap-south-1"))
        try await DriftEmulatorTests.call("DeleteTable", [.init("TableName", .string(name))], region: "eu-west-1")
        let gone = try await Self.plan(
            name,
            head: template(["{Region: us-east-1}", "{Region: eu-west-1, TableClass: STANDARD_INFREQUENT_ACCESS}"])
        ).review
        let deleted = try #require(gone.changes.first { $0.path == "Replicas[eu-west-1]" })
        #expect(deleted.impact == .rejected)
        #expect(deleted.message.contains("deleted outside the stack"))
    }
}
