import AWS
import Changes
import Outcomes
import Schema
import Synchronization
import Template
import Testing

@testable import Operations

/// The deploy engine against a stand-in CloudFormation written to its protocols: the last gate before execution,
/// `--execute` verification, clean-ups that fail, and interrupts between staged steps.
@Suite struct DeployerTests {
    /// A scripted CloudFormation: every change set it is asked about is `changeSet` (renamed), calls are recorded.
    final class StandIn: StackOperations, Sendable {
        struct State {
            var changeSet: CloudFormationClient.ChangeSet
            var template = ""
            var stackStatuses = ["UPDATE_IN_PROGRESS", "UPDATE_COMPLETE"]
            var calls: [String] = []
            var deleteFails = false
            var events: [CloudFormationClient.StackEvent] = []
        }

        let state: Mutex<State>

        init(_ changeSet: CloudFormationClient.ChangeSet) { state = Mutex(State(changeSet: changeSet)) }

        var calls: [String] { state.withLock { $0.calls } }

        private func record(_ call: String) { state.withLock { $0.calls.append(call) } }

        func describeStacks(_ name: String?) async throws -> [CloudFormationClient.Stack] {
            record("DescribeStacks")
            let status = state.withLock {
                $0.stackStatuses.count > 1 ? $0.stackStatuses.removeFirst() : $0.stackStatuses[0]
            }
            return [
                .init(
                    name: name ?? "app", id: "arn:aws:cloudformation:us-east-1:123456789012:stack/app/1", status: status
                )
            ]
        }

        func listStackResources(_ stack: String) async throws -> [CloudFormationClient.StackResource] { [] }

        func describeStackEvents(_ stack: String) async throws -> [CloudFormationClient.StackEvent] {
            state.withLock { $0.events }
        }

        func getTemplate(_ stack: String, stage: String, changeSet: String?) async throws -> String {
            record("GetTemplate \(changeSet ?? "-")")
            return state.withLock { $0.template }
        }

        func createChangeSet(_ input: CloudFormationClient.ChangeSetInput) async throws -> (id: String, stackId: String)
        {
            record("CreateChangeSet \(input.changeSetName) \(input.description ?? "")")
            state.withLock {
                $0.changeSet.name = input.changeSetName
                $0.template = input.templateBody ?? ""
            }
            return ("id", "stack")
        }

        func describeChangeSet(_ name: String, stack: String?, includePropertyValues: Bool) async throws
            -> CloudFormationClient.ChangeSet
        {
            state.withLock { $0.changeSet }
        }

        func deleteChangeSet(_ name: String, stack: String?) async throws {
            record("DeleteChangeSet \(name)")
            if state.withLock({ $0.deleteFails }) {
                throw AWSError(
                    service: "CloudFormation", operation: "DeleteChangeSet", code: "AccessDenied",
                    message: "not allowed")
            }
        }

        func deleteStack(_ stack: String) async throws { record("DeleteStack") }

        func executeChangeSet(_ name: String, stack: String?, clientRequestToken: String?) async throws {
            record("ExecuteChangeSet \(name)")
        }

        func stackEvents(_ stack: String, token: String) async throws -> [CloudFormationClient.StackEvent] { [] }

        func cancelUpdateStack(_ stack: String) async throws { record("CancelUpdateStack") }
    }

    struct NoTables: TableReading {
        func read(_ name: String, logicalId: String?, extras: LiveTableReader.Extras) async throws -> LiveTable? { nil }
        func describe(_ name: String) async throws -> LiveTable? { nil }
        func listTables() async throws -> [String] { [] }
    }

    static let body = """
        Parameters: {Env: {Type: String}}
        Resources:
          Orders:
            Type: AWS::DynamoDB::Table
            Properties:
              BillingMode: PAY_PER_REQUEST
              AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
              KeySchema: [{AttributeName: id, KeyType: HASH}]
        """

    /// A deploy of `body` over itself (no change the guard would refuse), with the given parameter value.
    static func request(_ body: String = body, env: String = "prod") throws -> DeployRequest {
        let template = try Template.parse(Array(body.utf8))
        let tables = Model(try Resolver.resolve(template, options: ResolveOptions(parameters: ["Env": env]))).tables
        let review = Review(base: tables, head: tables, headTemplate: template)
        var request = DeployRequest(
            stackName: "app", creating: false, steps: DeployRequest.steps(review, source: Array(body.utf8)),
            review: review, changeSetName: "ddbstack-test")
        request.base = tables
        request.head = tables
        request.templateSHA256 = Digest.hex(try Digest.sha256(Array(body.utf8)))
        request.parameters = [.init(key: "Env", value: env)]
        return request
    }

    static func changeSet(_ action: String, replacement: String? = nil, description: String? = nil)
        -> CloudFormationClient.ChangeSet
    {
        CloudFormationClient.ChangeSet(
            id: "id", name: "cs", stackId: "stack", status: "CREATE_COMPLETE", executionStatus: "AVAILABLE",
            changes: [
                .init(
                    action: action, logicalId: "Orders", physicalId: "orders", resourceType: "AWS::DynamoDB::Table",
                    replacement: replacement, scope: ["Properties"],
                    details: [.init(attribute: "Properties", name: "TableName", requiresRecreation: "Always")])
            ],
            description: description, parameters: ["Env": "prod"])
    }

    static func deployer(_ cloudFormation: StandIn, cancelOn: (@Sendable (DeployEvent) -> Bool)? = nil) -> Deployer {
        var deployer = Deployer(
            stacks: cloudFormation, tables: NoTables(), backups: nil, uploads: nil, now: { 0 },
            clock: { 1_800_000_000 },
            sleep: { _ in },
            emit: { event in
                if cancelOn?(event) == true { withUnsafeCurrentTask { $0?.cancel() } }
            })
        deployer.policy.initial = 0
        return deployer
    }

    @Test(arguments: [("Modify", "True"), ("Modify", "Conditional"), ("Remove", nil)] as [(String, String?)])
    func aChangeSetThatReplacesOrRemovesBeyondThePlanIsDeletedNotExecuted(action: String, replacement: String?)
        async throws
    {
        let cloudFormation = StandIn(Self.changeSet(action, replacement: replacement))
        let outcome = await Self.deployer(cloudFormation).run(try Self.request())
        guard case .unaccepted(let name, let changes) = outcome.result else {
            Issue.record("\(outcome.result)")
            return
        }
        #expect(name == "ddbstack-test")
        #expect(changes.map { "\($0.logicalId) \($0.impact.rawValue)" } == ["Orders dataLoss"])
        #expect(cloudFormation.calls.contains("DeleteChangeSet ddbstack-test"))
        #expect(!cloudFormation.calls.contains { $0.hasPrefix("ExecuteChangeSet") })
    }

    @Test func anAcknowledgedReplacementRevealedByTheChangeSetGoesThrough() async throws {
        let cloudFormation = StandIn(Self.changeSet("Modify", replacement: "True"))
        var request = try Self.request()
        request.review = Review(
            base: request.base, head: request.head, headTemplate: try Template.parse(Array(Self.body.utf8)),
            allowances: [.init(impact: .dataLoss, logicalId: "Orders")])
        cloudFormation.state.withLock { $0.stackStatuses = ["UPDATE_COMPLETE"] }
        let outcome = await Self.deployer(cloudFormation).run(request)
        #expect(outcome.result == .ready)
        #expect(cloudFormation.calls.contains("ExecuteChangeSet ddbstack-test"))
    }

    @Test func everyChangeSetRecordsTheTemplatesHash() async throws {
        let cloudFormation = StandIn(Self.changeSet("Modify", replacement: "False"))
        var request = try Self.request()
        request.execute = false
        let outcome = await Self.deployer(cloudFormation).run(request)
        #expect(outcome.result == .prepared(changeSet: "ddbstack-test"))
        #expect(
            cloudFormation.calls.first { $0.hasPrefix("CreateChangeSet") }
                == "CreateChangeSet ddbstack-test ddbstack deploy; template sha256:\(request.templateSHA256)")
    }

    @Test(
        arguments: [
            (
                "someone's change set", Self.body, "prod",
                "it was not made by 'ddbstack deploy --no-execute' from this template"
            ),
            (nil, Self.body, "prod", "its description is empty"),
            (
                "ddbstack deploy; template sha256:HASH", Self.body.replacing("PAY_PER_REQUEST", with: "PROVISIONED"),
                "prod", "the template it deploys is not the one"
            ),
            (
                "ddbstack deploy; template sha256:HASH", Self.body, "dev",
                "it was made with Env='prod', not the value given now"
            ),
        ] as [(String?, String, String, String)])
    func executeRunsOnlyAChangeSetDdbstackMadeFromThisTemplate(
        description: String?, template: String, env: String, reason: String
    ) async throws {
        var request = try Self.request(env: env)
        request.existingChangeSet = "cs"
        let cloudFormation = StandIn(
            Self.changeSet(
                "Modify", replacement: "False",
                description: description?.replacing("HASH", with: request.templateSHA256)))
        cloudFormation.state.withLock { $0.template = template }
        let outcome = await Self.deployer(cloudFormation).run(request)
        guard case .unverified(let name, let why) = outcome.result else {
            Issue.record("\(outcome.result)")
            return
        }
        #expect(name == "cs")
        #expect(why.contains(reason), "\(why)")
        #expect(!cloudFormation.calls.contains { $0.hasPrefix("ExecuteChangeSet") })
        #expect(outcome.pendingChangeSet == "cs", "another's change set is left alone")
    }

    @Test func aCleanUpThatFailsSaysWhatIsLeftAndHowToDeleteIt() async throws {
        let cloudFormation = StandIn(Self.changeSet("Remove"))
        cloudFormation.state.withLock { $0.deleteFails = true }
        let outcome = await Self.deployer(cloudFormation).run(try Self.request())
        #expect(outcome.leftovers.count == 1)
        #expect(
            outcome.leftovers.first?.contains(
                "aws cloudformation delete-change-set --stack-name app --change-set-name ddbstack-test") == true)
    }

    @Test func aPreviewWhoseCleanUpFailsSaysWhatIsLeft() async throws {
        let cloudFormation = StandIn(Self.changeSet("Modify", replacement: "False"))
        cloudFormation.state.withLock { $0.deleteFails = true }
        let input = CloudFormationClient.ChangeSetInput(
            stackName: "app", changeSetName: "preview", type: .create, templateBody: Self.body)
        let outcome = try await ChangeSetPreview(client: cloudFormation, sleep: { _ in }).preview(input, keep: false)
        #expect(outcome.leftovers.count == 1)
        #expect(outcome.note(stack: "app").contains("its clean-up failed, left behind: change set 'preview'"))
        #expect(
            outcome.note(stack: "app").contains(
                "aws cloudformation delete-change-set --stack-name app --change-set-name preview"))
        #expect(!outcome.note(stack: "app").contains("merged and deleted"))
    }

    @Test func anInterruptBetweenStagedStepsNamesTheStepsNotStarted() async throws {
        let base = Self.body
        let head = Self.body.replacing(
            "[{AttributeName: id, AttributeType: S}]",
            with: """
                [{AttributeName: id, AttributeType: S}, {AttributeName: a, AttributeType: S}, {AttributeName: b, AttributeType: S}]
                      GlobalSecondaryIndexes:
                        - {IndexName: byA, KeySchema: [{AttributeName: a, KeyType: HASH}], Projection: {ProjectionType: KEYS_ONLY}}
                        - {IndexName: byB, KeySchema: [{AttributeName: b, KeyType: HASH}], Projection: {ProjectionType: KEYS_ONLY}}
                """)
        let headTemplate = try Template.parse(Array(head.utf8))
        let options = ResolveOptions(parameters: ["Env": "prod"])
        let baseTables = Model(try Resolver.resolve(try Template.parse(Array(base.utf8)), options: options)).tables
        let headTables = Model(try Resolver.resolve(headTemplate, options: options)).tables
        let review = Review(base: baseTables, head: headTables, headTemplate: headTemplate)
        #expect(review.steps.count == 2)
        var request = DeployRequest(
            stackName: "app", creating: false, steps: DeployRequest.steps(review, source: Array(head.utf8)),
            review: review, changeSetName: "ddbstack-test")
        (request.base, request.head) = (baseTables, headTables)
        let cloudFormation = StandIn(Self.changeSet("Modify", replacement: "False"))
        let deployer = Self.deployer(cloudFormation) { event in
            if case .executing(1, _, _) = event { return true }
            return false
        }
        let outcome = await Task { await deployer.run(request) }.value
        #expect(outcome.result == .interrupted)
        #expect(outcome.steps.map { "\($0.number) \($0.status)" } == ["1 executed", "2 notStarted"])
        #expect(outcome.steps.last?.operations == ["Orders: create GSI 'byB'"])
    }
}
