import AWS
import Changes
import Schema
import Template
import Testing

@testable import Operations

@Suite struct LiveChecksTests {
    static func stack(_ status: String) -> CloudFormationClient.Stack {
        CloudFormationClient.Stack(
            name: "app", id: "arn:aws:cloudformation:eu-west-1:123456789012:stack/app/1", status: status,
            statusReason: nil, parameters: [:], tags: [:])
    }

    @Test(
        arguments: [
            ("UPDATE_COMPLETE", nil), ("UPDATE_ROLLBACK_COMPLETE", nil), ("REVIEW_IN_PROGRESS", nil),
            ("UPDATE_IN_PROGRESS", "ddbstack wait --stack app"), ("UPDATE_ROLLBACK_FAILED", "continue-update-rollback"),
            ("ROLLBACK_COMPLETE", "delete-stack"), ("DELETE_FAILED", "finish deleting it"),
        ] as [(String, String?)])
    func aStackThatCannotBeUpdatedIsRefusedWithWhatToDo(_ status: String, _ advice: String?) {
        let blocker = LiveChecks.stackBlocker(Self.stack(status))
        #expect(blocker?.caution?.contains(advice ?? "-") ?? (advice == nil), "\(status)")
        #expect(blocker.map { $0.impact == .rejected } ?? true)
    }

    @Test func theStacksAccountAndRegionComeFromItsARN() {
        let deployed = DeployedStack(stack: Self.stack("UPDATE_COMPLETE"), resources: [])
        #expect(deployed.accountId == "123456789012")
        #expect(deployed.region == "eu-west-1")
    }

    @Test func noEchoParametersAreLeftUnknownNotComparedWithAsterisks() {
        var stack = Self.stack("UPDATE_COMPLETE")
        stack.parameters = ["Env": "prod", "Secret": "****"]
        let deployed = DeployedStack(stack: stack, resources: [])
        let options = deployed.deployedOptions(region: "us-east-1")
        #expect(options.parameters == ["Env": "prod"])
        #expect(options.unknownParameters == ["Secret"])
    }

    /// The base keeps the deployed values; given values are the head's alone, and a deployed value carries over to
    /// the head only for a parameter the head still declares (UsePreviousValue).
    @Test func eachSideIsResolvedWithItsOwnValues() throws {
        var stack = Self.stack("UPDATE_COMPLETE")
        stack.parameters = ["Env": "dev", "Old": "x", "Secret": "****"]
        let deployed = DeployedStack(stack: stack, resources: [])
        let head = try Template.parse(
            Array(
                "Parameters: {Env: {Type: String}, Secret: {Type: String, NoEcho: true, Default: guessed}, New: {Type: String}}\nResources: {}"
                    .utf8))
        let options = DeployedStack.options(
            for: head, on: deployed, region: "us-east-1", stackName: "app", given: ["Env": "prod", "New": "n"])
        #expect(options.parameters == ["Env": "prod", "New": "n"])
        #expect(options.unknownParameters == ["Secret"], "a deployed NoEcho value is unknown, not the default")
        #expect(deployed.deployedOptions(region: "us-east-1").parameters == ["Env": "dev", "Old": "x"])
        let resolved = try Resolver.resolve(head, options: options)
        #expect(resolved.parameterValues["Secret"] == nil)
    }

    static func table(_ properties: String) throws -> Table {
        try DriftComparisonTests.table(properties)
    }

    @Test func aSwitchToOnDemandSoonAfterTheLastOneCarriesTheQuota() throws {
        let base = try Self.table(
            "AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\nKeySchema: [{AttributeName: id, KeyType: HASH}]\nProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}"
        )
        let head = try Self.table(
            "BillingMode: PAY_PER_REQUEST\nAttributeDefinitions: [{AttributeName: id, AttributeType: S}]\nKeySchema: [{AttributeName: id, KeyType: HASH}]"
        )
        let description = try JSONParser.parse(
            Array(
                """
                {"TableName":"orders","TableStatus":"ACTIVE","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
                 "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5},
                 "BillingModeSummary":{"BillingMode":"PROVISIONED","LastUpdateToPayPerRequestDateTime":1800000000}}
                """.utf8))
        let live = LiveTable(description: description, logicalId: "Orders")
        let changes = Differ.changes(base: [base], head: [head])
        let soon = LiveChecks.apply(
            to: changes, base: [base], head: [head], live: ["Orders": live], stackTags: [],
            now: 1_800_000_000 + 3 * 3600)
        #expect(
            soon.first { $0.path == "BillingMode" }?.caution?.contains("last switched to on-demand 3 h ago") == true)
        let later = LiveChecks.apply(
            to: changes, base: [base], head: [head], live: ["Orders": live], stackTags: [],
            now: 1_800_000_000 + 30 * 3600)
        #expect(later.first { $0.path == "BillingMode" }?.caution?.contains("last switched") == false)
    }

    @Test func aTableDeletedOutsideTheStackRefusesAnUpdateOfIt() throws {
        let base = try Self.table(
            "AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\nKeySchema: [{AttributeName: id, KeyType: HASH}]\nBillingMode: PAY_PER_REQUEST"
        )
        let head = try Self.table(
            "AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\nKeySchema: [{AttributeName: id, KeyType: HASH}]\nBillingMode: PAY_PER_REQUEST\nTableClass: STANDARD_INFREQUENT_ACCESS"
        )
        let changed = LiveChecks.apply(
            to: Differ.changes(base: [base], head: [head]), base: [base], head: [head],
            live: ["Orders": LiveTable?.none],
            stackTags: [], now: 0)
        #expect(changed.map { "\($0.path) \($0.impact.rawValue)" } == ["TableClass inPlace", "TableStatus rejected"])
        let unchanged = LiveChecks.apply(
            to: [], base: [base], head: [base], live: ["Orders": LiveTable?.none], stackTags: [], now: 0)
        #expect(unchanged.map { "\($0.path) \($0.impact.rawValue)" } == ["TableStatus none"])
    }

    static func changeSet(_ replacement: String, action: String = "Modify") -> CloudFormationClient.ChangeSet {
        CloudFormationClient.ChangeSet(
            id: "id", name: "preview", stackId: "stack", status: "CREATE_COMPLETE", statusReason: nil,
            executionStatus: "AVAILABLE",
            changes: [
                .init(
                    action: action, logicalId: "Orders", physicalId: "orders", resourceType: "AWS::DynamoDB::Table",
                    replacement: replacement, scope: ["Properties"],
                    details: [.init(attribute: "Properties", name: "KeySchema", requiresRecreation: "Always")])
            ])
    }

    @Test func aChangeSetBecomesCloudFormationsVerdictOnTables() {
        let verdict = ChangeSetPreview.verdict(Self.changeSet("Conditional"))
        #expect(
            verdict.resources == [
                .init(
                    logicalId: "Orders", action: .modify, replacement: .conditional, causes: ["KeySchema"],
                    scope: ["Properties"])
            ])
        #expect(verdict.refusal == nil)
    }

    @Test func aRefusedChangeSetIsARefusalButAnEmptyOneIsNot() {
        var failed = Self.changeSet("False")
        failed.status = "FAILED"
        failed.statusReason =
            "Template format error: Unresolved resource dependencies [Key] in the Resources block of the template"
        failed.changes = []
        #expect(ChangeSetPreview.verdict(failed).refusal?.contains("Unresolved") == true)
        failed.statusReason =
            "The submitted information didn't contain changes. Submit different information to create a change set."
        #expect(ChangeSetPreview.verdict(failed).refusal == nil)
    }
}
